# ruff: noqa: E501  -- one narrative per line, as written: the data reads better unwrapped
"""Writes heldout.jsonl: the first held-out set, written after the detector was tuned on dev.

Each is written out whole (no templates), in phrasings the development corpus does not use. It was
run once and its figures reported (recall 98.3 %, false alarms 7.1 %, fire F1 0.895); general gaps it
showed were fixed afterwards, so it is no longer unseen text (see write_heldout3.py).
Run: .venv/bin/python tests/narrative/corpus/write_heldout.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout.jsonl")

P, H, R = "positive", "hard_negative", "routine"

# (text, services that came or were called, kind, tag)
CASES: list[tuple[str, list[str], str, str]] = [
    # --- fire
    ("At 0140 the trash chute on 6 was smoking. Fire department got here at 0151 and opened the chute.", ["fire"], P, "fire"),
    ("FIRE DEPT ARRIVED 0322 FOR THE ALARM IN BLDG 4, FOUND A BURNT POT, RESET PANEL", ["fire"], P, "fire"),
    ("Electrical fire in the laundry dryer. Firefighters from Station 12 arrived and unplugged it, no injuries.", ["fire"], P, "fire"),
    ("the fire crew came out at 2 am for the sprinkler head that broke in the garage", ["fire"], P, "fire"),
    ("Dryer vent caught fire at 2215, I evacuated the floor and firemen showed up at 2224.", ["fire"], P, "fire"),
    ("Engine 22 responded to a transformer sparking by the pool, utility company notified.", ["fire"], P, "fire"),
    ("Fire marshall came by after the alarm and checked the riser room with me.", ["fire"], P, "fire"),
    ("Called the FD for a burning smell in unit 1204. They checked the walls with a thermal camera.", ["fire"], P, "fire"),
    ("A fire truck and a ladder truck were on scene at the east tower by 0305.", ["fire"], P, "fire"),
    ("Resident burned food, smoke filled the hallway; the fire dept came and ventilated the floor.", ["fire"], P, "fire"),
    ("Brush fire along the back fence line at 1630. 911 was called and the fire was put out by firefighters.", ["fire"], P, "fire"),
    ("Elevator stuck with two people inside, fire department responded and got them out at 0412.", ["fire"], P, "fire"),
    ("i called 911 because there was smoke coming out of the electrical room door", ["fire"], P, "fire_911"),
    ("Strong odor of natural gas in the basement corridor, I dialed 911 and kept people out.", ["fire"], P, "fire_911"),
    # --- police
    ("Police showed up at 0230 regarding the stolen catalytic converter and took photos.", ["police"], P, "police"),
    ("Officer Alvarez responded and issued a trespass warning to the male.", ["police"], P, "police"),
    ("Sgt. Monroe and two officers arrived at 2350 and removed the intoxicated guest.", ["police"], P, "police"),
    ("MPD ON SCENE 0115 FOR THE FIGHT IN THE PARKING DECK, 2 MALES DETAINED", ["police"], P, "police"),
    ("Deputy Harris arrived at the gate and escorted the tow driver off property.", ["police"], P, "police"),
    ("the sheriffs office sent a deputy out at 4am about the car break ins", ["police"], P, "police"),
    ("Called the cops on the man trying car door handles in lot D, they came in ten minutes.", ["police"], P, "police"),
    ("Trooper from the state patrol stopped at the entrance and took the hit and run report.", ["police"], P, "police"),
    ("A precinct unit came to take a report about the broken window at the leasing office.", ["police"], P, "police"),
    ("Constable Reyes came by at 0900 and posted the notice on unit 17.", ["police"], P, "police"),
    ("Male was arrested by responding officers after he pushed the concierge.", ["police"], P, "police"),
    ("Two men fighting outside the bar entrance, one with a bloody nose. I called 911 and police came.", ["police"], P, "police_911"),
    ("Somebody broke into the mailroom overnight. I called 911 at 0610.", ["police"], P, "police_911"),
    ("A resident was being threatened by her ex with a knife, I called 911 immediately.", ["police"], P, "police_911"),
    ("LAPD responded to the shots heard behind building 9 and searched the alley.", ["police"], P, "police"),
    ("Police department was notified about the graffiti and an officer came to photograph it.", ["police"], P, "police"),
    # --- ems
    ("Paramedics came for the tenant with chest pain and took him to Mercy.", ["ems"], P, "ems"),
    ("AN AMBULANCE TOOK THE FEMALE TO THE HOSPITAL AT 0200 AFTER SHE FELL IN THE GYM", ["ems"], P, "ems"),
    ("EMS responded for a diabetic resident who was confused in the lobby and treated him.", ["ems"], P, "ems"),
    ("Medics arrived and checked the delivery driver who cut his hand on the gate.", ["ems"], P, "ems"),
    ("Rescue 5 transported the child to the childrens hospital at 1510.", ["ems"], P, "ems"),
    ("Guest passed out at the pool. Ambulance arrived 1420 and the EMTs treated her for heat.", ["ems"], P, "ems"),
    ("Called for an ambulence for the older man who couldnt get up, it came at 0330.", ["ems"], P, "ems"),
    ("Man down behind the dumpsters, not waking up. I called 911.", ["ems"], P, "ems_911"),
    ("Worker fell off a ladder in the loading bay and hurt his back, I called 911 right away.", ["ems"], P, "ems_911"),
    ("Resident was having trouble breathing and turned blue, called 911 and met the crew at the door.", ["ems"], P, "ems_911"),
    ("Overdose in the stairwell, I used narcan, then paramedics arrived at 0245 and took over.", ["ems"], P, "ems"),
    ("Lady slipped on ice and broke her wrist; EMS came and splinted it on site.", ["ems"], P, "ems"),
    ("Acadian ambulance arrived at 1120 for the visitor who fainted.", ["ems"], P, "ems"),
    # --- several
    ("Car crash at the front gate: police and an ambulance arrived, one driver taken to the ER.", ["ems", "police"], P, "two"),
    ("Fire in unit 3B kitchen. FD put it out, EMS checked the tenant for smoke inhalation.", ["ems", "fire"], P, "two"),
    ("Police came for the assault and paramedics treated the victim on scene.", ["ems", "police"], P, "two"),
    ("Fire department and police both responded to the suspicious package at 0700.", ["fire", "police"], P, "two"),
    ("Fight in the pool area, one male stabbed. Police, fire and EMS on scene by 0020.", ["ems", "fire", "police"], P, "three"),
    # --- negation then arrival, long and messy
    ("Police said they could not come right away, but an officer arrived around 0400.", ["police"], P, "late"),
    ("no one answered the door at 12C so the police came and did a welfare check with the manager", ["police"], P, "late"),
    ("Tenant didnt want an ambulance at first but EMS came anyway and checked her out.", ["ems"], P, "late"),
    ("There were no flames when I got there but the fire dept arrived and cut power to the unit.", ["fire"], P, "late"),
    # --- hard negatives: not attending
    ("Sheriff's cruiser drove through the lot at 0200 and left without stopping.", [], H, "not_attending"),
    ("Saw an ambulance heading south on Elm St, nothing on site.", [], H, "not_attending"),
    ("Sirens going by on the freeway most of the night.", [], H, "not_attending"),
    ("Fire engine passed by the property at 0330 with lights off.", [], H, "not_attending"),
    ("Cleaned up the area near the fire hydrant and the police parking sign.", [], H, "equipment"),
    ("Inspected the fire extinguishers and the AED in the clubhouse, all in date.", [], H, "equipment"),
    ("Replaced the expired Narcan in the first aid kit at the front desk.", [], H, "equipment"),
    ("Fire doors on level 3 were propped open, closed them.", [], H, "equipment"),
    ("Put cones around the ambulance bay at the medical office building.", [], H, "equipment"),
    # --- hard negatives: time scope
    ("Tenant in 5A says the police were here two weeks ago for her neighbor.", [], H, "historical"),
    ("Manager mentioned the fire department came out last Tuesday for the same alarm.", [], H, "historical"),
    ("Per last shift's notes an ambulance came yesterday for the resident in 210.", [], H, "historical"),
    ("Resident told me years ago someone died in a fire on this floor.", [], H, "historical"),
    ("Reviewed old reports where PD was called to the garage in 2022.", [], H, "historical"),
    # --- hard negatives: negation
    ("Did not need to call the police, the kids left when asked.", [], H, "negated"),
    ("Checked every floor for smoke, found none.", [], H, "negated"),
    ("Resident refused an ambulance and signed nothing.", [], H, "negated"),
    ("There was never any fire, the alarm was a dusty detector.", [], H, "negated"),
    ("No EMS needed, the man said he just tripped.", [], H, "negated"),
    ("Nobody called the cops, it was just an argument.", [], H, "negated"),
    ("Smelled something odd but there was no smoke or fire anywhere.", [], H, "negated"),
    # --- hard negatives: hypothetical and intent
    ("Guest said she was going to call the police on her boyfriend.", [], H, "hypothetical"),
    ("Advised the resident to call 911 if she sees the male again.", [], H, "hypothetical"),
    ("The tenant threatened to phone the cops over the parking spot.", [], H, "hypothetical"),
    ("If the alarm sounds again we must call the fire department.", [], H, "hypothetical"),
    ("Neighbor asked if she should call an ambulance for her dog; told her to call a vet.", [], H, "hypothetical"),
    ("Man yelled that he would get the police involved if we towed his car.", [], H, "hypothetical"),
    ("Instructed the front desk to dial 911 for any medical issue.", [], H, "hypothetical"),
    # --- hard negatives: training
    ("Took part in the CPR class in the community room from 1000 to 1200.", [], H, "training"),
    ("Fire evacuation drill at 1400 went fine, everyone out in 3 minutes.", [], H, "training"),
    ("Watched the stop the bleed training video for the site certification.", [], H, "training"),
    ("Attended first aid training with the other officers at the office.", [], H, "training"),
    ("Police academy recruits toured the building with the manager.", [], H, "training"),
    # --- hard negatives: 911 as a number
    ("Delivered a package to suite 911 and got a signature.", [], H, "number_911"),
    ("Loud party at apt 911 again, asked them to keep it down.", [], H, "number_911"),
    ("Car parked in stall 911 had no permit, left a warning.", [], H, "number_911"),
    ("Found a wallet near 911 Pine Avenue, turned it in to the office.", [], H, "number_911"),
    ("Unit #911 tenant reported a leaking faucet.", [], H, "number_911"),
    # --- hard negatives: names
    ("Officer Medic relieved me at 0600.", [], H, "name"),
    ("Mr. Fireman from unit 8 asked about his package.", [], H, "name"),
    ("Concierge Tom Trooper called in sick.", [], H, "name"),
    ("Mrs. Sheriff dropped off her keys at the desk.", [], H, "name"),
    # --- routine
    ("Found a bike locked to the stair railing, tagged it for removal.", [], R, "routine"),
    ("Resident locked out of unit 402, verified ID and let her in.", [], R, "routine"),
    ("Gate 2 keypad not working, notified maintenance at 0300.", [], R, "routine"),
    ("Quiet night. All patrols completed, nothing unusual.", [], R, "routine"),
    ("Water heater leaking in the utility closet, maintenance on call notified.", [], R, "routine"),
    ("Unknown vehicle parked in the fire lane, tow requested at 0115.", [], R, "routine"),
    ("Two teens smoking weed behind the clubhouse, told them to leave.", [], R, "routine"),
    # --- mixed: a hard negative beside a real attendance
    ("Tenant said police came last month too. Tonight officers arrived at 2200 and cited the driver.", ["police"], P, "mixed"),
    ("Fire drill at 1000. At 1500 a real alarm, fire department responded and found a burnt outlet.", ["fire"], P, "mixed"),
    ("Restocked the first aid kit. Later paramedics came for a resident with a head cut.", ["ems"], P, "mixed"),
    ("Advised the manager to call 911 next time. Police did respond tonight at 0130 for the noise fight.", ["police"], P, "mixed"),
    ("Apartment 911 complained about noise from 811; police arrived and spoke with 811.", ["police"], P, "mixed"),
    ("Officer Fireman relieved me at 0600 after the ambulance took the resident to the hospital.", ["ems"], P, "mixed"),
    ("A sheriff car drove past without stopping. Twenty minutes later deputies arrived for the break-in.", ["police"], P, "mixed"),
]  # fmt: skip


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for index, (text, services, kind, tag) in enumerate(CASES):
            record = {"id": f"heldout-{index:04d}", "text": text, "services": sorted(services), "kind": kind, "tag": tag}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
