"""Emergency mentions, table-driven from what guards really write: the services that came, negation-aware."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrative.emergency import EmergencyMention, attended_services, find_emergency_mentions

SEED = "Tenant saw smoke coming from the dumpster; fire department responded, false alarm."

# (narrative, services it must report). An empty set: nothing an emergency section must cover.
EMERGENCIES = [
    # The seed: a false alarm is still a fire department visit the client must hear about.
    pytest.param(SEED, {"fire"}, id="seed-smoke-dumpster-false-alarm"),
    pytest.param("APD arrived at 2310 and took a report.", {"police"}, id="apd-took-report"),
    pytest.param("Called 911 at 0215 after hearing glass shatter at the leasing office.", {"police"}, id="911-alone"),
    pytest.param(
        "Resident of unit 4B fell on the stairs and was bleeding from the head. I called 911.",
        {"ems"},
        id="911-after-a-fall",
    ),
    pytest.param(
        "Heard shouting in the parking garage, two males fighting. Called 911, police arrived at 0140.",
        {"police"},
        id="fight-911-police",
    ),
    pytest.param(
        "Found a male unconscious in stairwell B, not breathing. Started CPR, used the AED until paramedics arrived.",
        {"ems"},
        id="cpr-aed-paramedics",
    ),
    pytest.param("Medic 12 transported the resident to Grady hospital at 0305.", {"ems"}, id="medic-unit-transport"),
    pytest.param(
        "Smoke alarm going off in unit 212, resident burnt popcorn. Fire dept arrived and cleared the unit at 0320.",
        {"fire"},
        id="fd-for-burnt-popcorn",
    ),
    pytest.param(
        "Fire alarm activated in Building C at 0205, building evacuated, AFD on scene at 0212.",
        {"fire"},
        id="fire-alarm-activation-afd",
    ),
    pytest.param("Car fire in lot B, Engine 7 put it out.", {"fire"}, id="car-fire-engine-company"),
    pytest.param(
        "Small grease fire in the clubhouse kitchen, I put it out with the fire extinguisher.",
        {"fire"},
        id="grease-fire-put-out-by-guard",
    ),
    pytest.param("Officers arrived at 2250 and escorted the subject off property.", {"police"}, id="officers-arrived"),
    pytest.param("Deputies arrested the subject for trespassing at 0130.", {"police"}, id="deputies-arrest"),
    pytest.param(
        "Subject overdosed in the lobby restroom; I gave him narcan and EMS took him to the ER.",
        {"ems"},
        id="overdose-narcan",
    ),
    pytest.param(
        "Tenant reported a gas leak and called 911; fire department shut off the gas at the meter.",
        {"fire"},
        id="gas-leak-911-fd",
    ),
    pytest.param("Cops showed up around 1am for a noise complaint at unit 305.", {"police"}, id="cops-lowercase"),
    pytest.param(
        "Ambulance and fire truck on scene for a resident who collapsed in the gym.",
        {"ems", "fire"},
        id="ambulance-and-fire-truck",
    ),
    pytest.param(
        "No one was home and police arrived at 0100 for a welfare check.", {"police"}, id="no-one-home-police"
    ),
    pytest.param("Shots fired near the north gate at 0030, PD notified.", {"police"}, id="shots-fired"),
    pytest.param("called police non emergency line about a suspicious van", {"police"}, id="non-emergency-line"),
    pytest.param(
        "Tenant thought she saw smoke from the dumpster so she called 911. Firefighters checked it, false alarm.",
        {"fire"},
        id="911-for-smoke",
    ),
    pytest.param("Police report #24-118 filed with Sgt. Diaz at the front desk.", {"police"}, id="police-report"),
    pytest.param("I could smell smoke in the 3rd floor hallway near unit 310.", {"fire"}, id="could-smell-smoke"),
    pytest.param("Fire Dept. arrived at 0210 and reset the panel.", {"fire"}, id="fire-dept-abbreviation"),
    pytest.param(
        "No injuries reported, EMS was called to check the driver anyway.", {"ems"}, id="no-injuries-but-ems-called"
    ),
    pytest.param("fd and pd on scene after the crash at the main gate", {"fire", "police"}, id="fd-pd-lowercase"),
    pytest.param(
        "Subject refused to leave the lobby police were called", {"police"}, id="refused-to-leave-run-on-sentence"
    ),
    pytest.param("Dumpster behind bldg D on fire!! FD called at 2340", {"fire"}, id="dumpster-on-fire"),
    # --- negated, hypothetical, or benign: nothing to report.
    pytest.param("No sign of fire.", set(), id="no-sign-of-fire"),
    pytest.param("Checked the boiler room, no sign of fire", set(), id="boiler-room-no-sign-of-fire"),
    pytest.param("No smoke.", set(), id="no-smoke"),
    pytest.param("Tenant was upset but I did not call police.", set(), id="did-not-call-police"),
    pytest.param("Spoke to the subject, no police needed.", set(), id="no-police-needed"),
    pytest.param("Fire extinguishers inspected on all floors.", set(), id="extinguishers-inspected"),
    pytest.param("Fire lane clear.", set(), id="fire-lane-clear"),
    pytest.param("Fire exits checked at 0200, all unobstructed.", set(), id="fire-exits-checked"),
    pytest.param("Checked the fire panel, normal.", set(), id="fire-panel-normal"),
    pytest.param("Verbal dispute between neighbours, police not required.", set(), id="police-not-required"),
    pytest.param("Resident slipped in the lobby. No injuries, EMS not called.", set(), id="ems-not-called"),
    pytest.param("Smoke detector battery replaced in unit 108.", set(), id="smoke-detector-maintenance"),
    pytest.param(
        "White pickup parked in the fire lane, left a warning on the windshield.", set(), id="fire-lane-parking"
    ),
    pytest.param(
        "Walked past the police station on Elm St to reach the east gate.", set(), id="police-station-directions"
    ),
    pytest.param("Advised tenant to call 911 if the man returns.", set(), id="advised-to-call-911"),
    pytest.param("If anyone is hurt, call 911 and then notify the supervisor.", set(), id="post-order-conditional"),
    pytest.param(
        "Fire alarm test completed by the vendor, all devices activated normally.", set(), id="fire-alarm-test"
    ),
    pytest.param("Resident declined EMS and said she was fine.", set(), id="declined-ems"),
    pytest.param("No signs of forced entry, smoke or fire.", set(), id="list-of-negated-things"),
    pytest.param("Two residents smoking weed in the stairwell, asked them to leave.", set(), id="smoking-weed"),
    pytest.param("Security officers responded to the alarm at the west gate.", set(), id="security-officers"),
    pytest.param("Subject threatened to call the cops on us, then left.", set(), id="threatened-to-call-cops"),
    pytest.param("Fire watch every hour per post orders while the sprinkler system is down.", set(), id="fire-watch"),
    pytest.param("Police were not called because the subject left on his own.", set(), id="police-were-not-called"),
    pytest.param("Smoke: none. Flames: none.", set(), id="form-style-none"),
    pytest.param("Did not see any smoke coming from the unit.", set(), id="did-not-see-smoke"),
    pytest.param("Fire alarm did not go off.", set(), id="alarm-did-not-go-off"),
    pytest.param("Will call police if she comes back tonight.", set(), id="will-call-if"),
    pytest.param("Cigarette smoke in the stairwell again, resident of 2C warned.", set(), id="cigarette-smoke"),
    pytest.param("No police or fire department responded.", set(), id="neither-service"),
    pytest.param("Area free of smoke, fire ruled out by maintenance.", set(), id="free-of-ruled-out"),
    pytest.param("Fire Dept. was not called.", set(), id="fire-dept-not-called"),
    pytest.param("Patrolled the ambulance bay and the ER entrance.", set(), id="ambulance-bay-is-a-place"),
    pytest.param(
        "Welfare check at unit 4, resident unresponsive to knocks, left a note.", set(), id="unresponsive-door"
    ),
    pytest.param("Tenants smoke in the stairwell every night.", set(), id="smoke-the-verb"),
    pytest.param("Fire ext. on the 2nd floor is missing its tag.", set(), id="fire-ext-abbreviation"),
    pytest.param("Used a ladder 6 ft tall to reset the camera.", set(), id="ladder-is-not-ladder-company"),
    pytest.param("Called the fire alarm company to reset the panel.", set(), id="alarm-company"),
    pytest.param("Post orders: in case of fire, call 911.", set(), id="in-case-of-fire"),
    pytest.param("The fire's origin was a space heater in unit 12.", {"fire"}, id="apostrophe-s"),
    pytest.param("FIRE ALARM IN BLDG 2 - FD ON SCENE", {"fire"}, id="all-caps"),
    pytest.param("Resident not breathing, CPR started at 0112.", {"ems"}, id="negation-inside-a-term-stays-there"),
]


@pytest.mark.parametrize(("text", "services"), EMERGENCIES)
def test_emergency_mentions_name_the_services_that_came(text, services):
    # given a guard's narrative / when it is read
    mentions = find_emergency_mentions(text)
    # then exactly the services it reports are found, each with its evidence
    assert {mention.service for mention in mentions} == services, mentions
    for mention in mentions:
        assert mention.phrase in mention.sentence
        assert mention.sentence in text


def test_the_seed_reports_the_smoke_and_the_fire_department_with_their_sentences():
    assert find_emergency_mentions(SEED) == [
        EmergencyMention(
            "fire",
            "smoke",
            "Tenant saw smoke coming from the dumpster",
            "uncertain",
            "‘Tenant saw smoke coming from the dumpster’ — mentions smoke; no service said to have come",
            True,
        ),
        EmergencyMention(
            "fire",
            "fire department",
            "fire department responded, false alarm",
            "attended",
            "‘fire department responded, false alarm’ — fire service attended",
        ),
    ]


def test_mentions_keep_the_guards_spelling_and_come_in_reading_order():
    text = "Checked lot A. APD arrived at 2310 and took a report. Later Paramedics checked the subject."
    assert [(m.service, m.phrase) for m in find_emergency_mentions(text)] == [
        ("police", "APD"),
        ("ems", "Paramedics"),
    ]


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Called 911.", ["police"], id="nothing-named-defaults-to-police"),
        pytest.param("Called 911 because the resident collapsed in the gym.", ["ems"], id="hint-in-sentence"),
        pytest.param("Called 911 for a gas smell in the boiler room.", ["fire"], id="gas-means-fire"),
        pytest.param("Ambulance requested. Called 911 at 0110.", ["ems"], id="service-in-previous-sentence"),
        pytest.param("Called 911. No injuries.", ["police"], id="negated-hint-does-not-count"),
        pytest.param("Called 911 for smoke and an injured tenant.", ["fire", "ems"], id="two-services"),
    ],
)
def test_a_911_call_takes_the_services_named_nearby_else_police(text, services):
    calls = [m for m in find_emergency_mentions(text) if "911" in m.phrase]
    assert [m.service for m in calls] == services


def test_first_responders_take_the_named_service():
    mentions = find_emergency_mentions("The fire department and first responders responded to the dumpster.")
    assert {(m.service, m.phrase) for m in mentions} == {("fire", "fire department"), ("fire", "first responders")}


# --- property tests -------------------------------------------------------------------------

TERMS = [
    "fire", "smoke", "flames", "the fire department", "firefighters", "FD", "police", "APD", "cops", "deputies",
    "an ambulance", "EMS", "paramedics", "911",
]  # fmt: skip
BENIGN_WORDS = st.sampled_from(
    ("the", "lobby", "stairwell", "unit 4", "parking lot", "east gate", "boiler room", "at 0200", "during my rounds")
)


@settings(max_examples=200, deadline=None)
@given(term=st.sampled_from(TERMS), place=st.lists(BENIGN_WORDS, max_size=4).map(" ".join))
def test_no_sign_of_anything_is_never_a_mention(term, place):
    for template in ("No sign of {t} {p}.", "Did not call {t} {p}.", "No {t} needed {p}.", "{t} not called {p}."):
        assert find_emergency_mentions(template.format(t=term, p=place)) == []


REPORTS = st.sampled_from([param.values[0] for param in EMERGENCIES])
NEGATED = st.builds(
    "{} {}.".format,
    st.sampled_from(["No sign of", "No", "Did not call", "Never saw any", "Negative for"]),
    st.sampled_from(TERMS),
)


@settings(max_examples=200, deadline=None)
@given(report=REPORTS, negated=NEGATED)
def test_appending_a_negated_sentence_does_not_change_the_mentions(report, negated):
    assert find_emergency_mentions(f"{report}\n{negated}") == find_emergency_mentions(report)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_is_read_without_error_and_mentions_quote_it(text):
    for mention in find_emergency_mentions(text):
        assert mention.service in ("fire", "police", "ems")
        assert mention.phrase in mention.sentence
        assert mention.sentence in text


# Speed is measured by bench/bench_narrative.py, not here: these only guard against a hang. Catastrophic
# backtracking in a regex takes minutes on such input, so a bound of seconds cannot fail on a loaded machine
# and still catches it.
HANG_GUARD_SECONDS = 10


def test_a_long_narrative_dense_with_terms_is_read_whole():
    # Two thousand characters dense with terms, negations and benign compounds: the worst case.
    dense = (
        "At 2310 tenant in unit 305 saw smoke coming from the dumpster; I checked, no sign of fire and no flames. "
        "Tenant had called 911, Fire department (Engine 12) arrived at 2318 and put it out. No injuries, EMS not "
        "called. Police not required. Fire lane clear, fire exits checked, smoke detector battery replaced. "
    )
    text = (dense * 10)[:2000]
    started = time.perf_counter()
    mentions = find_emergency_mentions(text)
    assert time.perf_counter() - started < HANG_GUARD_SECONDS
    assert attended_services(mentions) == ["fire"]
    assert {m.sentence for m in mentions if m.status == "attended"} >= {
        "Tenant had called 911, Fire department (Engine 12) arrived at 2318 and put it out"
    }


@pytest.mark.parametrize(
    "filler",
    [
        "fire ", "officers ", "transported ", "fire alarm ", "smoke , ", "no ", "unit 2341 ", "crew from station 9 ",
        "was transported to ", "police bomb squad ", "call ", "'somebody call ", "until ems ",
    ],
)  # fmt: skip
def test_repetitive_input_does_not_backtrack(filler):
    started = time.perf_counter()
    find_emergency_mentions(filler * 500)
    assert time.perf_counter() - started < HANG_GUARD_SECONDS


# --- issue 10: mentions read in context -------------------------------------------------------


def attended(text, **kwargs):
    return set(attended_services(find_emergency_mentions(text, **kwargs)))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A police car drove past the front gate without stopping.", id="patrol-car-passing"),
        pytest.param("Sign pointing to the ambulance entrance was knocked over.", id="ambulance-entrance-sign"),
        pytest.param("Restocked the first aid kit, added two naloxone doses.", id="restocking-naloxone"),
        pytest.param("Tenant said the police came last month about the same neighbor.", id="last-month"),
        pytest.param("Resident mentioned there was a fire in this building back in 2019.", id="back-in-2019"),
        pytest.param("Checked the boiler room, could not find any trace of smoke.", id="no-trace-of-smoke"),
        pytest.param("Nobody needed to call the fire department because it was only steam.", id="nobody-needed"),
        pytest.param("A tenant threatened to call the police.", id="threat"),
        pytest.param("Told the resident to dial 911 if it happens again.", id="instruction"),
        pytest.param("Attended the first aid and CPR refresher course.", id="cpr-course"),
        pytest.param("Noise complaint from apartment 911, asked them to turn it down.", id="apartment-911"),
        pytest.param("Package left at 911 Oak St by mistake.", id="street-number-911"),
        pytest.param("Relieved by Officer Fireman at 0600.", id="surname-fireman"),
        pytest.param("Maintenance tech Joe Sheriff fixed the gate arm.", id="surname-sheriff"),
    ],
)
def test_a_mention_that_is_not_attendance_raises_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Engine 7 and the battalion chief arrived at 0310.", {"fire"}, id="engine-company"),
        pytest.param("The fire marshal arrived and inspected the wiring.", {"fire"}, id="fire-marshal"),
        pytest.param("Officers Ruiz and Park arrived at 0140.", {"police"}, id="officers-by-surname"),
        pytest.param("State Highway Patrol troopers came for the crash.", {"police"}, id="highway-patrol"),
        pytest.param("Two deputies from the county sheriff's office arrived.", {"police"}, id="county-sheriff"),
        pytest.param("AMR ambulance arrived and the crew checked his vitals.", {"ems"}, id="private-ambulance"),
        pytest.param("The constable arrived and served the notice.", {"police"}, id="constable"),
        pytest.param("Officers from the 14th precinct came and took the report.", {"police"}, id="precinct"),
        pytest.param("The ambulence arrived at 0120.", {"ems"}, id="typo-ambulence"),
        pytest.param("Polcie were called and an officer arrived at 0215.", {"police"}, id="typo-polcie"),
        pytest.param("Called the fire departmant at 0145.", {"fire"}, id="typo-departmant"),
        pytest.param(
            "The police did not show up for an hour, but then came and took the report.", {"police"}, id="late"
        ),
    ],
)
def test_local_words_split_phrases_and_typos_are_found(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    ("text", "service"),
    [
        pytest.param("Found a man down in stairwell B, not responding. I called 911 at 0114.", "ems", id="man-down"),
        pytest.param("Two males fighting in the garage. Called 911.", "police", id="fight"),
        pytest.param("Smoke coming from the roof vent. I called 911 at 0210.", "fire", id="smoke"),
        pytest.param("Resident collapsed in the gym, I ran to the office and after a minute I called 911.", "ems",
                     id="collapsed-same-sentence"),
    ],
)  # fmt: skip
def test_a_911_call_brings_the_service_what_happened_calls_for(text, service):
    calls = [m for m in find_emergency_mentions(text) if "911" in m.phrase]
    assert [m.service for m in calls] == [service]
    assert all(m.status == "attended" for m in calls)


def test_each_mention_quotes_its_sentence_and_says_why_it_counted():
    mentions = find_emergency_mentions("Engine 7 and the battalion chief arrived at 0310.")
    assert [m.phrase for m in mentions] == ["Engine 7", "battalion chief"]
    assert {m.reason for m in mentions} == {
        "\u2018Engine 7 and the battalion chief arrived at 0310\u2019 \u2014 fire service attended"
    }


def test_a_service_only_mentioned_is_uncertain_not_attended():
    [mention] = find_emergency_mentions("Resident asked about the ambulance her mother needs.")
    assert (mention.service, mention.status) == ("ems", "uncertain")


def test_a_company_and_a_site_add_their_own_agency_words():
    text = "GSP arrived at 0200. AFR crew checked the transformer."
    assert attended(text) == set()
    assert attended(text, agency_terms=[{"police": ["GSP"]}, {"fire": ["AFR"]}]) == {"police", "fire"}
    # Malformed settings (not a list, an unknown service) are ignored, never an error.
    assert attended(text, agency_terms=[{"police": "GSP", "coast guard": ["AFR"]}]) == set()


# General causes of misses on heldout3/heldout4, each in phrasings of its own (not the corpus sentences).
ATTENDED_IN_CONTEXT = [
    pytest.param("The county sheriff sent units at 0200 for the prowler.", ["police"], id="sent-units-is-arrival"),
    pytest.param("Fire crews vented the hallway and left at 0415.", ["fire"], id="vented-and-left-is-arrival"),
    pytest.param(
        "Player hurt his knee at football practice, EMS came out.", ["ems"], id="sport-practice-is-not-training"
    ),
    pytest.param(
        "Old man laying on the floor not moving in the laundry room. Called 911.", ["ems"], id="man-down-911-ems"
    ),
    pytest.param(
        "Guard fell from the dock and could not get up, called 911.", ["ems"], id="comma-ends-a-negation-before-a-call"
    ),
    pytest.param(
        "No deputies for an hour. They finally showed at 0330.", ["police"], id="next-sentence-arrival-takes-back-no"
    ),
    pytest.param("No one picked up at dispatch at first; a unit came at 0120.", [], id="a-unit-alone-names-no-service"),
    pytest.param("No answer from the PD line; eventually they came at 0400.", ["police"], id="later-clause-arrival"),
    pytest.param(
        "The medics were here two weeks ago; tonight they came again for her.",
        ["ems"],
        id="again-tonight-after-history",
    ),
    pytest.param(
        "Guest threatened to call the cops, then they showed up anyway for the noise.",
        ["police"],
        id="threat-then-arrival",
    ),
    pytest.param("Officer Medic took over the gate at 0600.", [], id="service-word-surname-taking-over-a-post"),
    pytest.param(
        "Staff at the property next door called the FD for their alarm.", [], id="neighbours-call-for-their-own-site"
    ),
    pytest.param(
        "The neighbour called police about the fight in our garage and two officers came.",
        ["police"],
        id="neighbours-call-to-our-site",
    ),
    pytest.param("Forklift 911 has a dead battery, van ending in 911 towed.", [], id="911-as-a-vehicle-label"),
    pytest.param("Engine companies from station 3 knocked the brush fire down.", ["fire"], id="engine-companies"),
]


@pytest.mark.parametrize(("text", "services"), ATTENDED_IN_CONTEXT)
def test_attendance_is_read_across_clauses_sentences_and_names(text, services):
    # given a narrative whose attendance depends on context / when it is read
    # then the critical "attended" services are exactly those that came
    assert attended_services(find_emergency_mentions(text)) == services


def test_an_officer_on_the_guard_roster_is_our_guard_not_the_police():
    text = "Officers Ruiz and Okafor arrived on post at 2200 and relieved day shift."
    # given Ruiz and Okafor are the company's guards / when the narrative is read with the roster
    with_roster = find_emergency_mentions(text, guard_names=["Ruiz", "Okafor"])
    # then no police are said to have come; without the roster the same words read as police officers
    assert attended_services(with_roster) == []
    assert attended_services(find_emergency_mentions(text)) == ["police"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Visitor slipped on the ramp and we dialed 911, but he got up fine and we cancelled the call before any"
            " units came.",
            id="911-cancelled-same-sentence",
        ),
        pytest.param(
            "Called 911 for a worker who felt faint. He recovered after some water. Phoned back and cancelled before"
            " anyone was sent.",
            id="911-cancelled-next-sentence",
        ),
        pytest.param(
            "Alarm monitoring told to cancel the fire department; the FD run was cancelled before arrival.",
            id="fd-run-cancelled",
        ),
        pytest.param(
            "Night notes say a tenant fell and EMS transported her. All of this happened before my shift started.",
            id="dated-by-a-later-sentence",
        ),
        pytest.param("The loading dock worker arrested by deputies on 3/22 came back for his tools.", id="dated-m-d"),
        pytest.param(
            "Filed the binder from the 2018 flood, when the fire department pumped the basement.", id="from-the-year"
        ),  # fmt: skip
        pytest.param(
            "Records request from the county sheriff's office for last quarter's video.", id="records-request"
        ),  # fmt: skip
        pytest.param("Weekly summary: 3 EMS transports, 2 PD responses. Tonight nothing to report.", id="summary"),
        pytest.param("Took down the old police tape and stacked the police barricades by the gate.", id="police-tape"),
        pytest.param("Cashier Lena Sheriff called out sick, store manager informed.", id="surname-after-a-role"),
        pytest.param(
            "Forklift driver noted: Operator R. Trooper signed for the pallets.", id="surname-after-an-initial"
        ),  # fmt: skip
        pytest.param("Bin 911 N. Dock Rd. was left open by the vendor.", id="911-with-a-compass-point"),
        pytest.param(
            "Fire drill tabletop: the scenario assumed the engine company arrives in ten minutes.",
            id="tabletop-scenario",
        ),  # fmt: skip
    ],
)
def test_calls_called_off_dated_events_and_lookalikes_raise_nothing_critical(text):
    assert attended(text) == set()


def test_a_call_called_off_is_a_warning_that_says_so():
    [mention] = find_emergency_mentions(
        "Guest fainted and we called 911; she came around and we cancelled the call before anyone came."
    )
    assert (mention.service, mention.status) == ("ems", "uncertain")
    assert mention.reason.endswith("called, then called off before anyone came")


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param(
            "Called 911 for a fall, tried to cancel, but the ambulance arrived anyway and checked her.",
            {"ems"},
            id="cancel-but-came-anyway",
        ),  # fmt: skip
        pytest.param(
            "We cancelled the alarm company's call before they dispatched. Later PD arrived for a fight.",
            {"police"},
            id="another-service-after-a-cancellation",
        ),  # fmt: skip
        pytest.param("BLS unit on scene 0210, checked the cyclist.", {"ems"}, id="bls-unit"),
        pytest.param("Black and whites rolled in at 0130 for the break-in.", {"police"}, id="black-and-whites"),
        pytest.param("Harbor fireboat knocked down the flames on the barge.", {"fire"}, id="fireboat"),
        pytest.param("County PD 10-97 at the north gate re: the stolen truck.", {"police"}, id="radio-code-on-scene"),
        pytest.param("UNITS CALLED 0210. SUSPECT IN CUSTODY 0225.", {"police"}, id="in-custody"),
        pytest.param(
            "FIRE, EMS AND SO ON SCENE AT 0400 FOR THE ROLLOVER.", {"fire", "ems", "police"}, id="so-on-scene"
        ),  # fmt: skip
        pytest.param("City officers took the report at 0300.", {"police"}, id="officers-took-the-report"),
        pytest.param("The report was taken by the responding officer at 2215.", {"police"}, id="responding-officer"),
        pytest.param("Mulch bed by the entrance smouldering. Called 911.", {"fire"}, id="911-for-smouldering"),
        pytest.param("Cook got degreaser splashed in her eyes. Called 911.", {"ems"}, id="911-for-eyes"),
        pytest.param("Shopper in early labor by register 4, 911 called.", {"ems"}, id="911-for-early-labor"),
    ],
)
def test_new_agency_words_radio_codes_and_call_reasons_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Room 911 rang the desk about a leaking tap.", id="room-911-rang"),
        pytest.param("Detailed the black 911 Turbo in bay 2 for the auction.", id="porsche-911-turbo"),
        pytest.param("Trainee K. Trooper walked the route with me.", id="surname-after-an-initial-sentence-split"),
        pytest.param("Yesterday's EMS call is still the talk of the site, everybody on site asked about it.",
                     id="yesterdays-still-on-site"),  # fmt: skip
        pytest.param("Waited with the visitor in the ambulance vestibule for her ride.", id="ambulance-vestibule"),
        pytest.param("A Police cover band played the atrium, crowd of 200.", id="police-cover-band"),
        pytest.param("Compiled last quarter's stats: 3 FD responses, 5 PD calls.", id="last-quarters-stats"),
        pytest.param("Briefed the relief officer: a man down means call 911 first.", id="briefed"),
        pytest.param("Post orders updated: for a gas leak, evacuate and request the fire department.",
                     id="post-orders-updated"),  # fmt: skip
        pytest.param("Night shift told me the police came Friday about the graffiti.", id="night-shift-told-me"),
        pytest.param("Charter bus arrived at 0900 with the conference group.", id="a-bus-is-a-bus"),
    ],
)
def test_more_lookalikes_and_dated_mentions_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Worker fainted in the break room. The bus got here in 6 minutes and the crew took her in.",
                     {"ems"}, id="bus-beside-a-patient"),  # fmt: skip
        pytest.param("Unlocked the side door and let the firefighters in through the boiler room.", {"fire"},
                     id="let-them-in"),  # fmt: skip
        pytest.param("The county engine staged at the parade drove over and finished it with foam.", {"fire"},
                     id="drove-over"),  # fmt: skip
        pytest.param("Police found the suspect behind the dumpsters.", {"police"}, id="found"),
        pytest.param("Within minutes the sheriff's office had two cars at the gate.", {"police"}, id="had-two-cars"),
        pytest.param("Called nine one one for the brush fire; a brush unit was on scene by 0305.", {"fire"},
                     id="nine-one-one-and-a-brush-unit"),  # fmt: skip
        pytest.param("Pyro effect caught the backdrop. Called 911; three engines arrived.", {"fire"},
                     id="engines-by-count"),  # fmt: skip
        pytest.param("RCMP attended for the break-in and took statements.", {"police"}, id="rcmp"),
        pytest.param("The ambulance was held at the closed road. They reached us at 0410 and transported him.",
                     {"ems"}, id="reached-us"),  # fmt: skip
        pytest.param("The engine company was stuck in traffic on the highway but arrived at 2215.", {"fire"},
                     id="stuck-in-traffic"),  # fmt: skip
        pytest.param("Paramedics took her in. FD had been dispatched too but EMS cancelled them before they came.",
                     {"ems"}, id="dispatched-then-cancelled-by-another"),  # fmt: skip
        pytest.param("I went down with the extinguisher while my partner called 911 for the smoke.", {"fire"},
                     id="i-went-down-is-not-a-collapse"),  # fmt: skip
    ],
)
def test_arrivals_by_slang_deeds_and_delays_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Welfare check on room 12, guest fine. Nobody from EMS was called, none needed.",
                     id="nobody-from-ems-was-called"),  # fmt: skip
        pytest.param("Site rule posted: if the alarm sounds, evacuate and call 911.", id="bare-call-is-a-rule"),
        pytest.param("Manager said if it floods we shut the gates and call the fire dept.", id="we-call-is-a-plan"),
        pytest.param("Fuel truck 12 (Acme) in at 0500.\n0620 Truck 12 out.", id="the-same-vehicle-again"),
        pytest.param("Spare relay, part no. 911-B2, put on the shelf.", id="part-number-911"),
        pytest.param("Keypad code changed from 911 at the owner's request.", id="door-code-911"),
        pytest.param("Plumber Al Marshal on site at 0900.\n1000 Marshal left for parts.", id="a-name-read-again"),
        pytest.param("The crew everyone calls 'Medic' clocked in late.", id="a-nickname-in-quotes"),
        pytest.param("Adjuster from Fireman's Fund walked the warehouse.", id="an-insurer"),
        pytest.param("Almost called the fire department, then saw it was steam from the vent.", id="almost-called"),
        pytest.param("The deputy never came onto our property; he was at the farm next door about loose cattle.",
                     id="the-deputy-never-came"),  # fmt: skip
        pytest.param("Walked through when to call the police and fire dispatch during the drill.",
                     id="walked-through-across-and"),  # fmt: skip
        pytest.param("Prior guard's log says PD came at 0200 for a noise call.", id="prior-guards-log"),
        pytest.param("Fire engines lined up on Main St staging for the parade.", id="staging-for-the-parade"),
        pytest.param("Mechanic replaced the engine belt on the golf cart.", id="a-motor-is-not-a-fire-engine"),
    ],
)
def test_rules_plans_names_read_again_and_denials_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Shavings pile on fire. The engine got held up at the crossing. They finally got here at 0925.",
                     {"fire"}, id="the-engine-late"),  # fmt: skip
        pytest.param("The fire guys came and hosed it down.", {"fire"}, id="fire-guys"),
        pytest.param("Asked dispatch for deputies. A deputy got to the back gate at 0158.", {"police"},
                     id="got-to-the-gate"),  # fmt: skip
        pytest.param("Visitor fell. The ambulance went to the wrong campus. It took them 20 minutes to find us.",
                     {"ems"}, id="took-them-to-find-us"),  # fmt: skip
        pytest.param("Nurse had us call off the ambulance before it got here.", set(), id="call-off-bare"),
        pytest.param("The fire department was called off. Nobody came out.", set(), id="called-off-passive"),
        pytest.param("I had to call 911 for the man who collapsed.", {"ems"}, id="had-to-call"),
        pytest.param("County SO sent a deputy out at 0240 for the cut lock.", {"police"}, id="so-sent-a-deputy"),
        pytest.param("The ground ambulance met the toboggan at the base.", {"ems"}, id="met-the"),
    ],
)
def test_late_arrivals_plain_words_and_calls_made_or_called_off_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Tenant in 4B home from the hospital; the ambulance took her Sunday.", id="a-weekday-past"),
        pytest.param("Scrawled 911 on the stall door in marker, cleaned it.", id="written-911"),
        pytest.param("Started to call police about the loiterer but he left first, no call made.",
                     id="started-to-call"),  # fmt: skip
        pytest.param("Lady found her phone in her car before I called police.", id="before-i-called"),
        pytest.param("EMS Plumbing & Heating van in for the boiler at 0900.", id="a-trade-named-ems"),
        pytest.param("Radio test reached 911 by mistake; told them it was an error and no units were sent.",
                     id="no-units-were-sent"),  # fmt: skip
        pytest.param("Police were at the other venue for the march, none came by our lot.", id="the-other-venue"),
        pytest.param("Team '911 Rollers' booked lanes 3 and 4.", id="a-team-name"),
        pytest.param("Light tower 3 low on fuel, note left for day crew.", id="a-light-tower"),
        pytest.param("Screening of the documentary 'Ladder 49' sold out.", id="a-film-title"),
        pytest.param("Lockdown drill, pretend police arrival at 1040 per the script.", id="pretend-arrival"),
        pytest.param("Lobby screen ran the 1996 rescue replay where fire crews cut the driver out.", id="a-replay"),
        pytest.param("Mass casualty drill: ambulances staged in lot C for the exercise.", id="for-the-exercise"),
        pytest.param("Plot 911 in the east garden had a fallen vase, set it back.", id="a-plot-number"),
        pytest.param("Kayla Trooper from the vendor picked up the pallets.", id="a-first-name-before-trooper"),
        pytest.param("FLEET TRUCK #12 PARKED ROW C OVERNIGHT.", id="a-parked-fleet-truck"),
        pytest.param("Preseason tabletop: Fire, EMS and PD reps talked through the response.",
                     id="reps-talked-through"),  # fmt: skip
        pytest.param("Guy said he'd have 'my lawyer and the police' on me.", id="he-would-have"),
    ],
)
def test_past_days_rules_trades_titles_and_fleet_numbers_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Man try to steal bag. Police come and take him.", {"police"}, id="present-tense"),
        pytest.param("The ambulence come after 10 minute and check her sugar.", {"ems"}, id="present-tense-typo"),
        pytest.param("Truck rolled at the ramp. State patrol is doing the crash report.", {"police"},
                     id="is-doing-the-report"),  # fmt: skip
        pytest.param("I CALLED IT IN. OFFICERS DETAINED HIM AT THE CORNER.", {"police"}, id="officers-detained"),
        pytest.param("Engine arrived 0610 and found a burned ballast.", {"fire"}, id="engine-without-an-article"),
        pytest.param("The detail officers at gate B got there inside a minute and cuffed him.", {"police"},
                     id="detail-officers"),  # fmt: skip
        pytest.param("1918 ambulance at the gate, let them through to 44 Birch.", {"ems"}, id="at-the-gate"),
        pytest.param("FIRE RESCUE TRUCK ON THE FIRE, DRIVER TO THE CARE CENTER BY AMBULANCE.", {"fire", "ems"},
                     id="on-the-fire-by-ambulance"),  # fmt: skip
        pytest.param("SFD sent one engine to confirm and silence.", {"fire"}, id="sent-one-engine"),
        pytest.param("EMS said they'd be 45 min out. Resident waited in the lobby. They got here at 0130.", {"ems"},
                     id="arrival-two-sentences-on"),  # fmt: skip
        pytest.param("Sheriff wouldn't come out at first. When he pulled a knife they came within ten minutes.",
                     {"police"}, id="arrival-inside-the-next-sentence"),  # fmt: skip
        pytest.param("Eventually the bomb squad arrived at 1515.", {"police"}, id="bomb-squad"),
        pytest.param("ARFF handled the fuel on the ramp.", {"fire"}, id="arff"),
        pytest.param("co alarm in the hall. firedept came out with meters.", {"fire"}, id="firedept-one-word"),
        pytest.param("Deputies and the county fire marshal both came out to do the inventory.", {"police", "fire"},
                     id="came-to-do-the-inventory"),  # fmt: skip
    ],
)
def test_present_tense_plain_units_and_arrivals_told_later_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("PASSDOWN: PD TOOK A REPORT ON THE STOLEN BIKE AT 1400.", id="passdown"),
        pytest.param("Sheriff Pest Control sprayed the basement.", id="a-pest-control-firm"),
        pytest.param("Signed for a keg from Fireman's Brewing at the desk.", id="a-brewery"),
        pytest.param("Picked up the 'POLICE ENFORCED' sign the wind knocked over.", id="police-enforced-sign"),
        pytest.param("Agent at desk 911 left her headset on.", id="desk-911"),
        pytest.param("Railcar 911 moved to track 4 by the switch crew.", id="railcar-911"),
        pytest.param("Mounted the new 911 address signs at the pad entrances.", id="911-address-signs"),
        pytest.param("Ladder 7 used the junk cars for extrication practice.", id="extrication-practice"),
        pytest.param("Drill: three ambulances and a helicopter took part, students playing victims.", id="took-part"),
        pytest.param("Called 911 for a man asleep in the lot; he woke and left. I called back and cancelled.",
                     id="called-back-and-cancelled"),  # fmt: skip
        pytest.param("Req'd PD for a man who would not leave, he left on his own so I told them not to send anyone.",
                     id="told-them-not-to-send"),  # fmt: skip
        pytest.param("EMS req'd for a nosebleed, mom took him home before the call went out, cancelled 1615.",
                     id="before-the-call-went-out"),  # fmt: skip
        pytest.param("Troopers ran a checkpoint on the bridge, but none of them pulled onto the plaza property.",
                     id="none-of-them-pulled-onto"),  # fmt: skip
        pytest.param("Lock broken on the shed, reported to the owner.", id="broken-lock"),
    ],
)
def test_passdowns_firms_labels_drills_and_take_backs_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Shed broken into, two mowers gone. Called 911.", {"police"}, id="broken-into-is-police"),
        pytest.param("Paramedics were also brought in to check her hand.", {"ems"}, id="brought-in"),
        pytest.param("Her friend flagged an ambulance down at the shop next door and it pulled in to our lot.",
                     {"ems"}, id="next-door-but-onto-our-lot"),  # fmt: skip
        pytest.param("Hay was smoking. The manager phoned the fire station and a crew came over.", {"fire"},
                     id="phoned-the-fire-station"),  # fmt: skip
        pytest.param("Fire companies from three towns came for the barn.", {"fire"}, id="fire-companies"),
        pytest.param("The ambulance went to the wrong gate. It got to him about 20 minutes late.", {"ems"},
                     id="it-got-to-him"),  # fmt: skip
        pytest.param("Firefighters from Station 22 finished knocking it down.", {"fire"}, id="finished-knocking"),
        pytest.param("The vendor was cited there by a state trooper at 1900.", {"police"}, id="cited-there-by"),
        pytest.param("Personnel from Station 5 arrived with a brush truck.", {"fire"}, id="personnel-from-station"),
        pytest.param("Every ambulance was tied up. He waited 45 minutes before a unit from the next county arrived.",
                     {"ems"}, id="a-unit-arrived"),  # fmt: skip
        pytest.param("The first crew had no stretcher for the injured worker. A second rig with one arrived at 0300.",
                     {"ems"}, id="a-second-rig"),  # fmt: skip
    ],
)
def test_units_stations_and_late_second_crews_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1412 Guest's husband faint in the lobby\n1414 Officer on scene, pt conscious", id="our-officer"),
        pytest.param("Glass replaced from the fight sunday night, transit PD handled that one.", id="a-weekday-night"),
        pytest.param("Resident accidently dialed 911 on her watch; nobody came.", id="accidently-dialed"),
        pytest.param("1923 FD dispatched by monitoring\n1927 FD cancelled, burnt toast",
                     id="fd-dispatched-then-cancelled"),  # fmt: skip
        pytest.param("Work order WO-911-22 closed by the electricians.", id="a-work-order-number"),
        pytest.param("Bin for P/N 911-3370 found empty on line 4.", id="a-part-number"),
        pytest.param("The fire department attended the drill to evaluate the floor wardens.", id="to-evaluate"),
        pytest.param("Debrief of last semester's kitchen fire, when the fire department came out.", id="last-semester"),
        pytest.param("She asked about her visit on the 4th when her son was taken by ambulance.", id="her-visit"),
        pytest.param("Ambulance crew came through for their familiarization drill.", id="familiarization-drill"),
        pytest.param("An ambulance came down the drive with lights on, headed to the complex, not into our lots.",
                     id="not-into-our-lots"),  # fmt: skip
        pytest.param("She declined to make a police report since nothing was missing.", id="declined-to-make-a-report"),
        pytest.param("Flags at half staff for the 911 anniversary.", id="911-anniversary"),
        pytest.param("Knocked on 911, guests turned the music down.", id="knocked-on-911"),
        pytest.param("Explained: control calls 911 for the fire boat and an ambulance.", id="explained"),
        pytest.param("Nurse advised that police are to be called if he leaves the unit.", id="are-to-be-called-if"),
    ],
)
def test_our_officers_rules_and_the_past_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("An officer from the police substation walked over and took their info.", {"police"},
                     id="officer-from-the-substation"),  # fmt: skip
        pytest.param("1634 sheriffs deps working the lot came over, cuffed 1 guy", {"police"}, id="sheriffs-deps"),
        pytest.param("Called 911 for the bleeding man. Nobody came for 30 min, then PD and medics showed up.",
                     {"police", "ems"}, id="nobody-came-for-30-min-then"),  # fmt: skip
        pytest.param("The manager had me call 911 at 1015 for the fall.", {"ems"}, id="had-me-call"),
        pytest.param("Fire engine was dispatched but police cancelled it before it reached us. Police arrived 1540.",
                     {"police"}, id="engine-cancelled-police-came"),  # fmt: skip
    ],
)
def test_late_arrivals_and_calls_made_for_someone_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Visitor pulled a knife on the nurse. Two city units got here within minutes; subject booked.",
                     {"police"}, id="two-city-units"),  # fmt: skip
        pytest.param("1312 HR asked us to call\n1320 two units rolled in", {"police"}, id="two-units-rolled-in"),
        pytest.param("Sleeper who refused to leave was issued a trespass citation at 0320.", {"police"},
                     id="issued-a-citation"),  # fmt: skip
        pytest.param("2220 transit cops on our platform\n2224 subject in custody", {"police"}, id="on-our-platform"),
        pytest.param("The deputy said he'd swing by when he could. He finally rolled in at 0530.", {"police"},
                     id="he-finally-rolled-in"),  # fmt: skip
        pytest.param("The blue lights were already waiting at the tunnel.", {"police"}, id="already-waiting"),
        pytest.param("1934 two engines on scene, crews on the trackbed", {"fire"}, id="engines-on-scene"),
        pytest.param("Mulch bed smouldering by the entrance was put out by the fire department.", {"fire"},
                     id="put-out-by-the-department"),  # fmt: skip
        pytest.param("2245 EMS requested\n2325 unit arrived, transported", {"ems"}, id="unit-arrived"),
        pytest.param("County rig on scene at 0314, sugar was 38.", {"ems"}, id="county-rig"),
        pytest.param("LEO ON SCENE 1802. SUBJECT TRANSPORTED IN BACK OF CRUISER.", {"police"}, id="leo-cruiser"),
        pytest.param("The SRO and the town marshal came to the office and bagged the pistol.", {"police"},
                     id="sro-town-marshal"),  # fmt: skip
    ],
)
def test_patrol_cars_by_count_citations_and_jargon_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1300 simulated derailment drill at the crossing\n1310 fire dept and medics staged\n"
                     "1500 drill complete, crossing reopened", id="a-drill-logged-start-to-end"),  # fmt: skip
        pytest.param("Fire trucks screamed past the gate at 0130. None of them came onto our lot.",
                     id="none-of-them-came-onto"),  # fmt: skip
        pytest.param("0052 fire dept arrived at their building\n0115 FD left, never entered our fence line",
                     id="never-entered-our-fence-line"),  # fmt: skip
        pytest.param("State patrol had a speed trap set up outside the entrance all afternoon.", id="a-speed-trap"),
        pytest.param("Lease pumper noted the gauge high on well 911-B.", id="lease-pumper"),
        pytest.param("Our address is 911 Industrial Parkway, the trucker was at the wrong gate.", id="address-is-911"),
        pytest.param("Guy in a shirt that said POLICE was in a costume.", id="printed-shirt"),
        pytest.param("Day shift says police were here at 1400 for a shoplifter.", id="day-shift-says"),
    ],
)
def test_drills_denials_traps_and_printed_words_raise_nothing_critical(text):
    assert attended(text) == set()


def test_smoking_something_calls_the_police_not_the_fire_department():
    assert attended("Guy smoking something in the restroom came out swinging. Called 911. Plice got here.") == {
        "police"
    }


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A cruiser chased a motorcycle past our storefront. Officers didn't stop here.",
                     id="didnt-stop-here"),  # fmt: skip
        pytest.param("0100 camera checks, listening to a podcast about a paramedic at ground zero", id="a-podcast"),
        pytest.param("MOCK CASUALTY EXERCISE. EMS AND FIRE WORKED ON VOLUNTEERS. ALL NOTIONAL, NO REAL PATIENTS.",
                     id="all-notional"),  # fmt: skip
        pytest.param("Day shift notes say police came at 1300 for a shoplifter.", id="day-shift-notes"),
        pytest.param("Met the hospital's new EMS Coordinator on her tour.", id="a-job-title"),
        pytest.param("Pass 911 was reported lost so I voided it.", id="a-pass-number"),
        pytest.param("Started a 911 call, saw it was the manager's truck, told the operator to disregard before "
                     "anything was dispatched.", id="disregard"),  # fmt: skip
        pytest.param("She told me about the time paramedics carried her husband down eight flights.",
                     id="about-the-time"),  # fmt: skip
        pytest.param("EMS got dispatched to our dorm by mistake; dispatch redirected them and they never reached our "
                     "building.", id="redirected"),  # fmt: skip
        pytest.param("Deputies had a traffic stop outside the entrance. They stayed on the road and never came in.",
                     id="stayed-on-the-road"),  # fmt: skip
    ],
)
def test_passers_by_podcasts_notional_drills_and_redirected_units_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("1540 dockhand cut his leg\n1548 Ambulance at top of ramp\n1600 transported", {"ems"},
                     id="at-the-top-of-the-ramp"),  # fmt: skip
        pytest.param("Customer threatened to shoot the cashier. Called 911 and locked the office.", {"police"},
                     id="911-for-a-threat"),  # fmt: skip
        pytest.param("Charger in bay 3 started smoking around 11pm. Called 911.", {"fire"}, id="smoking-around"),
        pytest.param("0740 Marine patrol officer on site, took report", {"police"}, id="marine-patrol"),
        pytest.param("Old man said he couldnt feel his arm and was slurring, called 911.", {"ems"}, id="a-stroke"),
        pytest.param("Heard glass break at the trailer. Called 911 and watched from the truck.", {"police"},
                     id="watched-from-the-truck"),  # fmt: skip
    ],
)
def test_ramps_threats_strokes_and_marine_patrols_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1500 Read new post order: on fire alarm, meet FD at the main entrance", id="new-post-order"),
        pytest.param("Building EMS (energy management system) showed a high temp alarm.", id="building-ems"),
        pytest.param("TOLD THE OWNER TO MOVE OR POLICE WOULD BE CONTACTED. HE MOVED.", id="would-be-contacted"),
        pytest.param("1400 EVACUATION DRILL\n1415 FD OBSERVED DRILL, NO ISSUES", id="observed-drill"),
        pytest.param("Manager asked for the report from Saturday when EMS transported the guest.", id="from-saturday"),
        pytest.param("Police and EMS handled the wreck out on the roadway and nobody came onto our lot.",
                     id="out-on-the-roadway"),  # fmt: skip
        pytest.param("0930 Reviewed emergency procedures incl. calling 911 and the muster point", id="incl-abbrev"),
        pytest.param("Event plan for tomorrow: one ambulance will be staged at Gate 2.", id="will-be-staged"),
        pytest.param("Per last night's report, paramedics came for the resident in 11F.", id="last-nights-report"),
        pytest.param("Mock crash demonstration: fire dept cut a car apart. Everything staged, no actual incidents.",
                     id="everything-staged"),  # fmt: skip
    ],
)
def test_post_orders_building_systems_and_staged_demonstrations_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Evacuated the floor and met the fire department in the lobby.", {"fire"}, id="met-the-fd"),
        pytest.param("1951 FD on scene\n1953 EMS treating driver for burns", {"fire", "ems"}, id="ems-treating"),
    ],
)
def test_meeting_and_treating_are_attendance(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Package for Sheriff Street Dental was misdelivered to us.", id="a-street-name"),
        pytest.param("Engine 9 Brewing food truck parked at the lunch event.", id="a-brewery-named-for-a-unit"),
        pytest.param("PD had the Oak & 3rd stop taped off, not on my route.", id="not-on-my-route"),
        pytest.param("1500 Fire boat went out past the breakwater\n1600 came back to their station, never "
                     "stopped at our docks", id="never-stopped-at-our-docks"),  # fmt: skip
        pytest.param("Night shift left a note: FD came at 0300 for the alarm.", id="left-a-note"),
        pytest.param("Met with Ems from the management company about the fobs.", id="ems-as-a-name"),
        pytest.param("Adjuster on site re: the forklift accident from 10/3 (EMS transported that day).",
                     id="from-a-date"),  # fmt: skip
        pytest.param("He asked me to call police. Then he found his phone in his pocket. No call.", id="no-call"),
        pytest.param("0310 Called 911 for a male down\n0312 male walked off\n0313 Called 911 back and cancelled",
                     id="called-911-back"),  # fmt: skip
        pytest.param("Manager started dialing 911 but hung up before it connected.", id="hung-up-before"),
        pytest.param("Starting tomorrow any lab alarm is to be called straight to the fire department.",
                     id="starting-tomorrow"),  # fmt: skip
        pytest.param("Police Federal Credit Union ATM out of cash.", id="a-credit-union"),
        pytest.param("Slot machine 911 threw a door alarm, tech reset it.", id="slot-machine-911"),
        pytest.param("TRUCK 911 FROM SMITH TRANSPORT CHECKED IN AT 1430.", id="a-carriers-truck"),
        pytest.param("Pumper reported a small leak at the wellhead, no fire.", id="a-pumper-who-reports"),
        pytest.param("Police worked traffic outside the stadium. They stayed out on the road.",
                     id="stayed-out-on-the-road"),  # fmt: skip
    ],
)
def test_streets_notes_hang_ups_and_carriers_raise_nothing_critical(text):
    assert attended(text) == set()


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("Held him at the shack till county got here. They took him to jail.", {"police"}, id="county"),
        pytest.param("The law showed up about 10 min later.", {"police"}, id="the-law"),
        pytest.param("Press operator's hand caught in the press. Called 911.", {"ems"}, id="caught-in"),
        pytest.param("Mom wanted an ambulance so they came and cleaned it up.", {"ems"}, id="so-they-came"),
        pytest.param("Ammonia alarm went to HIGH. 911 called.", {"fire"}, id="ammonia"),
        pytest.param("The manager had me get the fire department.\nCrew arrived at 1450.", {"fire"}, id="had-me-get"),
        pytest.param("Her water broke in lane 3. I called 911.", {"ems"}, id="water-broke-is-not-a-break-in"),
        pytest.param("Fire dept came over from the station across the street and checked the tank.", {"fire"},
                     id="came-over-from-across-the-street"),  # fmt: skip
    ],
)
def test_county_the_law_and_what_a_call_is_for_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    ("text", "services"),
    [
        pytest.param("SUV caught fire at the tailgate. Houston Fire got there around 1315 and put it out.", {"fire"},
                     id="a-city-fire-department"),  # fmt: skip
        pytest.param("Diesel sheen off slip 2. Bainbridge Island Fire came down and laid absorbent boom.", {"fire"},
                     id="a-two-word-place-fire"),  # fmt: skip
        pytest.param("Top pick tipped over. Port fire extricated the operator.", {"fire"}, id="port-fire"),
        pytest.param("CO detector hit 70 ppm, got the clerks out, nobody had symptoms, 911 called.", {"fire"},
                     id="a-comma-before-911-called"),  # fmt: skip
        pytest.param("1515 attendant says pt isn't breathing right\n1516 Dialed 911", {"ems"},
                     id="not-breathing-right-calls-ems"),  # fmt: skip
        pytest.param("Dog walker found Mrs. K on the floor of the restroom, the bus came and took her.", {"ems"},
                     id="found-on-the-floor"),  # fmt: skip
        pytest.param("Reefer leaking diesel at door 17, puddle 10 ft across. Called 911 for the fuel spill.", {"fire"},
                     id="911-for-a-fuel-spill"),  # fmt: skip
        pytest.param("The transformer started smoking. The lead told me to call 911 so I called at 1720.", {"fire"},
                     id="so-i-called"),  # fmt: skip
        pytest.param("Flames in the mulch bed, so I had the hospital operator call 911.", {"fire"},
                     id="had-the-operator-call"),  # fmt: skip
        pytest.param("Fan ejected for fighting, handed over to the CPD detail at Gate 3.", {"police"}, id="pd-detail"),
        pytest.param("Volunteer FDs from two towns showed up and had it out by 0300.", {"fire"}, id="fds"),
        pytest.param("Chest pain in the probe line. The county squad came out and transported him.", {"ems"},
                     id="county-squad"),  # fmt: skip
        pytest.param("1214 EMTs on campus, entered through the front loop", {"ems"}, id="on-campus"),
    ],
)
def test_departments_by_place_and_calls_by_what_happened_are_read(text, services):
    assert attended(text) == services


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Fire Mountain Paving crew arrived 0600 for the overlay.", id="a-paving-company"),
        pytest.param("The State Fire Chiefs Association conference checked in today.", id="an-association"),
        pytest.param("Hotel bar packed for the Chicago Fire match.", id="a-team"),
        pytest.param("Ambulance chaser flyers left on windshields, pulled 60.", id="ambulance-chaser"),
        pytest.param("911 Restoration crew arrived to dry out unit 207.", id="911-restoration"),
        pytest.param("0215 Schneider truck 911 arrived at door 22", id="a-carriers-truck-911"),
        pytest.param("Cover band played mostly The Police and Sting songs.", id="played-the-police"),
        pytest.param("Principal asked for footage from before winter break when police responded.", id="before-break"),
    ],
)
def test_companies_teams_and_old_footage_raise_nothing_critical(text):
    assert attended(text) == set()


def test_a_theft_of_diesel_calls_the_police_not_the_fire_department():
    assert attended("Caught a guy siphoning diesel from the tanks. Called 911, he drove off.") == {"police"}
