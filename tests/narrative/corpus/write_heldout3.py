# ruff: noqa: E501  -- one narrative per line, as written: the data reads better unwrapped
"""Writes heldout3.jsonl: the third held-out set (102 narratives), the one whose figures stand.

`heldout` and `heldout2` were each run once, untouched, their figures reported, and then general
gaps they showed were fixed: they no longer measure unseen text. This set was written after the last
fix and before the detector was run on it. Written out whole, no templates; hotels, parking
operators, schools, hospitals, offices, residential towers, event venues.
Run: .venv/bin/python tests/narrative/corpus/write_heldout3.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout3.jsonl")

P, H, R = "positive", "hard_negative", "routine"

CASES: list[tuple[str, list[str], str, str]] = [
    # --- fire
    ("Hotel room 1422 smoke alarm, guest had been cooking on a hot plate; fire department arrived 0115 and aired out the room.", ["fire"], P, "fire"),
    ("Fire crew from station 4 came for the burning smell in the server room at 2300.", ["fire"], P, "fire"),
    ("Car on fire on level P2 of the garage. FD arrived 0340, extinguished it.", ["fire"], P, "fire"),
    ("ELECTRICAL PANEL SPARKING IN THE BOILER ROOM, FIRE DEPARTMENT CALLED 0205, ON SCENE 0212", ["fire"], P, "fire"),
    ("firefighters were called for the trash can fire outside gate 2 and put it out", ["fire"], P, "fire"),
    ("Fire Department responded at 1640 to the alarm in the gym, cause was dust from construction.", ["fire"], P, "fire"),
    ("Black smoke from the roof HVAC unit, I called 911 and evacuated the 12th floor.", ["fire"], P, "fire_911"),
    ("There was an explosion sound and a gas smell at the food court, so I called 911.", ["fire"], P, "fire_911"),
    ("Engine 14 crew checked the stuck elevator and freed the passenger at 0525.", ["fire"], P, "fire"),
    ("The battalion chief and two engines came for the second-alarm fire next to our loading dock that spread to the fence.", ["fire"], P, "fire"),
    ("Fire department got here about 10 minutes after the alarm and walked every floor.", ["fire"], P, "fire"),
    # --- police
    ("Officer Patel of the city police arrived and took the report for the stolen laptop.", ["police"], P, "police"),
    ("Police officers responded to the concert gate for the fight and ejected two men.", ["police"], P, "police"),
    ("A deputy came out at 0415 for the suspicious person in the school parking lot.", ["police"], P, "police"),
    ("called police at 2215 about the drunk guy harassing guests, cops showed up 2230", ["police"], P, "police"),
    ("NYPD officers came to the lobby and escorted the ex-tenant out.", ["police"], P, "police"),
    ("The police came and took a statement from the valet about the scratched car.", ["police"], P, "police"),
    ("Two troopers came to the rest area for the road rage incident.", ["police"], P, "police"),
    ("Man pulled a gun in the parking lot during an argument, I called 911 and locked the doors.", ["police"], P, "police_911"),
    ("Woman said her purse was snatched in the elevator; I called 911 for her.", ["police"], P, "police_911"),
    ("Kids spray painting the back wall ran when I approached. I called 911 at 0120.", ["police"], P, "police_911"),
    ("The constable's office sent someone at 1000 for the lockout.", ["police"], P, "police"),
    ("PD arrested the male for the assault on the night clerk.", ["police"], P, "police"),
    ("Sheriff deputies responded to the alarm at the pharmacy and searched the store.", ["police"], P, "police"),
    # --- ems
    ("Guest in 608 had a seizure; paramedics came and took him to the hospital.", ["ems"], P, "ems"),
    ("Student twisted her ankle at practice, EMS responded and wrapped it.", ["ems"], P, "ems"),
    ("AMBULANCE ARRIVED AT 0305 FOR THE MAN WHO FELL DOWN THE STAIRS IN TOWER B", ["ems"], P, "ems"),
    ("Patient's visitor fainted in the parking garage, EMTs responded from the ER.", ["ems"], P, "ems"),
    ("Employee with chest pains, I called 911 and the medics arrived at 1322.", ["ems"], P, "ems_911"),
    ("Found a man lying on the ground not moving behind the venue. I called 911.", ["ems"], P, "ems_911"),
    ("Elderly guest fell in the bathroom and could not get up; I called 911.", ["ems"], P, "ems_911"),
    ("Someone overdosed in the restroom, gave narcan and called 911, he woke up.", ["ems"], P, "ems_911"),
    ("The paramedics transported the worker who was hit by a reversing truck.", ["ems"], P, "ems"),
    ("Medic unit 7 arrived and took the diabetic teen to the ER.", ["ems"], P, "ems"),
    ("Ambulance came for the lady who was dizzy in the lobby, she went with them.", ["ems"], P, "ems"),
    # --- several
    ("Multi-car crash at the parking entrance, fire, EMS and police responded.", ["ems", "fire", "police"], P, "three"),
    ("Police and paramedics came for the stabbing on the plaza.", ["ems", "police"], P, "two"),
    ("Fire department and an ambulance arrived for the kitchen burn injury.", ["ems", "fire"], P, "two"),
    ("After the fight, police arrived and an ambulance took one man to the hospital.", ["ems", "police"], P, "two"),
    # --- negation then arrival
    ("EMS was slow and did not arrive until 0250, then they treated him in the lobby.", ["ems"], P, "late"),
    ("No answer at the police line at first; an officer came at 0330 anyway.", ["police"], P, "late"),
    ("The man said no ambulance, but his wife called one and it came at 2100.", ["ems"], P, "late"),
    ("Nobody was inside the unit, but the fire dept forced the door to check the alarm.", ["fire"], P, "late"),
    # --- hard negatives: not attending
    ("Police helicopter circling the neighborhood around 0100, nothing on our property.", [], H, "not_attending"),
    ("An ambulance drove past the front of the hotel with its siren on.", [], H, "not_attending"),
    ("Fire trucks went by on the avenue at 0230.", [], H, "not_attending"),
    ("Saw a police car at the gas station across the street, they did not come over.", [], H, "not_attending"),
    ("Cleaned the ambulance bay and moved the cones back.", [], H, "equipment"),
    ("Monthly check of fire extinguishers done, two need recharging.", [], H, "equipment"),
    ("Added Narcan to the lobby first aid cabinet.", [], H, "equipment"),
    ("Fire lane painted over the weekend, looks good.", [], H, "equipment"),
    # --- hard negatives: time scope
    ("Guest told me the police came to this hotel last year for a robbery.", [], H, "historical"),
    ("The school had a fire back in 2018 according to the janitor.", [], H, "historical"),
    ("Day shift notes say EMS came yesterday for a student.", [], H, "historical"),
    ("Tenant said the cops arrested her neighbor a few months ago.", [], H, "historical"),
    ("Previously the fire department was called here for false alarms.", [], H, "historical"),
    # --- hard negatives: negation
    ("Guest did not want the police involved, handled it with the manager.", [], H, "negated"),
    ("There was no smoke and no fire, just a steam leak.", [], H, "negated"),
    ("I didnt call EMS because the man walked off fine.", [], H, "negated"),
    ("The student refused an ambulance, parent picked her up.", [], H, "negated"),
    ("No cops were needed, the argument ended.", [], H, "negated"),
    ("Couldn't smell any smoke in the hallway.", [], H, "negated"),
    # --- hard negatives: hypothetical / intent
    ("The guest kept saying he was going to call the cops on the bartender.", [], H, "hypothetical"),
    ("Told the night clerk to call 911 if the man returns.", [], H, "hypothetical"),
    ("Resident asked if she should call the fire department about the smell; it was a candle.", [], H, "hypothetical"),
    ("Driver threatened to call the police when we booted his car.", [], H, "hypothetical"),
    ("If anyone is hurt on the field, call an ambulance first.", [], H, "hypothetical"),
    ("Property manager wants police called for any more trespassers.", [], H, "hypothetical"),
    # --- hard negatives: training
    ("Attended the CPR certification class at the Red Cross.", [], H, "training"),
    ("Fire drill for the dorms at 2100, everyone out in 4 minutes.", [], H, "training"),
    ("Officers did first aid training in the break room.", [], H, "training"),
    ("Active shooter drill with the school staff, police training officers observed.", [], H, "training"),
    # --- hard negatives: 911 as a number
    ("Noise complaint from room 911, guest turned the TV down.", [], H, "number_911"),
    ("Car with plate 911 XYZ parked in the handicap spot.", [], H, "number_911"),
    ("Checked suite #911, door secured.", [], H, "number_911"),
    ("Delivery for 911 Market Street left at our desk by mistake.", [], H, "number_911"),
    ("Apartment 911 resident asked about the pool hours.", [], H, "number_911"),
    # --- hard negatives: names
    ("Officer Fireman took over post 3 at 1400.", [], H, "name"),
    ("Maintenance man Bob Sheriff fixed the lobby door closer.", [], H, "name"),
    ("Guest Mr. Paramedic checked out at 1100.", [], H, "name"),
    # --- routine
    ("Vehicle alarm going off in the garage, owner came and turned it off.", [], R, "routine"),
    ("Escorted a guest to her car at 2330.", [], R, "routine"),
    ("Lobby doors locked at 2200, all floors patrolled.", [], R, "routine"),
    ("Lost badge reported by an employee, deactivated it.", [], R, "routine"),
    ("Homeless man sleeping in the stairwell, woke him and he left.", [], R, "routine"),
    ("Broken glass on the sidewalk, swept it up.", [], R, "routine"),
    ("Power outage in the north wing for 20 minutes, facilities restored it.", [], R, "routine"),
    # --- mixed
    ("Fire drill at 0900. At 1700 an actual fire in the dumpster, FD came and put it out.", ["fire"], P, "mixed"),
    ("Room 911 guest collapsed; the ambulance arrived at 0320.", ["ems"], P, "mixed"),
    ("A man threatened to call the cops on us. Later police did come for his fight with another guest.", ["police"], P, "mixed"),
    ("Restocked the AED pads. At 1500 EMS came for a player who collapsed.", ["ems"], P, "mixed"),
    ("Police car drove by at 2000. At 2300 officers arrived for the break-in at the storage units.", ["police"], P, "mixed"),
    ("Officer Fireman relieved me. Before that, paramedics came for a guest with a bleeding head.", ["ems"], P, "mixed"),
    ("Last month the fire department came for a false alarm; tonight they came again for the real smoke in unit 5.", ["fire"], P, "mixed"),
    ("Told the tenant to call 911 next time. Tonight the police arrived and arrested her ex.", ["police"], P, "mixed"),
    ("No injuries in the crash but police came and did a report.", ["police"], P, "mixed"),
    ("There was no fire, but the fire department still came to check the smell.", ["fire"], P, "mixed"),
    ("the ambulance came for the guy who got hit by a car in the drive thru lane", ["ems"], P, "mixed"),
    ("Security at the next building called police for their alarm, nothing at ours.", [], H, "not_attending"),
    ("Guest reported her phone stolen; advised her to file a police report online.", [], H, "hypothetical"),
    ("Checked the fire pump room, all gauges normal.", [], H, "equipment"),
    ("Police report number from last week's break-in given to the manager.", [], H, "historical"),
]  # fmt: skip


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for index, (text, services, kind, tag) in enumerate(CASES):
            record = {"id": f"heldout3-{index:04d}", "text": text, "services": sorted(services), "kind": kind, "tag": tag}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
