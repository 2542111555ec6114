# ruff: noqa: E501  -- one narrative per line, as written: the data reads better unwrapped
"""Writes heldout5.jsonl: the fifth held-out set, the one whose figures stand after the heldout4 fixes.

Written after the last change to narrative/, before the detector was run on it, and never tuned on.
Written out whole, no templates: warehouses, apartments, retail, a hospital, a campus, airport
parking, a stadium; terse and verbose, ALL CAPS, typos, abbreviations, run-ons, every hard-negative kind.
Run: .venv/bin/python tests/narrative/corpus/write_heldout5.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout5.jsonl")

P, H, R = "positive", "hard_negative", "routine"

CASES: list[tuple[str, list[str], str, str]] = [
    # --- fire
    ("Sprinkler head broke in the freezer aisle, water everywhere, FD came and shut the riser.", ["fire"], P, "fire"),
    ("0250 fire alarm zone 7. Engine 6 arrived 0258, found a bad detector, reset.", ["fire"], P, "fire"),
    ("FIRE DEPT ON SITE FOR SMOKE FROM THE BATTERY CHARGING AREA, FORKLIFT BATTERY OVERHEATED", ["fire"], P, "fire"),
    ("the firemen came out for the smell of burning plastic in the break room, microwave", ["fire"], P, "fire"),
    ("Truck 2 crew responded to the elevator entrapment and got the lady out at 1915.", ["fire"], P, "fire"),
    ("Trash chute fire on floor 9, fire department extinguished it and ventilated the shaft.", ["fire"], P, "fire"),
    ("Saw smoke coming out of the electrical room door, pulled the alarm and called 911.", ["fire"], P, "fire_911"),
    ("Fire fighters arrived within 5 min of the call and checked the attic space.", ["fire"], P, "fire"),
    ("Hazmat team came for the chemical spill at dock 4 and cleaned it up by 0500.", ["fire"], P, "fire"),
    ("A fire engine and a ladder truck showed up for the alarm at the dorm.", ["fire"], P, "fire"),
    ("Co2 alarm going off in the mechanical room, I called 911 and opened the doors.", ["fire"], P, "fire_911"),
    ("fire dept responded 2 times tonight for the same faulty pull station", ["fire"], P, "fire"),
    # --- police
    ("Police arrived at 0130 and removed the trespasser from the stairwell.", ["police"], P, "police"),
    ("PD came out for the car break ins in the west lot, officer took pics.", ["police"], P, "police"),
    ("Deputy Alvarez responded to the shoplifting call and issued a citation.", ["police"], P, "police"),
    ("TWO SQUAD CARS ARRIVED 2340 FOR THE FIGHT OUTSIDE GATE C", ["police"], P, "police"),
    ("Cops showed up after the neighbors complained about the party on the roof deck, everyone left.", ["police"], P, "police"),
    ("State troopers came to the terminal lot for the abandoned vehicle.", ["police"], P, "police"),
    ("The sheriff's deputies took the suspect into custody at 0210.", ["police"], P, "police"),
    ("Officer from the 14th precinct came by and took the report about the stolen package.", ["police"], P, "police"),
    ("A man tried to open car doors in the garage; I called 911 and gave a description.", ["police"], P, "police_911"),
    ("Guy threatening staff with a knife at the register. Called 911.", ["police"], P, "police_911"),
    ("Heard gunshots near the basketball court, called 911 at 2305.", ["police"], P, "police_911"),
    ("Police responded to the alarm at the jewelry counter, no one inside.", ["police"], P, "police"),
    ("Metro PD detectives interviewed the cashier about the robbery.", ["police"], P, "police"),
    ("officers arived at 0345 and arrested the man for DUI in the drive lane", ["police"], P, "police"),
    ("The campus cops came and escorted the student back to his dorm.", ["police"], P, "police"),
    ("Police dept sent an officer for the hit and run in row G.", ["police"], P, "police"),
    # --- ems
    ("Paramedics came for the patient visitor who fell in the ER lobby and took her in.", ["ems"], P, "ems"),
    ("Ambulance took the worker with the crushed finger to the clinic.", ["ems"], P, "ems"),
    ("EMS RESPONDED 1810 TO SECTION 114 FOR A FAN WITH HEAT EXHAUSTION", ["ems"], P, "ems"),
    ("medics checked out the driver after the fender bender, he was ok", ["ems"], P, "ems"),
    ("The EMT's arrived and gave the diabetic man some juice and checked his sugar.", ["ems"], P, "ems"),
    ("A private ambulance from Falck transported the resident to the hospital.", ["ems"], P, "ems"),
    ("Tenant found her husband on the kitchen floor not breathing, I called 911 and did CPR.", ["ems"], P, "ems_911"),
    ("Man collapsed at the bus stop in front of our gate, called 911.", ["ems"], P, "ems_911"),
    ("Kid got hit in the head with a ball and was bleeding, called 911.", ["ems"], P, "ems_911"),
    ("Older woman slipped on the wet floor by the entrance and could not stand up. I called 911 for her.", ["ems"], P, "ems_911"),
    ("Employee having an allergic reaction, lips swelling, I called 911.", ["ems"], P, "ems_911"),
    ("Ambulence arrived at 2030 for the man with the chest pain at the bar.", ["ems"], P, "ems"),
    ("Paramedic unit 3 on scene for the overdose in the garage, pt transported.", ["ems"], P, "ems"),
    ("Life flight landed on the field for the injured worker.", ["ems"], P, "ems"),
    # --- several
    ("Car fire in lot B with the driver burned: FD put the fire out and EMS took the driver.", ["ems", "fire"], P, "two"),
    ("Shooting at the bus stop, police and ambulances arrived within minutes.", ["ems", "police"], P, "two"),
    ("GAS LEAK, BUILDING EVACUATED. FIRE DEPT AND PD ON SCENE 1420-1600.", ["fire", "police"], P, "two"),
    ("Police, fire and medics responded to the crash at the gate, one person taken to the hospital.", ["ems", "fire", "police"], P, "three"),
    ("Fight in the food court, one guy cut. Officers arrested one and the paramedics treated the other.", ["ems", "police"], P, "two"),
    # --- late / negation then arrival
    ("The police didn't show for over an hour. When they did they took the report.", ["police"], P, "late"),
    ("No ambulance available at first. One got here at 0415 and took him.", ["ems"], P, "late"),
    ("We did not call the FD, but the alarm company did and they came at 0230.", ["fire"], P, "late"),
    ("The man said he did not need the paramedics, they came anyway and checked him.", ["ems"], P, "late"),
    ("Dispatch had no units at first, an officer came at 0300.", ["police"], P, "late"),
    # --- hard negatives: not attending
    ("Fire trucks screaming down the highway at 0130, nothing on site.", [], H, "not_attending"),
    ("Police car sat at the light outside the entrance and then drove off.", [], H, "not_attending"),
    ("An ambulance went past on 5th Ave.", [], H, "not_attending"),
    ("SO patrol drove through the lot at 0300 but didn't stop.", [], H, "not_attending"),
    ("Lots of police activity on the next block, not our property.", [], H, "not_attending"),
    ("The store next door had the fire department out for their alarm, nothing at ours.", [], H, "not_attending"),
    # --- hard negatives: equipment and signs
    ("Restocked the AED and the first aid kit in the guard shack.", [], H, "equipment"),
    ("Fire extinguisher by dock 3 was discharged by kids, reported to maintenance for replacement.", [], H, "equipment"),
    ("Checked the fire doors on all floors, closed the one propped open on 6.", [], H, "equipment"),
    ("Told a driver he can't park in the fire lane.", [], H, "equipment"),
    ("Ambulance bay kept clear per hospital policy, moved 2 cars.", [], H, "equipment"),
    ("Replaced the Narcan in the lobby box, it was expired.", [], H, "equipment"),
    ("The POLICE ONLY parking spots were taken by visitors, chalked the tires.", [], H, "equipment"),
    # --- hard negatives: historical
    ("Tenant said police came for her neighbor two nights ago.", [], H, "historical"),
    ("Last winter a pipe burst and the FD came, according to the super.", [], H, "historical"),
    ("The day guard told me an ambulance was here this morning before my shift.", [], H, "historical"),
    ("There was a fire in this warehouse in 2017 per the manager.", [], H, "historical"),
    ("Read pass down: PD was called yesterday for the same car.", [], H, "historical"),
    # --- hard negatives: negation
    ("Smelled around the boiler room, no gas and no smoke.", [], H, "negated"),
    ("No need for police, the kid's dad picked him up.", [], H, "negated"),
    ("She fell but said she didn't want an ambulance and drove home.", [], H, "negated"),
    ("Didn't see any flames, the orange glow was the sunset on the windows.", [], H, "negated"),
    ("We never called the cops, the two guys made up and left.", [], H, "negated"),
    ("Declined medical attention, signed the refusal form.", [], H, "negated"),
    # --- hard negatives: hypothetical / intent
    ("Manager said she will call the police if the skaters come back.", [], H, "hypothetical"),
    ("Instructed the staff to call 911 in case of any medical emergency.", [], H, "hypothetical"),
    ("A guest yelled that he was calling the cops on us, he never did and left.", [], H, "hypothetical"),
    ("Reminded the tenant that if she smells gas again she should call the fire department.", [], H, "hypothetical"),
    ("The client wants an ambulance on standby for the concert next week.", [], H, "hypothetical"),
    ("Driver threatened to get the sheriff involved over the tow.", [], H, "hypothetical"),
    # --- hard negatives: training
    ("Refresher CPR/AED training for night shift, 2 hrs.", [], H, "training"),
    ("Participated in the quarterly fire drill, all clear in 6 minutes.", [], H, "training"),
    ("Police gave a de-escalation class to our officers in the conference room.", [], H, "training"),
    ("First aid certification exam passed today.", [], H, "training"),
    # --- hard negatives: 911 as a number
    ("Unit 911 tenant asked for a parking permit.", [], H, "number_911"),
    ("Mail for 911 Pine Rd was in our box, put it back.", [], H, "number_911"),
    ("Locker #911 was left open, closed it.", [], H, "number_911"),
    ("Trailer 911 at door 14 sealed, seal number logged.", [], H, "number_911"),
    # --- hard negatives: names
    ("Officer Ambulo and I swapped posts at 0200.", [], H, "name"),
    ("Supervisor Jim Trooper stopped by for the site check.", [], H, "name"),
    ("Mr. Medic from 5A asked about the gym hours.", [], H, "name"),
    # --- routine
    ("Rounds completed, no issues.", [], R, "routine"),
    ("Let the plumber in at 0700 for the leak in 2C.", [], R, "routine"),
    ("Truck driver waiting at the gate for paperwork, sent him to receiving.", [], R, "routine"),
    ("Raccoon in the dumpster area, left it alone.", [], R, "routine"),
    ("Parking garage lights out on level 3, facilities called.", [], R, "routine"),
    ("Helped a guest jump start her car.", [], R, "routine"),
    # --- mixed
    ("Fire drill at 1000. At 1530 smoke in the kitchen and the FD came for real.", ["fire"], P, "mixed"),
    ("Apartment 911 tenant collapsed in the hall; medics arrived at 0110.", ["ems"], P, "mixed"),
    ("Cops were here last night for noise. Tonight officers came back for a fight in the same unit.", ["police"], P, "mixed"),
    ("Restocked the first aid kit. Later an EMS crew treated a guard who cut his hand on the fence.", ["ems"], P, "mixed"),
    ("Patrol car drove by at 2100. At 2215 two officers arrived for the alarm at suite 400.", ["police"], P, "mixed"),
    ("Tenant threatened to call the police. Her roommate did, and PD came at 0040.", ["police"], P, "mixed"),
    ("CPR class in the morning. At 1400 a visitor fainted and the ambulance came.", ["ems"], P, "mixed"),
    ("Told the guest to call 911 if the pain got worse; at 0300 it did and EMS arrived.", ["ems"], P, "mixed"),
]  # fmt: skip


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for index, (text, services, kind, tag) in enumerate(CASES):
            record = {"id": f"heldout5-{index:04d}", "text": text, "services": sorted(services), "kind": kind, "tag": tag}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
