# ruff: noqa: E501  -- one narrative per line, as written: the data reads better unwrapped
"""Writes heldout4.jsonl: the fourth held-out set (written before any change made after heldout3's run).

Written out whole, no templates, as different officers write: terse and verbose, ALL CAPS, typos,
abbreviations (FD, PD, EMS, BFD, APD, CHP, SO, EMT, medic, rig), run-ons, 24-hour times, every
hard-negative kind of issue 10, and services arriving in varied phrasings. Its first run (before
the fixes that followed it) is the honest unseen figure of the detector as it was then.
Run: .venv/bin/python tests/narrative/corpus/write_heldout4.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout4.jsonl")

P, H, R = "positive", "hard_negative", "routine"

CASES: list[tuple[str, list[str], str, str]] = [
    # --- fire, varied phrasing
    ("Engine Co 12 on scene 0310 for the alarm on 4, found burnt popcorn, reset panel.", ["fire"], P, "fire"),
    ("BFD ARRIVED 2245 FOR SMOKE IN STAIRWELL C. CLEARED 2320.", ["fire"], P, "fire"),
    ("fire dept came out, it was a bad smoke detector in the mail room", ["fire"], P, "fire"),
    ("Ladder 3 and Engine 9 rolled up at 0140 for the sprinkler flow alarm.", ["fire"], P, "fire"),
    ("At approx 0455 hrs the fire department responded to a reported odor of gas at the loading dock, they metered the area and found a leaking valve on the grill.", ["fire"], P, "fire"),
    ("Firefighters showed up and checked the elevator shaft for smoke.", ["fire"], P, "fire"),
    ("Dumpster fire behind building 2, I called it in and the fire truck got here in 6 min.", ["fire"], P, "fire"),
    ("The fire marshal came by at 1000 and inspected the damage from last night's kitchen fire.", ["fire"], P, "fire"),
    ("FD on site 2210 for the pull station activation in the east wing, kids pulled it.", ["fire"], P, "fire"),
    ("fire crews vented the smoke out of the basement and left at 0330", ["fire"], P, "fire"),
    ("Called the fire departmnet for the burning smell from the transformer, they came and shut the power.", ["fire"], P, "fire"),
    ("Units arrived at 0205 from station 22 for the alarm, fire personnel walked floors 1-5.", ["fire"], P, "fire"),
    ("smoke pouring out of the laundry room vent. called 911. evacuated building A.", ["fire"], P, "fire_911"),
    ("Saw flames on the roof of the parking structure and called 911 at 0120.", ["fire"], P, "fire_911"),
    ("Strong smell of gas in the boiler room, I dialed 911 and shut the main.", ["fire"], P, "fire_911"),
    ("Engine 41 crew cut the lock on the riser room at 0600 after the flow alarm.", ["fire"], P, "fire"),
    ("The FD showed up for the car fire on level 3, hosed it down.", ["fire"], P, "fire"),
    # --- police, varied phrasing
    ("Deputies took a report at 0230 for the catalytic converter theft in lot B.", ["police"], P, "police"),
    ("The constable came by around 1500 and served the eviction papers to unit 14.", ["police"], P, "police"),
    ("APD ON SCENE 0115 FOR THE FIGHT AT THE BAR ENTRANCE, 1 IN CUSTODY", ["police"], P, "police"),
    ("PD responded to the shoplifting at the pharmacy, suspect was gone.", ["police"], P, "police"),
    ("cops came and took the drunk guy away", ["police"], P, "police"),
    ("CHP arrived 0340 for the hit and run in the truck lot.", ["police"], P, "police"),
    ("SO deputies responded to the trespasser on the construction site and cited him.", ["police"], P, "police"),
    ("Officers Nguyen and Baker arrived at 2130 and spoke with the victim.", ["police"], P, "police"),
    ("A patrol unit was dispatched and arrived at 0015, officer checked the perimeter with me.", ["police"], P, "police"),
    ("Sheriff's office sent two units for the break in at the storage yard.", ["police"], P, "police"),
    ("Police were called for the domestic in 3B and came at 2250.", ["police"], P, "police"),
    ("Troopers showed up at the rest stop for the guy sleeping in his running car, woke him up.", ["police"], P, "police"),
    ("The detective came back to pull the camera footage for the robbery.", ["police"], P, "police"),
    ("Man swinging a bat at cars in the lot, I called 911 right away.", ["police"], P, "police_911"),
    ("Two males fighting in front of the club, called 911 at 0145.", ["police"], P, "police_911"),
    ("Someone broke the glass door at the pharmacy and ran inside, called 911.", ["police"], P, "police_911"),
    ("Police officer arrived, took statements from both drivers.", ["police"], P, "police"),
    ("Precinct 5 sent a car over for the noise complaint, they talked to the party host.", ["police"], P, "police"),
    ("The police showed up after about 40 minutes and arrested the shoplifter.", ["police"], P, "police"),
    ("Campus police responded to the dorm for the stolen bike.", ["police"], P, "police"),
    ("plice arrived at 0300 and took the guy who was trespassing", ["police"], P, "police"),
    # --- ems, varied phrasing
    ("Medics transported the elderly man who fell in the lobby to St Marys.", ["ems"], P, "ems"),
    ("An ambulance from AMR took her to the hospital at 1715.", ["ems"], P, "ems"),
    ("EMS ARRIVED 0410 FOR THE GUEST HAVING TROUBLE BREATHING IN 1207", ["ems"], P, "ems"),
    ("the rig showed up at 2200 and the EMTs checked him out, he refused transport", ["ems"], P, "ems"),
    ("Paramedics arrived and treated the worker for a cut on his hand.", ["ems"], P, "ems"),
    ("Ambulence came for the lady who fainted at the bus stop in front of the building.", ["ems"], P, "ems"),
    ("EMT crew responded to the gym for the man with chest pain and took him to the ER.", ["ems"], P, "ems"),
    ("Medic 14 on scene at 0320 for the overdose in the stairwell.", ["ems"], P, "ems"),
    ("Guest slipped on ice, hit her head, I called 911 and stayed with her until help came.", ["ems"], P, "ems_911"),
    ("Found a male unresponsive in the bathroom stall, called 911, started CPR.", ["ems"], P, "ems_911"),
    ("Worker fell off a ladder in the warehouse and could not move his leg, called 911.", ["ems"], P, "ems_911"),
    ("Lady collapsed near the elevators; I called 911 at 1432.", ["ems"], P, "ems_911"),
    ("Kid having a seizure at the pool. Called 911.", ["ems"], P, "ems_911"),
    ("guy passed out drunk on the sidewalk would not wake up so i called 911", ["ems"], P, "ems_911"),
    ("EMS was called for the diabetic employee, they came and gave her glucose.", ["ems"], P, "ems"),
    ("An ambulance picked up the injured cyclist at the front gate.", ["ems"], P, "ems"),
    ("Paramedics got here at 0230 and took the patient to Mercy.", ["ems"], P, "ems"),
    ("Rescue squad transported the man with the broken ankle.", ["ems"], P, "ems"),
    ("Student hurt her wrist at soccer practice, EMS came and splinted it.", ["ems"], P, "ems"),
    # --- several
    ("Car crashed into the gate. PD, FD and EMS all responded, driver was taken to the hospital.", ["ems", "fire", "police"], P, "three"),
    ("Stabbing in the parking lot, police and an ambulance arrived at 0120.", ["ems", "police"], P, "two"),
    ("Kitchen grease fire, cook burned his arm. Fire dept put it out and medics treated him.", ["ems", "fire"], P, "two"),
    ("Assault at the bus shelter: officers arrested the suspect and EMS took the victim to the ER.", ["ems", "police"], P, "two"),
    ("FIRE AND POLICE ON SCENE FOR THE BOMB THREAT, BUILDING EVACUATED 1300-1420", ["fire", "police"], P, "two"),
    # --- negation then arrival / late arrival
    ("Police didn't come for almost two hours, but eventually an officer came and took the report.", ["police"], P, "late"),
    ("Called PD at 0100, no response. Called again at 0130 and two units arrived at 0145.", ["police"], P, "late"),
    ("Nobody answered at the apartment but the fire department came and forced entry for the alarm.", ["fire"], P, "late"),
    ("No ambulance at first because dispatch was busy. It arrived at 2215.", ["ems"], P, "late"),
    ("The man did not want an ambulance; his daughter called anyway and the medics came.", ["ems"], P, "late"),
    ("No cops for a while. They finally showed at 0300.", ["police"], P, "late"),
    # --- hard negatives: not attending
    ("Patrol car drove through the lot at 0200 without stopping.", [], H, "not_attending"),
    ("Police cruiser passed by on Main St, did not stop.", [], H, "not_attending"),
    ("AMBULANCE WENT BY WITH LIGHTS AND SIRENS AT 0315 HEADING NORTH", [], H, "not_attending"),
    ("Heard sirens from the highway around 2300, nothing here.", [], H, "not_attending"),
    ("Fire engine parked at the gas station across the street for lunch.", [], H, "not_attending"),
    ("A sheriff's car drove past the gate a couple of times.", [], H, "not_attending"),
    ("Saw a fire truck going down the road toward the mall.", [], H, "not_attending"),
    ("Security at the neighboring property called police for their alarm; nothing at our site.", [], H, "not_attending"),
    # --- hard negatives: signs and equipment
    ("Replaced the burnt out bulb on the fire exit sign by stairwell B.", [], H, "equipment"),
    ("Moved a car that was blocking the ambulance entrance sign.", [], H, "equipment"),
    ("Restocked the first aid kit, added 2 naloxone and gauze.", [], H, "equipment"),
    ("Checked all fire extinguishers on floors 1-3, tags current.", [], H, "equipment"),
    ("AED cabinet alarm tested, battery ok.", [], H, "equipment"),
    ("Fire lane in front of the lobby was blocked by a delivery van, driver moved it.", [], H, "equipment"),
    ("Police Parking Only sign knocked over, stood it back up.", [], H, "equipment"),
    ("Checked the fire hose cabinet on level 2, door was open, closed it.", [], H, "equipment"),
    ("Fire alarm panel shows normal, trouble light cleared by the tech.", [], H, "equipment"),
    # --- hard negatives: historical
    ("Resident told me the police were here last week for the same neighbor.", [], H, "historical"),
    ("Per pass-down, EMS came on day shift yesterday for a fall.", [], H, "historical"),
    ("Back in 2020 there was a big fire in building C, the tenant said.", [], H, "historical"),
    ("Manager mentioned cops arrested someone here a few years ago.", [], H, "historical"),
    ("This garage had an ambulance call last month per the log.", [], H, "historical"),
    ("LAST YEAR THE FD CAME FOR A FALSE ALARM ON THIS FLOOR, PER SUPERVISOR", [], H, "historical"),
    # --- hard negatives: negation
    ("Did not see any smoke or flames, just the alarm beeping.", [], H, "negated"),
    ("No police needed, the two parties left on their own.", [], H, "negated"),
    ("Guest fell but was fine, declined EMS.", [], H, "negated"),
    ("Nobody had to call the fire department, it was just burnt toast.", [], H, "negated"),
    ("the man refused medical and walked off", [], H, "negated"),
    ("No injuries, no ambulance, just a fender bender.", [], H, "negated"),
    ("Checked the area, no signs of fire.", [], H, "negated"),
    ("Did not call PD since the owner of the car showed up.", [], H, "negated"),
    # --- hard negatives: hypothetical / someone else's intent
    ("The tenant threatened to call the cops on her neighbor over the music.", [], H, "hypothetical"),
    ("Advised the guest to call 911 if he feels worse.", [], H, "hypothetical"),
    ("If the trespasser comes back we will call PD.", [], H, "hypothetical"),
    ("Driver said he was going to call the police on the tow company.", [], H, "hypothetical"),
    ("Client wants us to call the fire department for every alarm from now on.", [], H, "hypothetical"),
    ("Told the front desk that in an emergency they should dial 911 first.", [], H, "hypothetical"),
    ("Guest asked whether she should call an ambulance for her husband's headache, he said no.", [], H, "hypothetical"),
    ("Resident said she might call the sheriff about the dog.", [], H, "hypothetical"),
    # --- hard negatives: training / classes
    ("Attended CPR and first aid class 0900-1200 at the office.", [], H, "training"),
    ("Fire drill conducted at 1000, building cleared in 5 min.", [], H, "training"),
    ("Annual active shooter training with local PD in the gym.", [], H, "training"),
    ("Did the online EMT refresher module during down time.", [], H, "training"),
    ("Stop the Bleed course for all guards this morning.", [], H, "training"),
    ("Evacuation drill with the fire marshal observing, went well.", [], H, "training"),
    # --- hard negatives: 911 as a number / unit / address
    ("Lockout for unit 911, let the tenant in after ID check.", [], H, "number_911"),
    ("Package left at 911 Elm Ave by mistake, returned to carrier.", [], H, "number_911"),
    ("Room 911 requested extra towels.", [], H, "number_911"),
    ("Golf cart 911 has a flat tire.", [], H, "number_911"),
    ("Van plate ends in 911, parked in visitor spot 4 overnight.", [], H, "number_911"),
    ("Checked door 911 on the loading dock, secure.", [], H, "number_911"),
    # --- hard negatives: surnames
    ("Guard Medic relieved me at 0600.", [], H, "name"),
    ("Officer Sheriff covered the front desk during my break.", [], H, "name"),
    ("Tenant Mrs. Police complained about the hallway light.", [], H, "name"),
    ("Supervisor Tom Fireman did a site visit at 2100.", [], H, "name"),
    # --- routine
    ("All quiet, doors checked 0100 0300 0500.", [], R, "routine"),
    ("Escorted the cleaning crew to the 5th floor.", [], R, "routine"),
    ("Vending machine ate a guest's money, left a note for facilities.", [], R, "routine"),
    ("Gate arm stuck open, called the parking company.", [], R, "routine"),
    ("Found a set of keys in the lobby, logged in lost and found.", [], R, "routine"),
    ("SKATEBOARDERS IN THE PLAZA ASKED TO LEAVE, COMPLIED", [], R, "routine"),
    ("Water leak under sink in break room, maintenance notified.", [], R, "routine"),
    ("Tow truck removed the abandoned car from lot C at 0800.", [], R, "routine"),
    ("Guest locked out of car, called a locksmith for him.", [], R, "routine"),
    # --- mixed
    ("First aid kit restocked at 2000. At 2340 medics came for a guest with a cut head.", ["ems"], P, "mixed"),
    ("Patrol car passed at 0100. At 0215 PD came back for the alarm and checked the building.", ["police"], P, "mixed"),
    ("Fire drill at 1400. Later that night FD responded to a real alarm in the kitchen.", ["fire"], P, "mixed"),
    ("Police were here last week for a theft; tonight they came again for another one.", ["police"], P, "mixed"),
    ("Guest in room 911 fell in the shower; EMS arrived 0600.", ["ems"], P, "mixed"),
    ("Tenant threatened to call the cops, then her neighbor actually did and an officer came at 2300.", ["police"], P, "mixed"),
    ("No fire, but the fire department came anyway for the alarm and reset it.", ["fire"], P, "mixed"),
    ("Officer Fireman called 911 for the man down in lot A; paramedics arrived 0420.", ["ems"], P, "mixed"),
    ("Sirens all night on the highway. At 0300 an ambulance came to our lobby for a guest with chest pain.", ["ems"], P, "mixed"),
    ("The neighbor business called police about the fight in our lot, two officers came and broke it up.", ["police"], P, "mixed"),
    ("CPR class this morning. In the afternoon a member collapsed on the treadmill, we did CPR and EMS took over.", ["ems"], P, "mixed"),
    ("Told the tenant to call 911 if it happens again. It happened again at 0200 and police responded.", ["police"], P, "mixed"),
    ("Dispatch said no units available. Deputy eventually arrived at 0410.", ["police"], P, "mixed"),
    ("I smelled no smoke but the FD was called by the alarm company and they checked the attic.", ["fire"], P, "mixed"),
    ("Police line busy. Called back and PD sent someone out at 1930.", ["police"], P, "mixed"),
    ("Resident of 4C was hit by a car backing out, EMS came and checked her, she's ok.", ["ems"], P, "ems"),
    ("Brush fire along the fence line. Engine companies from two stations put it out by 1600.", ["fire"], P, "fire"),
    ("WINDOW SMASHED ON A CAR IN LOT D, OWNER CALLED PD, DEPUTY ARRIVED 0050 AND TOOK REPORT", ["police"], P, "police"),
    ("Ran the monthly fire pump test with the vendor.", [], H, "equipment"),
    ("Police Explorers meeting in the community room 1800-2000.", [], H, "training"),
    ("Handed out the sheriff's office flyer on car break-ins to tenants.", [], H, "equipment"),
]  # fmt: skip


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for index, (text, services, kind, tag) in enumerate(CASES):
            record = {"id": f"heldout4-{index:04d}", "text": text, "services": sorted(services), "kind": kind, "tag": tag}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
