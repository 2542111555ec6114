# ruff: noqa: E501  -- one narrative per line, as written: the data reads better unwrapped
"""Writes heldout2.jsonl: a second held-out set (102 narratives), written after the fixes that the first one showed.

`heldout.jsonl` was run once, untouched, and its figures reported; five general gaps it showed were
then fixed (arrival words such as "got here", "yesterday" and weekdays as time scope, roles before a
surname, "police, fire and EMS" as a list of services), so it no longer measures unseen text. This
set was written after those fixes and before the detector was run on it. Written out whole, no
templates: warehouses, malls, hospitals, campuses, construction sites, other voices.
Run: .venv/bin/python tests/narrative/corpus/write_heldout2.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout2.jsonl")

P, H, R = "positive", "hard_negative", "routine"

CASES: list[tuple[str, list[str], str, str]] = [
    # --- fire
    ("Forklift battery started smoking in aisle 14; the fire department arrived at 2140 and moved it outside.", ["fire"], P, "fire"),
    ("Food court grease trap fire, mall evacuated, FD on site 1912-2005.", ["fire"], P, "fire"),
    ("Sprinkler activation in the parking structure, fire units responded and shut the valve.", ["fire"], P, "fire"),
    ("WAREHOUSE DOCK 3 PALLETS ON FIRE, CALLED FIRE DEPT AT 0405, THEY PUT IT OUT BY 0420", ["fire"], P, "fire"),
    ("Hazmat team arrived for the chemical spill near receiving and set up a perimeter.", ["fire"], P, "fire"),
    ("Fire fighters checked the dorm room after the toaster incident and cleared the floor at 0110.", ["fire"], P, "fire"),
    ("Ladder 3 and Engine 9 showed up for the smoke in the electrical closet.", ["fire"], P, "fire"),
    ("The alarm company dispatched the fire department; they arrived 0232 and found a faulty duct detector.", ["fire"], P, "fire"),
    ("Construction site generator caught fire, I called 911 and used an extinguisher until the crew arrived.", ["fire"], P, "fire_911"),
    ("Saw flames from the dumpster enclosure behind the cinema, dialed 911.", ["fire"], P, "fire_911"),
    ("Smell of gas near the food trucks, called 911 at 1830 and cleared the area.", ["fire"], P, "fire_911"),
    ("fire dept came to reset the alarm panel after the drill went wrong", ["fire"], P, "fire"),
    # --- police
    ("Shoplifter held at the exit until police came at 1545 and took him away.", ["police"], P, "police"),
    ("Campus police responded to the dorm for the noise complaint at 0130.", ["police"], P, "police"),
    ("Officers Kim and Baptiste came to the ER entrance for the combative patient.", ["police"], P, "police"),
    ("The county sheriff sent two deputies for the stolen equipment at the construction site.", ["police"], P, "police"),
    ("CALLED PD AT 0050 FOR MALE BREAKING CAR WINDOWS, 2 UNITS ARRIVED 0058", ["police"], P, "police"),
    ("a cop came by to get the video of the hit and run from the garage cameras", ["police"], P, "police"),
    ("Highway patrol officer took the report for the truck that hit our gate.", ["police"], P, "police"),
    ("Transit police responded to the platform for the man exposing himself.", ["police"], P, "police"),
    ("Detective Lowe came in the afternoon and collected the stolen credit card receipts.", ["police"], P, "police"),
    ("Female screaming that she was being robbed in the parking lot, I called 911.", ["police"], P, "police_911"),
    ("Group of males jumped a kid by the bus stop at the mall, called 911, he ran off.", ["police"], P, "police_911"),
    ("Someone threw a brick through the pharmacy door at 0300. I called 911.", ["police"], P, "police_911"),
    ("police was called for the shoplifter and an officer came at 1700", ["police"], P, "police"),
    ("Deputies took the trespasser into custody at gate 4.", ["police"], P, "police"),
    # --- ems
    ("Shopper collapsed in the food court; paramedics arrived at 1250 and took her to the hospital.", ["ems"], P, "ems"),
    ("Worker got his hand caught in the conveyor, EMS came and transported him.", ["ems"], P, "ems"),
    ("Ambulance crew from AMR picked up the patient at the main lobby at 0215.", ["ems"], P, "ems"),
    ("EMTs checked the student who had an allergic reaction and gave her an epi pen.", ["ems"], P, "ems"),
    ("Called an ambulance for the contractor who fell from the scaffold, it got there in 8 minutes.", ["ems"], P, "ems"),
    ("Medic 41 arrived for the seizure in the chapel.", ["ems"], P, "ems"),
    ("Old man on the sidewalk not responding, I called 911.", ["ems"], P, "ems_911"),
    ("A customer grabbed his chest and went down near register 5. I called 911 and got the AED.", ["ems"], P, "ems_911"),
    ("Student found unconscious in the bathroom, called 911 at 0340.", ["ems"], P, "ems_911"),
    ("the paramedics came for the lady who was dizzy and checked her blood sugar", ["ems"], P, "ems"),
    ("Employee cut her arm badly on broken glass; an ambulence came at 1410.", ["ems"], P, "ems"),
    # --- several
    ("Truck rolled over at the entrance: fire, police and an ambulance all came.", ["ems", "fire", "police"], P, "three"),
    ("Police arrived for the fight and EMS treated the man with the cut lip.", ["ems", "police"], P, "two"),
    ("Fire dept and paramedics responded to the elevator entrapment, one woman taken to the hospital.", ["ems", "fire"], P, "two"),
    ("Bomb threat call; police and the fire department searched the building from 1300.", ["fire", "police"], P, "two"),
    # --- negation then arrival
    ("Ambulance was not available at first, but one arrived at 0310 for the resident.", ["ems"], P, "late"),
    ("Nobody was hurt, but police still came to write the accident report.", ["police"], P, "late"),
    ("The police did not answer for ten minutes; eventually an officer arrived at 0245.", ["police"], P, "late"),
    ("Could not reach the manager so I called the fire department myself and they came.", ["fire"], P, "late"),
    # --- hard negatives
    ("Police cruiser parked across the street at the gas station for a while, did not come on property.", [], H, "not_attending"),
    ("Ambulance sirens on the highway at 0200, nothing here.", [], H, "not_attending"),
    ("Fire truck drove by on the way to another call.", [], H, "not_attending"),
    ("Cop car went past the loading dock without stopping.", [], H, "not_attending"),
    ("Tested the fire alarm pull stations on floors 1-4 with the vendor.", [], H, "equipment"),
    ("Checked the first aid kits in the warehouse, restocked bandages and naloxone.", [], H, "equipment"),
    ("Fire exit in the back corridor blocked by boxes, moved them.", [], H, "equipment"),
    ("Ambulance entrance sign light is out, emailed facilities.", [], H, "equipment"),
    ("Tenant said the cops came last Friday when her car was broken into.", [], H, "historical"),
    ("Yesterday an ambulance came for a fall in the gym, per the day guard.", [], H, "historical"),
    ("Back in 2020 the fire department came out for the same kitchen, said the manager.", [], H, "historical"),
    ("Store manager said police arrested a shoplifter here last week.", [], H, "historical"),
    ("Read the pass-down: PD was here two days ago about the homeless camp.", [], H, "historical"),
    ("No ambulance was needed, the student was fine after some water.", [], H, "negated"),
    ("Did not see any smoke or flames in the loading bay.", [], H, "negated"),
    ("Customer declined EMS after the slip.", [], H, "negated"),
    ("The fire department was not called because it was only burnt popcorn.", [], H, "negated"),
    ("No police involvement, both drivers exchanged information.", [], H, "negated"),
    ("Man said he would call the police if we did not refund him.", [], H, "hypothetical"),
    ("Told the store clerk to call 911 if the shoplifter comes back.", [], H, "hypothetical"),
    ("The lady was threatening to call the cops on the valet.", [], H, "hypothetical"),
    ("In case of fire, the fire department must be called from the red phone.", [], H, "hypothetical"),
    ("Parent asked whether she should call an ambulance; the kid was fine.", [], H, "hypothetical"),
    ("Supervisor wants us to notify police of any more car break ins.", [], H, "hypothetical"),
    ("Sat through the site CPR and AED class with the day shift.", [], H, "training"),
    ("Fire drill for the west wing at 1100, all staff out in five minutes.", [], H, "training"),
    ("Police academy cadets did a walk-through of the mall with management.", [], H, "training"),
    ("Completed the first aid refresher online.", [], H, "training"),
    ("Complaint of loud music from room 911 in the hotel wing.", [], H, "number_911"),
    ("Dock door 911 left open, closed it at 0230.", [], H, "number_911"),
    ("Vendor truck parked in front of 911 Commerce Blvd, moved it.", [], H, "number_911"),
    ("Locker 911 found unlocked in the staff room.", [], H, "number_911"),
    ("Ms. Trooper from accounting forgot her badge.", [], H, "name"),
    ("Spoke with janitor Paul Fireman about the spill.", [], H, "name"),
    ("Officer Medic started his shift at 1800.", [], H, "name"),
    # --- routine
    ("Escorted the cash pickup to the armored truck at 1600.", [], R, "routine"),
    ("Lost child reunited with her mother at guest services within 5 minutes.", [], R, "routine"),
    ("Construction gate chained and locked at 1900, lights on.", [], R, "routine"),
    ("Water on the floor near the entrance, put out a wet floor sign.", [], R, "routine"),
    ("Suspicious male looking into cars, asked him to leave and he did.", [], R, "routine"),
    ("Delivered lost and found items to the office.", [], R, "routine"),
    ("Panhandler at the main doors, asked him to move along.", [], R, "routine"),
    # --- mixed
    ("Fire alarm test in the morning. At 1900 real smoke in the kitchen, fire department came.", ["fire"], P, "mixed"),
    ("A tenant threatened to call the police; later officers did arrive for the fight at 2300.", ["police"], P, "mixed"),
    ("Replaced naloxone in the kit. At 0100 paramedics came for an overdose in the stairwell.", ["ems"], P, "mixed"),
    ("Room 911 guest fell in the shower, the ambulance took him to the ER.", ["ems"], P, "mixed"),
    ("Police car drove by without stopping at 2200. At 0300 police came for the alarm at the jewelry store.", ["police"], P, "mixed"),
    ("Mr. Police from unit 4 complained; at 0200 EMS arrived for his wife.", ["ems"], P, "mixed"),
    ("Last week the fire dept came for a false alarm. Tonight fire department responded to a real fire in the trash room.", ["fire"], P, "mixed"),
    ("Kid hit by a car in the drop-off loop; ambulance and police arrived within minutes.", ["ems", "police"], P, "two"),
    ("SECURITY OFFICER FOUND SMOKE IN STAIRWELL C, FD RESPONDED 0415, CAUSE A CIGARETTE IN THE TRASH", ["fire"], P, "fire"),
    ("Nurse asked me to stand by until the ambulance crew arrived for the transfer.", ["ems"], P, "ems"),
    ("Police came out for the abandoned car and had it towed.", ["police"], P, "police"),
    ("Guest asked where the nearest fire station is.", [], H, "not_attending"),
    ("Resident says she will call the fire marshal about the blocked exits.", [], H, "hypothetical"),
    ("Practiced the lockdown drill with the school resource officer watching.", [], H, "training"),
    ("Nobody called EMS, the worker bandaged his own finger.", [], H, "negated"),
]  # fmt: skip


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for index, (text, services, kind, tag) in enumerate(CASES):
            record = {"id": f"heldout2-{index:04d}", "text": text, "services": sorted(services), "kind": kind, "tag": tag}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
