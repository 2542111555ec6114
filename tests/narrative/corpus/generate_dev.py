"""Writes dev.jsonl: the development corpus of labelled security-officer narratives (issue 10).

Each narrative is assembled from hand-written sentences (what happened, who came, routine
patrol filler, hard negatives), then varied the way guards type: ALL CAPS, run-ons without
punctuation, typos in the service word, past tense throughout. Seeded, so the file is stable.
Labels: `services` is what actually came or was called to the site this shift; `kind` is
positive / routine / hard_negative; `tag` names the case (for hard negatives: which trap).

Run: .venv/bin/python tests/narrative/corpus/generate_dev.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SEED = 20261201
OUT = Path(__file__).with_name("dev.jsonl")

FILLER = [
    "Started patrol of the north lot at 2200.",
    "All doors of Building A checked and locked.",
    "Checked the pool gate, secured.",
    "Walked the perimeter fence, no breaches.",
    "Logged the check on the activity sheet.",
    "Lobby quiet, two residents collecting mail.",
    "Stairwell B lights out on the 3rd floor, left a work order.",
    "Escorted a vendor to the loading dock at 0130.",
    "Garage level 2 clear.",
    "Relieved by Officer Grant at 0600.",
    "Clubhouse locked at 2300.",
    "Handed the keys back to the leasing office.",
    "Tow truck removed the unregistered sedan from space 14.",
    "Parking permits checked in lot C.",
]

# --- positives: (sentence, service). Every one says a service came or was called.
FIRE = [
    "Fire department arrived at 0212 and cleared the building.",
    "FD on scene at 0215, reset the panel.",
    "AFD responded and checked the unit with a thermal camera.",
    "Engine 7 and the battalion chief arrived at 0310.",
    "Ladder 14 crew checked the roof and left at 0340.",
    "Firefighters put out the dumpster fire behind Bldg D.",
    "The fire marshal arrived and inspected the damaged wiring.",
    "Two fire trucks pulled up at the main gate at 0120.",
    "Fire crews ventilated the hallway and gave the all clear.",
    "County fire rescue responded to the smoke in the boiler room.",
    "Engine Co. 3 showed up and shut off the gas.",
    "Station 9 fire crew came and put it out.",
    "Fire dept came out for the burnt food smell on the 4th floor.",
    "The fire department was called and arrived within six minutes.",
    "Called the fire department at 0145, they arrived at 0152.",
    "Fire Rescue units on scene for the car fire in lot B.",
]
POLICE = [
    "Police arrived at 2310 and took a report.",
    "APD officers responded and escorted the subject off property.",
    "Officers Ruiz and Park arrived at 0140 and spoke with both parties.",
    "Officer Chen arrived and took the report, case number 24-1180.",
    "Two deputies from the county sheriff's office arrived and arrested the male.",
    "Sheriff's deputies responded at 0220.",
    "State Highway Patrol troopers came for the crash at the main entrance.",
    "The constable arrived and served the eviction notice with me present.",
    "Cops showed up around 1am and talked to the tenant.",
    "Called the police non emergency line, a unit came at 0350.",
    "PD on scene at 0105, subject detained.",
    "Officers from the 14th precinct came and took the stolen bike report.",
    "A patrol unit from the sheriff's department arrived at 0300 and cleared the area.",
    "Police were called and an officer arrived at 0215.",
    "I contacted the police and they sent a car over.",
    "CHP arrived and handled the accident on the frontage road.",
    "The subject was arrested and taken into custody by the responding officers.",
    "Detectives came by at 1000 to collect the camera footage.",
]
EMS = [
    "Paramedics arrived and transported the resident to Grady hospital.",
    "EMS on scene at 0312, evaluated the patient.",
    "Ambulance arrived at 0120 and took her to the ER.",
    "Medic 12 transported the male to the hospital at 0305.",
    "AMR ambulance arrived and the crew checked his vitals.",
    "EMTs treated the cut on his hand in the lobby.",
    "The ambulance came at 0230 and took him to the hospital.",
    "Rural Metro paramedics came and assessed the tenant.",
    "Called an ambulance at 0210, it arrived at 0221.",
    "EMS arrived and gave him oxygen, he refused transport.",
    "Paramedics responded and took the woman to St. Joseph's.",
    "The medics treated the resident on scene and released her.",
    "Ambulance crew carried the patient out on a stretcher.",
]
# 911 calls: (sentence describing what happened, service the call brings).
CALLS = [
    ("Found a man down in stairwell B, not responding. I called 911 at 0114.", "ems"),
    ("Resident collapsed in the gym. Called 911 right away.", "ems"),
    ("Elderly tenant fell and hit her head, bleeding. I dialed 911.", "ems"),
    ("Two males fighting in the parking garage, one with a bottle. Called 911.", "police"),
    ("Heard glass break at the leasing office and saw a male climbing in. Called 911.", "police"),
    ("Smoke coming from the roof vent of Building C. I called 911 at 0210.", "fire"),
    ("Strong smell of gas in the boiler room, called 911 and evacuated the floor.", "fire"),
    ("A man was having a seizure in the lobby, called 911.", "ems"),
    ("Subject pulled a knife on a resident, I called 911 from the guard shack.", "police"),
    ("Flames coming out of a car hood in lot A. 911 called at 2344.", "fire"),
    ("Guest unconscious by the pool, not breathing. Called 911 and started CPR.", "ems"),
    ("Domestic dispute in unit 212, woman screaming for help. I called 911.", "police"),
]
TYPOS = {
    "ambulance": ["ambulence", "ambulanse", "ambulnce"],
    "paramedics": ["paramedcs", "paramedis", "parmedics"],
    "police": ["polcie", "pollice", "plice"],
    "firefighters": ["firefigthers", "firefighers", "fire fighters"],
    "fire department": ["fire departmant", "fire deparment"],
    "deputies": ["deputys", "depuites"],
    "officers": ["oficers", "officrs"],
    "sheriff's": ["sherrif's", "sherif's"],
}

# --- hard negatives: (sentence, tag). None of them says a service came this shift.
HARD = [
    # mention is not attendance
    ("A police car drove past the front gate without stopping.", "not_attending"),
    ("Patrol car from the sheriff drove by the entrance around 0100, did not stop.", "not_attending"),
    ("Sign pointing to the ambulance entrance was knocked over, I stood it back up.", "not_attending"),
    ("Heard sirens on the highway, nothing on property.", "not_attending"),
    ("An ambulance went by on Main St with its lights on, not for us.", "not_attending"),
    ("Fire trucks passed on the street heading north.", "not_attending"),
    ("Restocked the first aid kit, added two naloxone doses and gauze.", "equipment"),
    ("Checked the AED cabinet in the lobby, battery light green.", "equipment"),
    ("Fire extinguisher in the hallway was missing its tag, reported it.", "equipment"),
    ("Fire lane in front of Bldg B blocked by a pickup, driver moved it.", "equipment"),
    ("Smoke detector chirping in unit 108, left a note for maintenance.", "equipment"),
    ("The police station across the street had its lights on all night.", "not_attending"),
    # time scope
    ("Tenant said the police came last month about the same neighbor.", "historical"),
    ("Resident mentioned there was a fire in this building back in 2019.", "historical"),
    ("Manager told me an ambulance was here last week for a fall.", "historical"),
    ("Per pass-down, PD responded to the garage two nights ago.", "historical"),
    ("History of fire department visits for this unit, see previous reports.", "historical"),
    ("Last year the cops arrested someone in this lot, per the resident.", "historical"),
    # negation
    ("Checked the boiler room, could not find any trace of smoke.", "negated"),
    ("Nobody needed to call the fire department because it was only steam.", "negated"),
    ("No police were called, the parties separated on their own.", "negated"),
    ("I did not call an ambulance, the resident said she was fine.", "negated"),
    ("Resident declined EMS and went back to his unit.", "negated"),
    ("Did not observe any flames or smoke in the laundry room.", "negated"),
    ("No fire, no smoke, the alarm was a faulty sensor.", "negated"),
    ("Police were not needed, subject left when asked.", "negated"),
    ("There was no need for paramedics, only a scraped knee.", "negated"),
    # hypothetical / someone else's intent
    ("A tenant threatened to call the police on her neighbor.", "hypothetical"),
    ("Told the resident to dial 911 if it happens again.", "hypothetical"),
    ("Advised the tenant to call 911 if the male returns.", "hypothetical"),
    ("If the subject comes back, call the police.", "hypothetical"),
    ("The resident said she would call an ambulance if her husband got worse.", "hypothetical"),
    ("Manager wants us to call the fire department for any future alarm.", "hypothetical"),
    ("The neighbor said he might call the cops about the noise.", "hypothetical"),
    ("Driver said he was going to call the police about the tow.", "hypothetical"),
    # training and classes
    ("Attended the first aid and CPR refresher course at the office.", "training"),
    ("Fire drill held at 1000, building evacuated in four minutes.", "training"),
    ("Had our annual fire safety training with the fire marshal in the clubhouse.", "training"),
    ("Completed the online active shooter training module.", "training"),
    ("Reviewed the emergency plan: in a medical emergency call 911.", "training"),
    # 911 as a number
    ("Noise complaint from apartment 911, asked them to turn it down.", "number_911"),
    ("Package left at 911 Oak St by mistake, returned it to the office.", "number_911"),
    ("Unit 911 door found propped open, closed it.", "number_911"),
    ("Checked parking space 911, the car had a valid permit.", "number_911"),
    ("Room 911 guest asked for more towels.", "number_911"),
    # names
    ("Relieved by Officer Fireman at 0600.", "name"),
    ("Spoke with Mr. Police from unit 4C about his parking.", "name"),
    ("Maintenance tech Joe Sheriff fixed the gate arm.", "name"),
    ("Resident Maria Ambulo picked up her package.", "name"),
    ("Supervisor Mike Cops did a site visit at 0200.", "name"),
]
# Routine reports without any service word.
ROUTINE = [
    "Found a male sleeping in the stairwell, asked him to leave, he left.",
    "Loud music from unit 305, knocked and the tenant turned it down.",
    "Gate arm stuck open at the east entrance, called maintenance.",
    "Two juveniles skateboarding in the pool area, advised them to leave.",
    "Water leak in the laundry room, placed wet floor signs.",
    "Car alarm going off in lot B, owner turned it off.",
    "Delivery driver blocking the loading zone, asked him to move.",
    "Found the side door propped open with a rock, closed and secured it.",
]
# Tricky positives: a negation or hypothetical near a real attendance.
TRICKY_POSITIVES = [
    ("The police did not show up for an hour, but then came and took the report.", ["police"]),
    ("No one was home in 4B and police arrived at 0100 for a welfare check.", ["police"]),
    ("Resident refused to leave the lobby, police were called and two officers came.", ["police"]),
    ("EMS could not find the building at first, but they arrived at 0230.", ["ems"]),
    ("Tenant said she would not press charges, but the deputies arrested him anyway.", ["police"]),
    ("No injuries to the driver, fire department still came to clean up the fuel.", ["fire"]),
    ("Smoke alarm turned out to be burnt toast but the fire department came and cleared it.", ["fire"]),
    ("Subject was not breathing, paramedics arrived and started CPR.", ["ems"]),
]


def _typo(text: str, rng: random.Random) -> str:
    for word, typos in TYPOS.items():
        if word in text.lower():
            at = text.lower().index(word)
            return text[:at] + rng.choice(typos) + text[at + len(word) :]
    return text


def _style(sentences: list[str], rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    text = " ".join(sentences)
    if roll < 0.12:
        return text.upper(), "caps"
    if roll < 0.24:
        # A run-on: no full stops, lower case, as typed on a phone in a hurry.
        run = " ".join(re.sub(r"[.]+(\s|$)", r" \1", s).strip().lower() for s in sentences)
        return run, "run_on"
    if roll < 0.30:
        return "\n".join(sentences), "lines"
    return text, "plain"


def _record(rng: random.Random, core: list[str], services: list[str], kind: str, tag: str) -> dict[str, object]:
    sentences = rng.sample(FILLER, rng.randint(0, 3)) + core + rng.sample(FILLER, rng.randint(0, 2))
    text, style = _style(sentences, rng)
    return {"text": text, "services": sorted(set(services)), "kind": kind, "tag": tag, "style": style}


def build(rng: random.Random) -> list[dict[str, object]]:
    """The corpus, in a stable order."""
    records: list[dict[str, object]] = []
    pools = {"fire": FIRE, "police": POLICE, "ems": EMS}
    for service, pool in pools.items():
        for sentence in pool:
            for _ in range(4):
                text = _typo(sentence, rng) if rng.random() < 0.2 else sentence
                records.append(_record(rng, [text], [service], "positive", f"named_{service}"))
    for sentence, service in CALLS:
        for _ in range(4):
            records.append(_record(rng, [sentence], [service], "positive", f"call_911_{service}"))
    for _ in range(40):
        first, second = rng.sample(list(pools), 2)
        core = [rng.choice(pools[first]), rng.choice(pools[second])]
        records.append(_record(rng, core, [first, second], "positive", "two_services"))
    for sentence, services in TRICKY_POSITIVES:
        for _ in range(4):
            records.append(_record(rng, [sentence], services, "positive", "negation_then_arrival"))
    for sentence, tag in HARD:
        for _ in range(3):
            records.append(_record(rng, [sentence], [], "hard_negative", tag))
    # A hard negative next to a real attendance: only the attendance counts.
    for _ in range(40):
        service = rng.choice(list(pools))
        sentence, tag = rng.choice(HARD)
        core = [rng.choice(pools[service]), sentence]
        rng.shuffle(core)
        records.append(_record(rng, core, [service], "positive", f"with_{tag}"))
    for sentence in ROUTINE:
        for _ in range(3):
            records.append(_record(rng, [sentence], [], "routine", "routine"))
    return records


def main() -> None:
    rng = random.Random(SEED)
    records = build(rng)
    with OUT.open("w", encoding="utf-8") as out:
        for index, record in enumerate(records):
            out.write(json.dumps({"id": f"dev-{index:04d}", **record}, ensure_ascii=False) + "\n")
    print(f"{len(records)} narratives -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
