"""Emergency mentions: which services a narrative says came or were called, read in context, with the reason.

How `find_emergency_mentions` reads a narrative:

1. Split it into sentences (`narrative.sentences`).
2. In each sentence find the candidate terms: the built-in vocabulary of `narrative.terms`
   (service words, 911 calls, events such as "smoke" or "not breathing", hints such as "fell"),
   and the agency gazetteer (`narrative.gazetteer`: defaults, the company's and the site's own
   terms, officers named by surname, misspelt service words).
3. Set aside what is not a service at all: a surname ("Officer Fireman", "Mr. Police"), one of the
   company's own guards (`guard_names`: "Officer Ruiz took over post 3"), a number ("apartment 911",
   "911 Oak St", "Trailer 911"), a vehicle named like a fire company ("box truck 12"). A numbered
   rescue unit that carries a patient is EMS ("Rescue 12 transported the cyclist").
4. Read each term in context: negated or hypothetical in its clause (`narrative.scope`: "no
   police needed", "told the tenant to call 911"), then historical, someone's intent, training
   or not attending (`narrative.context`, ConText run by negspacy: "last month", "threatened
   to", "refresher course", "drove past without stopping", "security at the next building called
   police": another property's call for its own premises). A later clause or the next sentence that
   reports the arrival takes back a negation, a condition or a past visit ("did not show up for an
   hour, but then came", "did not need the paramedics, they came anyway", "No ambulance at first. It
   arrived at 2215", "didn't come until 0400", "last month the FD came;
   tonight they came again"); it does not take back training or a service that drove past. A
   neighbour's call that brought the service onto our site counts like our own. The next sentence
   may deny the visit instead: "Saw ambulance lights across the road. They never came onto our
   property", "They said they don't come out for that".
5. Decide what is left:
   - a service term with an arrival, a call or its work on the scene in its sentence ("Engine 7 ...
     arrived", "called the police", "closed off the street", "units everywhere", or any past-tense
     verb right after it: "the bomb squad x-rayed it"), or one that implies it ("arrested",
     "transported to Mercy", "Medic 12", a call sign arriving: "Unit 2341 arrived"), is *attended*;
     a call to the non-emergency line is not (it asks no one to come);
   - a service term alone, or an event ("smoke", "unconscious"), is *uncertain*: mentioned,
     attendance unknown;
   - a 911 call is attended by the service what happened calls for: the services and events of
     its sentence, else of the sentences around it, else of the whole narrative (`_CALL_REASONS`:
     "man down", "allergic reaction", "seizure" are EMS; "fight", "break-in" police; "smoke", "CO
     alarm", "sprinkler" fire); police only when the narrative says nothing.
Each mention carries its sentence and a reason a manager can check at a glance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from narrative.context import categorise
from narrative.gazetteer import AgencyTerms, gazetteer_for
from narrative.scope import affirmed_terms
from narrative.sentences import normalise, sentence_spans, word_set
from narrative.terms import Service, Term, benign_spans, find_terms

__all__ = ["EmergencyMention", "MentionStatus", "Service", "attended_services", "find_emergency_mentions"]

MentionStatus = Literal["attended", "uncertain"]


@dataclass(frozen=True, slots=True)
class EmergencyMention:
    """One sentence saying that a service came or was called (attended), or only mentioning one (uncertain)."""

    service: Service
    phrase: str
    sentence: str
    status: MentionStatus = "attended"
    reason: str = ""
    event: bool = False  # an event ("smoke", "not breathing"), not a service word


_SERVICE_ORDER: Final[tuple[Service, ...]] = ("fire", "police", "ems")
SERVICE_NAMES: Final[dict[Service, str]] = {"fire": "fire service", "police": "police", "ems": "EMS"}

# A term naming a service, not an event ("smoke", "not breathing", "shots fired").
_SERVICE_WORD_RE: Final = re.compile(
    r"fds\b|fire\s*(?:dep|dpt|fight|men|man|truck|engine|crew|rescue|chief|brigade|service|squad|unit|apparatus|personnel"
    r"|captain|compan|marshal|guy|folks|people|station|hall|house)|firehouse|units\b|booked|citation|summons|fd\b|f\.d|police|pd\b|p\.d|cops?\b|squad|enforcement|trooper|patrol|detective|swat"
    r"|deput|sheriff|officer|ambul|ems\b|e\.m\.s|emts?\b|medic|rescue|medical\s+(?:resp|team|unit|assist|call)"
    r"|engine|ladder|battalion|arrest|custody|transported|taken|rushed|brought|transferred|carried|sent|hospital"
    r"|emergency\s+(?:line|number)|station\s*#?\s*\d|patrol(?:wo)?m[ae]n|lawman|(?:unit|car)\s*#?\s*\d|so\b"
    r"|(?:the|an?)\s+(?:second\s+|another\s+|new\s+)?(?:rig|bus)\b|county\s+(?:finally\s+)?(?:got|arrived|came|showed|pulled|rolled)"
)
# A term that says by itself that the service was there: an arrest, a transport, a numbered unit, a report.
_SELF_ATTENDING_RE: Final = re.compile(
    r"arrest|custody|transported|taken|rushed|brought|transferred|carried|sent|hospitali|report|by\s|booked|citation"
    r"|summons|put\s+out|extinguished|knocked\s+down"
    # A term that holds its own arrival: "two city units got here", "two engines on scene".
    r"|\b(?:arrived|responded|came|showed|rolled|pulled|got\s+here|on\s+scene)\b"
    r"|(?:engine|ladder|battalion|medic|truck|squad|rescue|tower)\s*(?:co\.?\s*)?#?\s*\d"
    # A call sign's term holds its arrival: "Unit 2341 arrived".
    r"|(?:unit|car)\s*#?\s*\d{3}"
    r"|(?:officers?|ofcs?|deput\w+|sgt|sergeant|troopers?|detective)\s.*\b(?:arriv\w*|respond\w*|came|showed|pulled"
    r"|dispatched|on\s+scene|took|detained|arrested|cuffed|handcuffed|cited|trespassed)"
)
# A service reaching the site, by its verb alone: "arrived", "on scene", "landed" (a helicopter), "staged".
_ARRIVED = (
    r"(?:arr?iv\w*|arrvi\w*|respon\w*|came|showed\s+up|showed|on[\s-]+(?:scene|site)|onsite|landed|touched\s+down"
    r"|staged|pulled\s+up|rolled\s+up|got\s+(?:here|there|on\s+scene)|turned\s+up|on\s+location"
    r"|reached\s+(?:us|him|her|them|the\s+\w+)"
    r"|got\s+to\s+(?:us|him|her|them|the\s+(?:site|scene|gate|back\s+gate|front\s+gate|building|property|dock|lot|door))"
    # The radio codes for "arrived on scene": "Transit PD 10-97 at Eastlake platform".
    r"|10-97|10-23"
    r"|did\s+(?:arrive|come|respond|show|get\s+here))"
)
# A past-tense verb right after the service, or after its unit's name ("the bomb squad x-rayed", "units quickly
# secured"): the service did something here. Not a verb that describes the service ("EMS certified", "police
# approved"), one of passing by ("cruised by", "stopped at the light", "headed north"), of a message from afar
# ("emailed", "texted") or one whose subject may be someone named like a service ("Bob Sheriff fixed the door").
_SUBJECT_OF_PAST_VERB_RE: Final = re.compile(
    r"(?:'s)?\s+(?:(?:bomb|k-?9|hazmat|swat|dive|tactical|crime\s+scene|traffic|gang|units?|squad|crews?|teams?"
    r"|officers?|deputies|deputy|medics?|personnel|\d+|both|all|also|then|quickly|eventually|finally|later|soon"
    r"|immediately|promptly)\s+){0,3}"
    r"(?!(?:needed|wanted|related|certified|trained|approved|issued|based|owned|licensed|equipped|named|involved"
    r"|required|styled|marked|unmarked|assigned|stationed|parked|located|posted|listed|labeled|labelled|printed"
    r"|painted|dedicated|reserved|designated|supplied|stocked|restocked|mounted|installed|scheduled|recorded"
    r"|advised|suggested|recommended|mentioned|alerted|cruised|passed|stopped|headed|raced|zoomed|idled|waited"
    r"|turned|slowed|flashed|circled|emailed|e-mailed|texted|messaged|phoned|called|fixed|repaired|replaced|cancell?ed"
    r"|serviced|tested|wanted|refused|declined|seemed|looked\s+(?:like|as|fine|ok|okay|normal)|appeared|sounded|used"
    r"|showed|red|bed|shed)\b)"
    r"[a-z][a-z-]*[a-z]ed\b"
)
# After the term, in its sentence: the service acting on site ("arrived", "reset the panel", "took a report").
_ACTS_AFTER_RE: Final = re.compile(
    rf"\b(?:{_ARRIVED}|come\s+out|showed\s+up|show\s+up|pulled\s+up|on[\s-]+(?:scene|site)|onsite"
    r"|dispatched|called|contacted|notified|requested|summoned|sent\s+(?:a|an|two|over|someone|somebody|units?|\w+\s+units?"
    r"|deputy|officer|trooper|(?:an?\s+|one\s+|three\s+|four\s+|\d\s+)?(?:deputy|officer|units?|cars?|crews?|engines?)"
    r"|out|help|people|crews?|cars?)|transport\w*|took|taken|vented|forced|walked|metered|left\s+(?:at|the\s+scene)"
    r"|treated|evaluated|assessed|checked|cleared|put\s+(?:it\s+|the\s+\w+\s+(?:\w+\s+)?)?out"
    r"|knocked\s+(?:it\s+|the\s+\w+\s+(?:\w+\s+)?)?down|extinguished|detained|arrested"
    r"|escorted|handled|served|collected|ventilated|carried|reset|shut\s+off|gave|inspected|investigated|attended"
    r"|en\s*route|spoke|talked|filed|issued|cited|released|started|worked|stopped\s+by|came\s+by|stood\s+by"
    r"|(?:was|were)\s+here|on\s+(?:the\s+)?property|pulled|removed|secured|got\s+(?:here|there|on\s+scene)"
    r"|made\s+(?:it\s+)?(?:here|there)|turned\s+up|picked\s+up|searched|swept|interviewed|questioned|photographed"
    r"|showed(?=\s+(?:at|around|about)\b)|rolled\s+up|splinted|wrapped|bandaged"
    # "Let the firefighters in through the dock", "drove over and finished it", "found the guy two blocks away",
    # "had two deputies at the store".
    # Present tense, as some officers write: "Police come and also ambulance", "the ambulence come after 10 minute".
    r"|come\s+(?:and|after|at|in|quick|fast|soon|to)|(?:is|are)\s+doing|doing\s+the\s+(?:\w+\s+)?report"
    r"|on\s+the\s+(?:fire|blaze|flames)|brought\s+in|called\s+in|req'?d|knocking|finished\s+\w+ing"
    r"|met\s+(?:the|us|him|her|them|our|me)\b|in\s+(?:through|via)|(?:drove|came|ran|walked|went)\s+over|finished\s+(?:it|the\s+\w+)|found|caught|chased"
    r"|(?:was|were)\s+already\s+(?:there|here|on\s+scene|putting|working)|here\s+w(?:/|ith)|spraying|still\s+(?:spraying|working|on\s+scene)"
    r"|come\s+anyway|came\s+anyway|in\s+the\s+(?:\w+\s+)?door|set\s+up\s+(?:a|the)\s+(?:hose|line|perimeter|command|fans?)|got\s+(?:him|her|them)\b"
    r"|rolled\s+in|pulled\s+in|carried|located|on\s+campus|handed\s+(?:\w+\s+)?over|treating|transporting|assessing|evaluating|working\s+on|on\s+our\s+\w+|(?:was|were)\s+(?:already\s+)?(?:waiting|standing\s+by|on\s+hand)"
    r"|tackled|cuffed|handcuffed|had\s+(?:\w+\s+)?(?:deputies|officers|units?|cars?|crews?|engines?)\s+(?:at|on|here|there)"
    r"|took\s+over|airlifted|flew\s+(?:him|her|them|the\s+\w+)|set\s+down"
    # Working the scene: "closed off the street", "blocked the road", "evacuated the floor", "got them out".
    r"|closed|blocked|evacuated|extricated|rescued|freed|cordoned|taped|diverted|directed|shut"
    r"|(?:held|kept)\s+(?:the\s+)?(?:scene|perimeter|traffic|area|people|residents|onlookers|everyone|crowd)"
    r"|got\s+(?:\w+\s+){0,3}?out|did\s+(?:a|an|the|their)\s+(?:\w+\s+)?(?:report|check|sweep|search|walk\w*)"
    r"|wrote\s+(?:a|an|the|up)|(?:was|were)\s+(?:all\s+)?(?:there|everywhere)|all\s+over|everywhere|swarm\w*)\b"
)
# Before the term, in its clause: a call ("called the police", "I contacted EMS").
_CALLED_BEFORE_RE: Final = re.compile(
    r"\b(?:called|call(?:ing)?|contacted|notified|requested|summoned|radioed|flagged\s+down|dialed|phoned|got|met"
    r"|handed\s+(?:\w+\s+)?(?:over\s+)?to"
    r"|(?:had|made)\s+(?:me|us)\s+get"
    r"|dispatched|sent\s+for"
    # The passive: "transported by EMS", "arrested by deputies".
    r"|(?:transported|taken|treated|checked|seen|evaluated|assessed|arrested|detained|removed|escorted|cited|met"
    r"|assisted|interviewed|questioned|extinguished|cleared|put\s+out|knocked\s+down)"
    r"\s+(?:out\s+|off\s+|away\s+|there\s+|here\s+|on\s+scene\s+)?by)"
    r"(?:\s+\S+){0,3}\s*$"
)
# Who "they" are when a later clause or sentence reports the arrival.
_THEY = (
    r"(?:they|both|an?\s+officer|the\s+officers?|officers|the\s+crew|a\s+crew|a\s+unit|units|two\s+units"
    r"|the\s+(?:medics|paramedics|deputies|cops|firefighters|ambulance))"
)
# What they did once there: "they took the report", "they checked him".
_ACTED = (
    r"(?:took|checked|treated|transported|arrested|cleared|searched|spoke|talked|put|extinguished|detained|found"
    r"|did\s+(?:treat|check|take|transport|search|arrest|clear))"
)
# A negation the sentence takes back: "did not show up for an hour, but then came and took the report", or,
# after a comma, with no cue word: "said he did not need the paramedics, they came anyway".
_LATER_ARRIVAL_RE: Final = re.compile(
    # "Mom wanted an ambulance so they came", "told me to call 911 so I called".
    r"\bso\s+they\s+(?:came|arrived|showed\s+up|responded)\b|\bso\s+i\s+(?:called|did)\b|"
    rf"(?:;|\b(?:but|then|eventually|finally|later|anyway|tonight|today|this\s+time)\b).*\b(?:{_ARRIVED}|{_ACTED})\b"
    # "still came", not "is still all anyone talks about on site".
    rf"|\bstill\s+(?:{_ARRIVED}|{_ACTED})\b"
    # Late, not absent: "didn't come until 0400".
    r"|\b(?:not|n'?t|never)\s+(?:come|arrive|show(?:\s+up)?|get\s+here|respond)\s+(?:\w+\s+){0,2}?until\b"
    r"|\b(?:came|arrived|responded|showed\s+up|were\s+back|was\s+back)\s+(?:again|anyway|regardless)\b"
    rf"|,\s*{_THEY}\s+(?:\w+\s+)?(?:{_ARRIVED}|{_ACTED})\b"
)

# The next sentence says they came: "The alarm company called the fire department; they arrived at 0232",
# "The police didn't show for an hour. When they did they took the report."
_NOT_A_NEGATION = r"(?!(?:never|not|no|hardly|barely)\b|\w+n't\b)"
_ARRIVAL_FOLLOWS_RE: Final = re.compile(
    # "It took them another 20 minutes to find us": late, but they came.
    r"it\s+took\s+(?:them|him|her)\s+(?:\w+\s+){0,4}?to\s+(?:find|reach|get\s+to)\s+us\b|"
    r"(?:(?:eventually|then|later|finally|soon|and|tonight|today|this\s+time|now|but)\s*,?\s+)?"
    rf"(?:(?:{_THEY}|it|one)\s+(?:{_NOT_A_NEGATION}\w+\s+)?{_ARRIVED}\b"
    rf"|(?:when|once)\s+{_THEY}\s+(?:finally\s+)?(?:did|{_ARRIVED})\b"
    rf"|they\s+(?:{_NOT_A_NEGATION}\w+\s+)?{_ACTED}\b)"
)
# The next sentence says they did not come: "Saw ambulance lights across the road. They never came onto our
# property." "Called the PD non-emergency line. They said they don't come out for that."
_DENIAL_FOLLOWS_RE: Final = re.compile(
    r"(?:but\s*,?\s+)?(?:(?:nobody|no\s+one|no\s+units?|no\s+crews?)\s+(?:ever\s+)?(?:came|arrived|showed|responded)\b"
    r"|(?:he|she|they|it)\s+(?:didn'?t|did\s+not)\s+need\s+to\s+come)|(?:but\s*,?\s+)?(?:they|it|he|she|the\s+\w+)\s+(?:(?:said|told\s+(?:me|us)|stated|advised)\s+(?:that\s+)?(?:they|it|he|she)\s+)?"
    r"(?:never|did\s+not|didn'?t|do\s+not|don'?t|does\s+not|doesn'?t|would\s+not|wouldn'?t|will\s+not|won'?t|could\s+not"
    r"|couldn'?t|can'?t|cannot)\s+(?:\w+\s+)?(?:come|came|stop|enter|pull\s+in|respond|send|show|turn\s+in)\b"
)
_NON_EMERGENCY_RE: Final = re.compile(r"non[\s-]?emergency")
# A call taken back before anyone came: "she cancelled the call before any units were sent", "Alarm company told to
# cancel FD", "called back and cancelled before anyone came". Not "could not cancel", not "cancelled, but they came
# anyway".
_CANCEL_RE: Final = re.compile(
    r"\b(?<!not\s)(?<!n't\s)(?<!never\s)(?:cancel(?:l?ed|l?ing|s)?|call(?:ed)?\s+(?:it\s+|them\s+)?off"
    r"|stood\s+(?:them\s+)?down|told\s+(?:them|dispatch|the\s+dispatcher)\s+not\s+to\s+send|disregard|redirected)\b"
)
# An explicit take-back needs no "before": "I called back and cancelled; nobody came", "told them not to send anyone".
_CALLED_BACK_RE: Final = re.compile(
    r"\bcalled\s+(?:back|them\s+back|911\s+back)\b|\btold\s+\w+\s+not\s+to\s+send\b|\bhung\s+up\s+before\b"
)
# "the fire department was called off": the service named just before a passive cancellation.
# "The deputy never came onto club property", "the engines did not enter the site".
_OFF_PROPERTY_RE: Final = re.compile(
    r"\bnot\s+(?:into|onto|to|on)\s+our\b|\bnone\s+of\s+(?:them|their\s+\w+)\s+(?:came|come)\s+our\s+way"
    r"|\bnever\s+stopped\s+at\s+our\b|\bnot\s+on\s+(?:campus|our\s+\w+|the\s+property)\b|\bnothing\s+on\s+our\s+\w+"
    r"|\b(?:didn'?t|did\s+not|never)\s+stop\s+here\b|\bnever\s+came\s+in\b|\bstayed\s+(?:out\s+)?on\s+the\s+(?:road|street|highway)"
    r"|\b(?:never|did\s+not|didn'?t|none\s+of\s+them|none|nobody|no\s+one|no\s+(?:deputies|officers|units|trucks|engines))\s+(?:\w+\s+)?(?:come|came|pull|pulled|set\s+foot"
    r"|enter|entered"
    r"|drive|drove|stopped|reached)\s+(?:(?:on|onto|into|in|to)\s+)?(?:our|the|club|site|company|hotel|store|school|campus|plant)\b"
)
# "mom took him home before the call went out, cancelled": the call never went out.
_BEFORE_ANYONE_RE: Final = re.compile(
    r"\bbefore\s+(?:the\s+call|anyone|anybody|anything|any\s+units?|they|it|an?\s+\w+\s+was)\b"
)
_SENT_FOR_ONLY_RE: Final = re.compile(
    r"\s+(?:(?:was|were|had\s+been|has\s+been|also|then|being)\s+){0,2}(?:dispatched|requested|notified|paged|toned\s+out"
    r"|en\s*route|called)\b"
)
_BARE_CALL_RE: Final = re.compile(r"(?:call|dial|phone|ring)\s")
_DONE_BEFORE_RE: Final = re.compile(
    # "to call" is left to the clause's scope: "radioed me to call 911" (done) vs "advised him to call 911".
    r"(?:\bto|\b(?:i|we|he|she|they)|\b(?:had|made|let|got)\s+(?:me|us|him|her|them|the\s+\w+(?:\s+\w+)?)"
    r"|\bthen|\band\s+i|\band\s+we)\s+$"
)
# Reached, but nobody was sent: "I told them it was an error and no units were sent".
_NOBODY_SENT_RE: Final = re.compile(
    r"\b(?:no\s+units?|nobody|no\s+one|no\s+crews?|no\s+cars?)\s+(?:(?:was|were)\s+(?:ever\s+)?(?:sent|dispatched)"
    r"|came|showed\s+up|responded)\b"
    # "Monitoring confirmed FD turned around before arrival", "then found it in his other pocket. no call."
    r"|\bturned\s+(?:around|back)\s+before\b|\bno\s+call\b(?!\s+(?:box|button|list|back))|\bhung\s+up\s+before\b"
)
# "FD cancelled": the service right before the verb.
_SERVICE_CANCELLED_RE: Final = re.compile(
    r"\b(?:fd|pd|ems|fire\s+(?:dept|department)|police|ambulance|units?|engine|medics?)\s+(?:was\s+|were\s+)?$"
)
_CANCELLED_PASSIVE_RE: Final = re.compile(r"(?:was|were|got|been)\s+(?:\w+\s+)?$")
_CANCEL_OF_A_CALL_RE: Final = re.compile(r"\bbefore\b|\b(?:the\s+)?(?:call|response|request|run|dispatch|911)\b")
_CAME_ANYWAY_RE: Final = re.compile(rf"\b(?:anyway|regardless|still)\b|\bbut\b.*\b{_ARRIVED}\b")
# The subject of a passive cancellation: "the FD response was cancelled".
_CANCELLED_SUBJECT_GAP_RE: Final = re.compile(
    r"\s*(?:response|call|request|run|units?|crews?|dispatch)?\s*(?:(?:was|were|got|had\s+been|has\s+been)\s+(?:\w+\s+)?)?"
)
_SENT_FOR_RE: Final = re.compile(
    r"\b(?:dispatched|requested|called|paged|toned\s+out|notified|en\s*route)\b.*\b(?:but|and)\b"
)
_ARRIVED_RE: Final = re.compile(rf"\b{_ARRIVED}\b")
_DISPATCHED_THEN_CANCELLED_RE: Final = re.compile(
    r"\s*(?:that|which)\s+(?:was|were|had\s+been)\s+(?:also\s+)?(?:dispatched|called|requested|sent)\s+(?:was|were|got)\s+"
)
# A sentence that dates everything before it: "All of this happened before my shift started."
_ALL_BEFORE_MY_SHIFT_RE: Final = re.compile(
    r"(?:all\s+of\s+)?(?:this|that|it|all\s+this|all\s+that|all\s+of\s+it|the\s+above)\s+(?:all\s+)?"
    r"(?:happened|occurred|took\s+place|was)\s+(?:\w+\s+)?(?:before|prior\s+to)\s+(?:my|our|the\s+start\s+of\s+my)\s+shift"
)
# A bare "911" that is an address or a label, not a call.
# A code, a PIN or a combination: "door code changed from 911".
_CODE_BEFORE_RE: Final = re.compile(
    r"\b(?:code|pin|combo|combination|password|passcode)\s+(?:\w+\s+){0,3}?(?:from|to|is|was)\s+$"
)
_NUMBER_BEFORE_RE: Final = re.compile(
    r"(?:#|\b(?:apartment|apt|unit|room|rm|suite|ste|space|spot|stall|lot|building|bldg|house|door|box|locker|no"
    r"|number|bus|route|gate|dock|floor|pod|cell|badge|code|plate|tag|cart|car|van|truck|vehicle|ext|extension"
    r"|channel|model|ticket|case|order|invoice|flight|train|forklift|scooter|bike|ends?\s+in|ending\s+in"
    r"|trailer|trl|container|reefer|tractor|rig|load|pallet|seal|po|sku|item|asset|radio|key|keys|fob|camera|cam"
    r"|zone|post|sector|beat|area|row|section|aisle|bay|slot|pump|register|lane|line|seat|table|store|site|parcel"
    r"|package|tracking|serial|id|account|pin|form|file|porsche|style|size|part|sticker|classroom|portable|office"
    r"|wrote|written|scrawled|painted|sprayed|scratched|carved|team|ending|plot|grave|niche|crypt|desk|railcar|boxcar"
    r"|machine|slot"
    r"|p/n|pn|wo|knocked\s+on|address(?:\s+is)?|well|pass|passes|permit|(?:resident|tenant|guest|occupant)s?\s+(?:of|in|from)"
    r"|wagon|tanker"
    r"|ward|wing|bed|hall|court|field|pier|slip|berth|stage|studio|rack|cabinet|kiosk|booth|elevator|platform"
    r"|track|hangar|stand|tank|well|pad|bldg)\.?)"
    r"\s*['\"\u2018\u201c]?\s*#?\s*$"
)
# Numbered units whose names are also a vehicle's or a patient carrier's.
_RESCUE_UNIT_RE: Final = re.compile(r"rescue\s*#?\s*\d")
_PATIENT_RE: Final = re.compile(r"\b(?:transport\w*|hospital|patient|treated|er\b|e\.r\b|emergency\s+room|stretcher)")
_AMBULANCE_NAMED_RE: Final = re.compile(r"\b(?:ems|e\.m\.s|ambulances?|paramedics?|medics?|emts?)\b")
_TRUCK_UNIT_RE: Final = re.compile(r"(?:truck|tower|squad|tanker|brush)\s*#?\s*\d")
_VEHICLE_KINDS: Final = word_set(
    """box tow delivery semi food fuel garbage trash dump moving pickup pick-up ice mail ups fedex amazon water our my
    his her their rental u-haul uhaul cement concrete dock yard vendor company hauler haul log logging light cell
    radio lookout observation"""
)
# "water hauler truck 911": a vehicle and its number, found anywhere in the narrative.
_VEHICLE_TRUCK_RE: Final = re.compile(
    rf"\b(?:{'|'.join(sorted(_VEHICLE_KINDS, key=len, reverse=True))})\s+(?:\w+\s+)?truck\s*#?\s*(\d+)\b"
)
_FIRE_CONTEXT_RE: Final = re.compile(
    r"\b(?:fire|smoke|alarm|engine|ladder|crew|firefighters?|battalion|hose|sprinkler|responded|entrapment)"
)
_STREET_AFTER_RE: Final = re.compile(
    r"^\s+(?:[a-z]+\.?\s+){0,2}(?:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way|ct|court|pl|place|pkwy|hwy"
    r"|cir|circle|ter|terrace|parkway|highway|boulevard|trail|loop|pike|row)\b"
)
# A Porsche, not a call: "the silver 911 Carrera".
_MODEL_AFTER_RE: Final = re.compile(
    r"^\s+(?:carrera|turbo|targa|gt[23]|gts|cabriolet|coupe|address(?:es|ing)?|signs?|markers?|plaques?|numbers?"
    r"|anniversary|memorial|remembrance|attacks?|commemoration|tribute|restoration)\b"
    # An identifier: "P/N 911-3370", "WO-911-22".
    r"|^-[a-z0-9]"
)
_AT_THE_DOOR_RE: Final = re.compile(
    r"\s+(?:(?:is|was|were|are|now|already)\s+)?at\s+(?:the\s+)?(?:front\s+|back\s+|main\s+|north\s+|south\s+|east\s+"
    r"|west\s+|top\s+of\s+(?:the\s+)?|bottom\s+of\s+(?:the\s+)?)?(?:gate|door|entrance|front\s+desk|lobby|scene|ramp|curb)\b"
)
# A service word in quotes after a name, or a quoted stage name: "Ray 'Sheriff' Whitlock", "'DJ Medic'".
_QUOTED_NAME_RE: Final = re.compile(r"['\"\u2018\u201c](?:[A-Z][\w.]*\s+){0,2}$")
_THEY_ARRIVED_RE: Final = re.compile(
    # "He finally rolled in at 0530": late is said by the adverb; a plain "he came back" is the subject's.
    r"\b(?:he|she)\s+(?:finally|eventually)\s+(?:came|arrived|showed\s+up|got\s+(?:here|there)|rolled\s+in|pulled\s+in)\b"
    r"|\bunit\s+arrived\b|^\W*(?:\d{3,4}\s+)?crew\s+(?:arrived|came|showed\s+up|got\s+here)\b"
    r"|\b(?:they|a\s+unit|a\s+crew|units|the\s+crew|a\s+second\s+(?:rig|unit|crew|ambulance|engine))\s+(?:\w+\s+){0,6}?"
    r"(?:finally\s+|eventually\s+|then\s+|only\s+)?(?:came|arrived|showed\s+up|got\s+(?:here|there)"
    r"|reached\s+(?:us|him|her|them|the\s+\w+))\b"
    r"|\bthey\s+(?:finally\s+|eventually\s+|then\s+|only\s+)?(?:came|arrived|showed\s+up|got\s+(?:here|there)"
    r"|reached\s+(?:us|him|her|them|the\s+\w+))\b"
)
# A fleet truck parked for the night, not a fire company: "TRUCK #911 PARKED ROW C OVERNIGHT".
_PARKED_AFTER_RE: Final = re.compile(
    r"\s+(?:\w+\s+)?(?:parked|row|space|stall|overnight)\b"
    r"|\s+from\s+(?:\w+\s+){1,2}(?:transport|trucking|freight|logistics|lines|express|hauling)\b"
)
# Words before a capitalised service surname that make it an agency, not a person: "County Sheriff", "State Trooper".
_AGENCY_PLACES: Final = word_set(
    """county city state metro township deputy chief head senior the a an our their sheriff's fire town village parish
    district federal us park campus transit airport port tribal highway local assistant acting"""
)
_ONTO_OUR_GROUND_RE: Final = re.compile(
    r"\bcame\s+over\s+from\b|\b(?:pulled|came|drove|turned|rolled)\s+(?:in\s+|right\s+)?(?:to|into|onto|in\s+to)\s+(?:our|the)\s+"
    r"(?:lot|property|site|drive|driveway|parking|gate|yard)\b"
)
_DRILL_START_RE: Final = re.compile(r"\b(?:drill|exercise|simulation|simulated|tabletop|mock)\b")
_DRILL_END_RE: Final = re.compile(
    r"\b(?:drill|exercise)\s+(?:is\s+|was\s+)?(?:complete|completed|ended|ends|over|concluded|finished)\b|\bhot\s+wash\b"
    r"|\bend\s+of\s+(?:the\s+)?(?:drill|exercise)\b|\b(?:all\s+)?notional\b|\bno\s+real\s+(?:patients?|fire|victims?)\b"
    r"|\bno\s+actual\s+(?:incidents?|patients?|emergenc\w+)\b|\beverything\s+(?:was\s+)?staged\b"
)
_REAL_ONE_RE: Final = re.compile(
    r"\b(?:actual|real)\s+(?:fire|emergency|call|incident|patient|injury)\b|\bnot\s+(?:part\s+of|a)\s+(?:the\s+)?drill\b"
)
_DEPARTMENT_ACTS_RE: Final = re.compile(
    r"\s+(?:came|arrived|responded|showed|got|rolled|was|were|had|put|sent|cleared|checked|extinguished|knocked"
    r"|dispatched|units?|crews?|engines?|rescue|dept|department|personnel)\b",
    re.IGNORECASE,
)
_DEPARTMENT_PLACES: Final = word_set("port city county town township district village rural volunteer metro airport")
# Capitalised words before "Fire" that are not a place: "Big Fire", "The Fire", "Small Fire at 0300".
_NOT_PLACES: Final = word_set(
    """the a an big small large huge brush grass car truck vehicle kitchen grease trash dumpster electrical structure
    house apartment building barn boat mulch engine ladder no possible reported active report wild forest"""
)
_SO_I_CALLED_RE: Final = re.compile(r"\b(?:so|and)\s+(?:i|we)\s+(?:called|did)\b")
_COACH_RE: Final = re.compile(r"(?:the|an?)\s+(?:second\s+|another\s+|new\s+)?(?:rig|bus)\b")
_ENGINE_RE: Final = re.compile(r"(?:the|an?)\s+engine\b")
_INITIAL_BEFORE_RE: Final = re.compile(r"(?<![\w.])[A-Z]\.\s+$")
# Service words that are also surnames ("J. Fireman"); "lot C. Ambulance arrived" is the ambulance.
_PERSON_SERVICE_WORDS: Final = word_set(
    "fireman firemen trooper sheriff marshal marshall constable ranger deputy cop copper medic paramedic patrolman"
)
# Title or role before a capitalised service word: a person's name ("Officer Fireman", "tech Joe Sheriff").
_TITLES: Final = word_set(
    """officer ofc mr mrs ms miss dr supervisor sup tech technician resident tenant manager mgr guard named agent
    maintenance concierge porter doorman valet clerk attendant janitor custodian contractor vendor driver coworker
    operator associate employee cashier nurse worker passenger guest customer visitor student teacher instructor
    cook bartender server housekeeper engineer electrician plumber foreman coach member owner neighbor neighbour
    patron rep staffer band group team bar pub calls nicknamed nickname aka"""
)
_LIST_GAP_RE: Final = re.compile(r"\s*(?:,|&|/|and|,\s*and)\s*")
# These never stand before a service: "mr police" is a person, whatever the case.
_PERSONAL_TITLES: Final = frozenset(["officer", "ofc", "mr", "mrs", "ms", "miss", "dr"])
# What a 911 call was for, beyond the hints of `narrative.terms`: the situation decides the service,
# not a default. Plain data, one list of phrases (regular expressions) per service.
# fmt: off
_CALL_REASONS: Final[dict[Service, tuple[str, ...]]] = {
    "ems": (
        r"(?:man|person|woman|guy|male|female|subject|someone|lady|kid|child|patient|worker|employee|resident)\s+down",
        r"not\s+respond\w*", r"passed\s+out", r"unconscious", r"unresponsive", r"seizures?", r"seizing",
        r"convuls\w*", r"overdos\w*", r"o\.?d'?(?:ed|'d)", r"breathing", r"no\s+pulse", r"cpr", r"narcan", r"naloxone",
        r"stroke", r"bleed\w*", r"blood", r"chest", r"heart", r"cardiac",
        r"(?<!i\s)(?<!we\s)went\s+down(?!\s+(?:with|to|the|there|stairs|and|for|an?|into|in)\b)", r"fell\s+down",
        r"dropped\s+to", r"aed", r"(?:lying|laying)\s+(?:on\s+the\s+)?(?:ground|floor)", r"not\s+moving",
        r"(?:could\s+not|couldn'?t|can'?t|cannot)\s+(?:move|get\s+up|stand|breathe)",
        r"hit\s+(?:his|her|their)\s+head", r"slipped", r"tripped", r"fell", r"fallen", r"fainted", r"collapsed",
        r"(?:a|the|her|his|bad)\s+fall", r"found\s+(?:(?!sleeping)[\w.]+\s+){1,5}on\s+the\s+(?:floor|ground)\b",
        r"slurr\w*", r"deformit\w*",
        r"(?:hand|arm|leg|foot|fingers?|sleeve|hair)\s+(?:was\s+|got\s+)?caught\s+in",
        r"caught\s+in\s+(?:the\s+|a\s+)?(?:machine|press|auger|conveyor|belt|roller|gears?)", r"pinned", r"crushed",
        r"crushing\s+(?:his|her|their)", r"amputat\w*", r"hit\s+in\s+the\s+head", r"cut\s+(?:above|on|to|over)\b",
        r"(?:could\s*n[o']?t|can'?t|cannot)\s+feel", r"numb\w*",
        r"injur\w*", r"hurt", r"broken(?!\s+(?:into|in|window|glass|lock|door|gate|fence|down))", r"fractur\w*",
        r"allerg\w*", r"anaphyla\w*", r"swell\w*", r"swollen",
        r"epi-?pens?", r"hives", r"diabet\w*", r"insulin", r"(?:blood\s+)?sugar", r"asthma\w*", r"inhaler",
        r"chok\w*", r"vomit\w*", r"throwing\s+up", r"dizzy", r"pale", r"sweating", r"heat\s+(?:exhaustion|stroke)",
        r"dehydrat\w*", r"pregnan\w*", r"(?:in|into)\s+(?:active\s+|early\s+|premature\s+)?labou?r",
        r"in\s+(?:his|her|their|the|both)\s+eyes?", r"eye\s+injur\w*", r"eyewash", r"splashed", r"water\s+broke",
        r"contractions", r"medical", r"sick", r"ill", r"pains?",
        r"panic\s+attack", r"not\s+feeling\s+well", r"concussion", r"laceration", r"cut\s+(?:his|her|their)",
        r"bitten", r"bite", r"stung", r"sting", r"burns?\s+(?:on|to)\s+(?:his|her|their)", r"poison\w*",
        # A body in trouble, as guards describe it: "in and out of consciousness", "slumped over", "wouldn't respond".
        r"(?:lost|losing|regain\w*|in\s+and\s+out\s+of)\s+consciousness", r"conscious", r"slumped", r"slumping",
        r"(?:would\s*n[o']?t|wouldn'?t|won'?t|didn'?t|did\s+not|does\s*n'?t|could\s*n'?t)\s+(?:respond|wake|answer\s+me)",
        r"wake\s+(?:him|her|them)\s+up", r"needles?", r"syringes?", r"hyperventilat\w*", r"confus\w*", r"disoriented",
        r"shaking", r"trembling", r"foaming", r"turn(?:ed|ing)\s+blue", r"blue\s+lips", r"gasping", r"wheez\w*",
        r"wiped\s+out", r"knocked\s+out", r"thrown\s+from", r"head\s+(?:injury|wound|trauma)", r"fell\s+off",
        r"limp", r"lethargic", r"incoherent", r"vomited", r"drooling", r"paralyz\w*",
    ),
    "police": (
        r"glass\s+break\w*", r"break(?:ing)?[\s-]+in(?:to)?", r"(?<!water\s)broke\s+in(?:to)?", r"climbing\s+in",
        r"screaming\s+for\s+help", r"shots?\s+fired", r"gunshots?", r"gunfire", r"fight\w*", r"brawl",
        r"punch\w*", r"stabb\w*", r"robb\w*", r"carjack\w*", r"trespass\w*", r"intruders?", r"prowler",
        r"weapons?", r"knife", r"gun", r"firearm", r"theft", r"thie(?:f|ves)", r"stole\w*", r"shoplift\w*",
        r"burglar\w*", r"assault\w*", r"domestic", r"threat\w*", r"harass\w*", r"stalk\w*", r"vandal\w*",
        r"suspicious", r"brandish\w*", r"kidnap\w*", r"abduct\w*", r"hit\s+and\s+run", r"dui", r"drunk\s+driv\w*",
        r"disturbance", r"disorderly", r"burglar\s+alarm", r"intrusion\s+alarm", r"panic\s+alarm", r"hold-?up",
        r"tampering", r"indecent", r"exposing\s+himself", r"tried\s+to\s+hit", r"refused\s+to\s+pay",
    ),
    "fire": (
        r"smoke", r"smoking(?=\s*(?:$|[,.;]|from|out|heavily|badly|and\b|around|at\b|about|again|bad))",
        r"smou?lder\w*", r"embers", r"charred",
        r"scorch\w*", r"pyro\w*",
        r"flames?", r"fire", r"burning", r"gas(?!\s+(?:station|pump|can|card|money|prices?|tank|cap|pedal|mileage))",
        r"propane", r"fumes",
        r"sparks?", r"sparking", r"explosion", r"ablaze", r"carbon\s+monoxide",
        r"co2?\s+(?:alarms?|detectors?|levels?|readings?|poisoning|leak|sensors?|meter)", r"(?:smoke|fire)\s+alarms?",
        r"sprinklers?", r"water\s*flow", r"transformer", r"wires?\s+down", r"power\s+lines?\s+down",
        r"chemical", r"hazmat", r"trapped", r"entrapment", r"ammonia", r"chlorine",
        r"diesel\s+(?:spill\w*|leak\w*|running|everywhere)", r"(?:leaking|spilled|spilling)\s+diesel",
        r"(?:fuel|gasoline|oil|chemical)\s+(?:spill|leak)\w*", r"ppm",
        r"stuck\s+(?:in|between)\s+(?:the\s+|an\s+)?(?:elevator|floors)",
        r"elevator\s+(?:\w+\s+){0,2}?stuck",
    ),
}
# fmt: on
_EXTRA_HINTS: Final[tuple[tuple[re.Pattern[str], Service], ...]] = tuple(
    (re.compile(r"\b(?:" + "|".join(phrases) + r")\b"), service) for service, phrases in _CALL_REASONS.items()
)


@dataclass(frozen=True, slots=True)
class _Found:
    term: Term  # offsets in the whole text
    sentence: int
    event: bool
    arrived_later: bool = False  # a later clause or sentence reports the arrival


def find_emergency_mentions(
    text: str, *, agency_terms: Sequence[AgencyTerms | None] = (), guard_names: Iterable[str] = ()
) -> list[EmergencyMention]:
    """The services a narrative says came or were called (attended) or only mentions (uncertain), in reading order.

    `agency_terms`: a company's and a site's own agency words, `{service: [terms]}`, added to the defaults.
    `guard_names`: the surnames of the company's own guards: "Officer Ruiz took the report" is then ours, not police.
    """
    low = normalise(text)
    spans = sentence_spans(text)
    gazetteer = gazetteer_for(*agency_terms)
    guards = frozenset(name.strip().lower() for name in guard_names if name.strip())
    followed = _followed_by(_ARRIVAL_FOLLOWS_RE, low, spans) | _arrival_told_later(low, spans)
    candidates: list[_Found] = []
    reopened: set[int] = set()
    # Service words already read as someone's name: "Dave Constable on site ... Constable off site for lunch".
    people: set[str] = set()
    for index, (start, end) in enumerate(spans):
        sentence_low = low[start:end]
        agencies = gazetteer.find(sentence_low, guard_names=guards)
        if agencies:
            hidden = benign_spans(sentence_low)
            agencies = [agency for agency in agencies if not _inside_a_longer_compound(agency, hidden)]
        terms = _merge(find_terms(sentence_low, hints=True), agencies)
        terms = [
            _unit_service(sentence_low, t)
            for t in terms
            if not _is_someones_name(text, start, end, t, people)
            and not _is_a_number(sentence_low, t)
            and not _is_a_vehicle(text[start:end], t, low)
            and not _is_a_plain_vehicle(low, sentence_low, t)
        ]
        kept = set(affirmed_terms(sentence_low, terms))
        later = _NextMatch(_LATER_ARRIVAL_RE, sentence_low)
        for position, term in enumerate(terms):
            # A later clause or the next sentence reports the arrival: "no ambulance at first. It arrived at 2215",
            # "last month the FD came; tonight they came again". It takes back a negation, a condition, a past visit.
            taken_back = (term.kind == "named" and (index in followed or later.after(term.end))) or (
                # "told me to call 911 so I called at 1720": the instruction was carried out.
                term.kind == "unspecified" and _SO_I_CALLED_RE.search(sentence_low, term.end) is not None
            )
            if term in kept or taken_back:
                if taken_back:
                    reopened.add(len(candidates))
                # An event ("smoke", "not breathing") says something happened, not that a service came;
                # but "police, fire and EMS" lists the fire service.
                event = (
                    term.kind == "named"
                    and term not in agencies
                    and not _names_a_service(sentence_low, term)
                    and not _listed_with_services(sentence_low, position, terms)
                    and not _is_a_departments_name(text, start + term.start, start + term.end)
                )
                whole = Term(term.kind, term.service, start + term.start, start + term.end)
                candidates.append(_Found(whole, index, event, taken_back))
    # "All of this happened before my shift started": what the sentences before it tell is not tonight's.
    dated_up_to = max(
        (index for index, (start, _) in enumerate(spans) if _ALL_BEFORE_MY_SHIFT_RE.match(low, start)), default=-1
    )
    candidates = [item for item in candidates if item.sentence > dated_up_to]
    # "1300 simulated derailment drill ... 1310 fire dept and medics staged ... 1500 drill complete": the lines of a
    # drill, from its start to its end, are the drill's.
    drill = _drill_window(low, spans)
    if drill is not None:
        candidates = [item for item in candidates if not drill[0] <= item.sentence <= drill[1]]
    if not candidates:
        return []
    categories = categorise(text, spans, [(item.term.start, item.term.end) for item in candidates])
    found = [
        item
        for position, (item, modifiers) in enumerate(zip(candidates, categories, strict=True))
        if not modifiers
        or (position in reopened and "not_attending" not in modifiers and "training" not in modifiers)
        # Onto our ground in the same sentence outweighs a place named in passing: "flagged one down at the gas station
        # next door and they pulled in to our lot".
        or (modifiers == {"not_attending"} and _ONTO_OUR_GROUND_RE.search(low, *spans[item.sentence]))
    ]
    return _mentions(text, low, spans, found, followed, _followed_by(_DENIAL_FOLLOWS_RE, low, spans))


class _NextMatch:
    """Whether `pattern` matches in one sentence from a position on, for positions asked in reading order.

    One search serves every position up to the match it found (the first match from there is the same one), and a
    search that found nothing serves every later position: a long list of terms costs one scan, not one each.
    """

    def __init__(self, pattern: re.Pattern[str], sentence_low: str) -> None:
        self.pattern = pattern
        self.sentence_low = sentence_low
        self.searched_from = -1
        self.found_at: int | None = None

    def after(self, end: int) -> bool:
        if self.searched_from < 0 or end < self.searched_from or (self.found_at is not None and self.found_at < end):
            match = self.pattern.search(self.sentence_low, end)
            self.searched_from, self.found_at = end, match.start() if match else None
        return self.found_at is not None


def attended_services(mentions: Sequence[EmergencyMention]) -> list[Service]:
    """The services some mention says came or were called, in a stable order."""
    present = {m.service for m in mentions if m.status == "attended"}
    return [service for service in _SERVICE_ORDER if service in present]


def _merge(built_in: list[Term], extra: list[Term]) -> list[Term]:
    """Both lists, leftmost and longest first, without overlaps."""
    chosen: list[Term] = []
    for term in sorted(built_in + extra, key=lambda t: (t.start, -(t.end - t.start))):
        if not chosen or term.start >= chosen[-1].end:
            chosen.append(term)
    return chosen


def _is_a_departments_name(text: str, start: int, end: int) -> bool:
    """"Houston Fire got there", "Bainbridge Island Fire came down", "port fire extricated him": a place before "Fire"
    names the department, not a fire."""
    if text[start:end].lower() != "fire":
        return False
    before = text[max(0, start - 40) : start].split()
    if not before:
        return False
    word = before[-1].strip("(\"'")
    if word.lower() in _DEPARTMENT_PLACES:
        return True
    # "Houston Fire got there": a capitalised place, then what the department did (not "Fire Mountain Paving",
    # "State Fire Chiefs Association", "the Chicago Fire match").
    acts = _DEPARTMENT_ACTS_RE.match(text, end) is not None
    return acts and text[start] in "Ff" and word[:1].isupper() and word.lower() not in _NOT_PLACES


def _names_a_service(sentence_low: str, term: Term) -> bool:
    return _SERVICE_WORD_RE.search(sentence_low[term.start : term.end]) is not None


def _listed_with_services(sentence_low: str, position: int, terms: Sequence[Term]) -> bool:
    """Bare "fire" between other services in a list: "Police, fire and EMS on scene"."""
    term = terms[position]
    if sentence_low[term.start : term.end] != "fire":
        return False
    # Only its neighbours can be its fellow services in a list.
    for other in terms[max(position - 1, 0) : position + 2]:
        if other is term or not _names_a_service(sentence_low, other):
            continue
        gap = sentence_low[min(term.end, other.end) : max(term.start, other.start)]
        if other.kind == "named" and _LIST_GAP_RE.fullmatch(gap):
            return True
    return False


def _is_a_name(sentence: str, term: Term) -> bool:
    """A service word used as a surname: "Officer Fireman", "Mr. Police", "Supervisor Mike Cops"."""
    phrase = sentence[term.start : term.end]
    # Quotes and brackets are not words: "everyone calls 'Medic'".
    words = (word.strip("'\"\u2018\u2019\u201c\u201d()") for word in sentence[: term.start].replace(".", " ").split())
    before = [word for word in words if word][-3:]
    if term.kind != "named" or " " in phrase:
        return False
    if before and before[-1].lower() in _PERSONAL_TITLES:
        return True
    # A first name before a surname-like service word: "Amber Fireman from the distributor".
    if (
        phrase.lower() in _PERSON_SERVICE_WORDS
        and phrase.istitle()
        and before
        and before[-1].istitle()
        and before[-1].lower() not in _AGENCY_PLACES
        and not sentence.isupper()
    ):
        return True
    if not phrase[:1].isupper():
        return False
    shouting = sentence.isupper()
    for distance, word in enumerate(reversed(before)):
        if word.lower() in _TITLES:
            return True
        if shouting or not word[:1].isupper() or distance >= 1:
            return False
    return False


def _unit_service(sentence_low: str, term: Term) -> Term:
    """A numbered rescue unit that carries a patient is an ambulance: "Rescue 12 transported the cyclist".

    Not when the sentence names the ambulance too: "Rescue 1 got them out, EMS checked them" is the fire service's.
    """
    if (
        term.service == "fire"
        and _RESCUE_UNIT_RE.match(sentence_low, term.start)
        and _PATIENT_RE.search(sentence_low)
        and not _AMBULANCE_NAMED_RE.search(sentence_low)
    ):
        return Term(term.kind, "ems", term.start, term.end)
    return term


def _is_a_vehicle(sentence: str, term: Term, low: str) -> bool:
    """A truck, not a fire company: "box truck 12", "delivery truck 7", and that truck again later ("water hauler
    truck 911 at gate ... Truck 911 out"); "Truck 2 crew responded" stays fire."""
    phrase = sentence[term.start : term.end]
    unit = _TRUCK_UNIT_RE.match(phrase.lower())
    if unit is None:
        return False
    before = sentence[: term.start].lower().split()[-1:]
    if before and before[0] in _VEHICLE_KINDS:
        return True
    if not phrase.lower().startswith(("engine", "ladder")) and _PARKED_AFTER_RE.match(sentence.lower(), term.end):
        return True
    number = "".join(char for char in phrase[unit.start() :] if char.isdigit())
    if number == "911":
        return True  # "Schneider truck 911 arrived at door 22": a fleet number, no fire company's
    if number and any(match.group(1) == number for match in _VEHICLE_TRUCK_RE.finditer(low)):
        return True
    return phrase[:1].islower() and _FIRE_CONTEXT_RE.search(sentence.lower()) is None


def _is_a_number(sentence_low: str, term: Term) -> bool:
    """A bare 911 that is an address or a label: "apartment 911", "911 Oak St", "unit #911", "Room 911 called down",
    "a silver 911 Carrera"."""
    phrase = sentence_low[term.start : term.end]
    if term.kind != "unspecified" or not phrase.startswith(("911", "9-1-1")):
        return False
    number_end = term.start + (3 if phrase.startswith("911") else 5)
    return (
        _NUMBER_BEFORE_RE.search(sentence_low, 0, term.start) is not None
        or _CODE_BEFORE_RE.search(sentence_low, 0, term.start) is not None
        or _STREET_AFTER_RE.match(sentence_low[number_end:]) is not None
        or _MODEL_AFTER_RE.match(sentence_low[number_end:]) is not None
    )


def _is_a_plain_vehicle(low: str, sentence_low: str, term: Term) -> bool:
    """"The bus arrived" is a bus unless the narrative has a patient ("got dizzy ... the rig showed up" is EMS), and
    "the engine" a motor unless it has a fire ("the engine got held up behind a freight train")."""
    if _COACH_RE.match(sentence_low, term.start):
        needed: Service = "ems"
    elif _ENGINE_RE.match(sentence_low, term.start):
        needed = "fire"
    else:
        return False
    return not any(service == needed and pattern.search(low) for pattern, service in _EXTRA_HINTS)


def _is_someones_name(text: str, start: int, end: int, term: Term, people: set[str]) -> bool:
    """A service word as a name: after a title or a role, after an initial, or a name read earlier in the narrative.
    Names found are added to `people`."""
    phrase = text[start + term.start : start + term.end]
    if term.kind == "named" and " " not in phrase and phrase[:1].isupper() and phrase.lower() in people:
        return True
    # "Met with Ems from the property management co": the service is written EMS; "Ems" mid-sentence is a name.
    if phrase == "Ems" and term.start > 0 and not text[start:end].isupper():
        return True
    after = text[start + term.end : start + term.end + 1]
    if (
        term.kind == "named"
        and phrase.istitle()
        and after in ("'", '"', "\u2019", "\u201d")
        and _QUOTED_NAME_RE.search(text, max(start, start + term.start - 30), start + term.start)
    ):
        people.add(phrase.lower())
        return True
    if _is_a_name(text[start:end], term) or _is_a_name_after_an_initial(text, start + term.start, term):
        people.add(phrase.lower())
        return True
    return False


def _is_a_name_after_an_initial(text: str, at: int, term: Term) -> bool:
    """"New hire J. Fireman shadowed me": the initial's full stop ended the sentence before the surname."""
    word = text[at : at + (term.end - term.start)]
    return (
        term.kind == "named"
        and word.istitle()
        and word.lower() in _PERSON_SERVICE_WORDS
        and _INITIAL_BEFORE_RE.search(text, 0, at) is not None
    )


def _drill_window(low: str, spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The first and last sentence of a drill the narrative logs from start to end, unless it says a real one came."""
    starts = [index for index, (start, end) in enumerate(spans) if _DRILL_START_RE.search(low, start, end)]
    ends = [index for index, (start, end) in enumerate(spans) if _DRILL_END_RE.search(low, start, end)]
    if not starts or not ends or max(ends) < starts[0]:
        return None
    first, last = starts[0], max(ends)
    if any(_REAL_ONE_RE.search(low, *spans[index]) for index in range(first, last + 1)):
        return None
    return first, last


def _inside_a_longer_compound(term: Term, compounds: Sequence[tuple[int, int]]) -> bool:
    """A gazetteer term held whole by a longer benign compound ("lease pumper", "Engine 9 Brewing"). Not one that only
    overlaps it ("marine patrol officer" keeps its "marine patrol"), nor the same words as a compound: a term the
    gazetteer lists ("fire marshal") outweighs them."""
    size = term.end - term.start
    return any(start <= term.start and term.end <= end and end - start > size for start, end in compounds)


def _arrival_told_later(low: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Sentences whose arrival one of the next two sentences tells by a pronoun, anywhere in it: "Sheriff wouldn't
    come out at first. When he pulled a knife at 0730 they came within ten minutes", "EMS said they'd be 45 min
    out. Resident waited in the lobby. They got here at 0130 and took him"."""
    told = set()
    for index in range(len(spans) - 1):
        for start, end in spans[index + 1 : index + 3]:
            # "Called the police non emergency line, a unit came": a sentence that names its service speaks of it.
            if _THEY_ARRIVED_RE.search(low, start, end) and not any(
                term.kind == "named" for term in find_terms(low[start:end])
            ):
                told.add(index)
                break
    return told


def _followed_by(pattern: re.Pattern[str], low: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Sentences whose next one opens with `pattern`: "they arrived", "they never came onto our property"."""
    return {index for index in range(len(spans) - 1) if pattern.match(low, spans[index + 1][0])}


def _mentions(
    text: str,
    low: str,
    spans: Sequence[tuple[int, int]],
    found: list[_Found],
    followed: set[int],
    denied: set[int],
) -> list[EmergencyMention]:
    mentions: list[EmergencyMention] = []
    # Of each mention: the term it was found by, and whether it came ("came") or was only called ("called").
    sources: list[tuple[_Found, str]] = []
    seen: set[tuple[Service, int, int]] = set()
    acts_after: dict[int, _NextMatch] = {}  # per sentence

    def add(service: Service, item: _Found, status: MentionStatus, reason: str, how: str = "") -> None:
        if (service, item.term.start, item.term.end) in seen:
            return
        seen.add((service, item.term.start, item.term.end))
        start, end = spans[item.sentence]
        phrase = text[item.term.start : item.term.end]
        mentions.append(EmergencyMention(service, phrase, text[start:end], status, reason, item.event))
        sources.append((item, how))

    for item in found:
        term = item.term
        start, end = spans[item.sentence]
        sentence = text[start:end]
        phrase = text[term.start : term.end]
        quote = f"\u2018{sentence}\u2019"
        if term.kind == "unspecified":
            services, why = _services_for_call(item, low, spans, found)
            if _is_an_instruction(low, term.start) and not low.startswith(("911", "9-1-1"), term.start):
                for service in services:
                    add(service, item, "uncertain", f"{quote} \u2014 {phrase}: an instruction or a rule, not a call")
                continue
            for service in services:
                reason = f"{quote} \u2014 {phrase} called, {why}: {SERVICE_NAMES[service]}"
                add(service, item, "attended", reason, "called")
        elif term.kind == "named" and term.service is not None:
            if item.sentence not in acts_after:
                acts_after[item.sentence] = _NextMatch(_ACTS_AFTER_RE, low[start:end])
            attends = _attends(low[start:end], term.start - start, term.end - start, acts_after[item.sentence])
            if item.event:
                add(term.service, item, "uncertain", f"{quote} \u2014 mentions {phrase}; no service said to have come")
            elif item.sentence in denied and attends != "called":
                denial = "the next sentence says they did not come"
                add(term.service, item, "uncertain", f"{quote} \u2014 mentions {phrase}; {denial}")
            elif item.arrived_later or item.sentence in followed or attends:
                came_later = item.arrived_later or item.sentence in followed
                how = "called" if attends == "called" and not came_later else "came"
                add(term.service, item, "attended", f"{quote} \u2014 {SERVICE_NAMES[term.service]} attended", how)
            else:
                add(term.service, item, "uncertain", f"{quote} \u2014 mentions {phrase}; attendance not said")
    return _kept_off_property(low, spans, _called_off(low, spans, mentions, sources), sources)


def _kept_off_property(
    low: str, spans: Sequence[tuple[int, int]], mentions: list[EmergencyMention], sources: list[tuple[_Found, str]]
) -> list[EmergencyMention]:
    """A later sentence that says the service never came onto our ground takes back what came before it: "A deputy
    was out at the farm next door ... The deputy never came onto club property." """
    denials = [
        (index, match.start(), low[start:end])
        for index, (start, end) in enumerate(spans)
        if (match := _OFF_PROPERTY_RE.search(low, start, end)) is not None
    ]
    if not denials:
        return mentions
    result = []
    for mention, (item, _) in zip(mentions, sources, strict=True):
        # A later sentence that names the service, or later in the mention's own: "Troopers ran a checkpoint on the
        # bridge, but none of them pulled onto the toll plaza property".
        denied_later = any(
            (item.sentence < index and _names_service(sentence, mention.service))
            or (item.sentence == index and item.term.end <= at)
            # "Fire trucks screamed past ... None of them came onto our lot": a denial naming no service speaks of
            # the sentences just before it.
            or (index - 2 <= item.sentence < index and not _names_any_service(sentence))
            for index, at, sentence in denials
        )
        if mention.status == "attended" and denied_later:
            quote = f"\u2018{mention.sentence}\u2019"
            reason = f"{quote} \u2014 mentions {mention.phrase}; a later sentence says they never came"
            mention = replace(mention, status="uncertain", reason=reason)
        result.append(mention)
    return result


def _names_any_service(sentence_low: str) -> bool:
    return any(term.kind == "named" for term in find_terms(sentence_low))


def _names_service(sentence_low: str, service: Service) -> bool:
    return any(term.service == service for term in find_terms(sentence_low) if term.kind == "named")


def _called_off(
    low: str, spans: Sequence[tuple[int, int]], mentions: list[EmergencyMention], sources: list[tuple[_Found, str]]
) -> list[EmergencyMention]:
    """Calls taken back before anyone came become uncertain: "Called 911 for a guest who fainted ... Called back and
    cancelled before anyone came". A service said to have come after the cancellation stays attended."""
    cancellations: dict[int, int] = {}  # sentence -> where its cancellation starts, in the whole text
    for index, (start, end) in enumerate(spans):
        nobody_sent = _NOBODY_SENT_RE.search(low, start, end)
        # "Nobody came for 30 min, then PD and medics showed up": late, not called off.
        if nobody_sent is not None and not _ARRIVED_RE.search(low, nobody_sent.end(), end):
            cancellations[index] = nobody_sent.start()
            continue
        match = _CANCEL_RE.search(low, start, end)
        if match is None:
            continue
        rest = low[match.end() : end]
        passive = _CANCELLED_PASSIVE_RE.search(low, start, match.start()) is not None
        # "before" anywhere in the sentence: "mom took him home before the call went out, cancelled approx 1615".
        explicit = (
            _CALLED_BACK_RE.search(low, start, end) is not None
            or " before " in low[start:end]
            or _SERVICE_CANCELLED_RE.search(low, start, match.start()) is not None
        )
        if (passive or explicit or _CANCEL_OF_A_CALL_RE.search(rest)) and not _CAME_ANYWAY_RE.search(rest):
            cancellations[index] = match.start()
    if not cancellations:
        return mentions
    last = max(cancellations)
    came_after = {m.service for m, (item, _) in zip(mentions, sources, strict=True)
                  if m.status == "attended" and item.sentence > last}  # fmt: skip
    result = []
    for mention, (item, how) in zip(mentions, sources, strict=True):
        if (
            mention.status == "attended"
            and mention.service not in came_after
            and _is_called_off(low, item, how, cancellations)
        ):
            quote = f"\u2018{mention.sentence}\u2019"
            reason = f"{quote} \u2014 {mention.phrase} called, then called off before anyone came"
            mention = replace(mention, status="uncertain", reason=reason)
        result.append(mention)
    return result


def _only_sent_for(low: str, item: _Found) -> bool:
    """The mention's sentence sends for the service ("FD dispatched", "medics requested") and tells no arrival."""
    rest = low[item.term.end : item.term.end + 80]
    return _SENT_FOR_ONLY_RE.match(rest) is not None and _ARRIVED_RE.search(rest) is None


def _is_called_off(low: str, item: _Found, how: str, cancellations: dict[int, int]) -> bool:
    """A call in or before a cancelling sentence, or the service the cancellation names ("told to cancel FD")."""
    for sentence, cancel_at in cancellations.items():
        # Earlier, a call or a dispatch that no sentence says arrived: "1923 Monitoring advised FD dispatched".
        if item.sentence < sentence and (how == "called" or _only_sent_for(low, item)):
            return True
        if item.sentence == sentence:
            if item.term.start > cancel_at or how == "called":
                return True
            gap = low[item.term.end : cancel_at]
            if _CANCELLED_SUBJECT_GAP_RE.fullmatch(gap) or _BEFORE_ANYONE_RE.search(gap):
                return True
            # Sent for, then called back by someone else: "FD had also been dispatched but PD cancelled them".
            if _SENT_FOR_RE.search(gap) and not _ARRIVED_RE.search(gap) and gap.strip():
                return True
            # "The fire engine that was also dispatched was cancelled by police".
            if _DISPATCHED_THEN_CANCELLED_RE.fullmatch(gap):
                return True
    return False


def _attends(sentence_low: str, start: int, end: int, acts_after: _NextMatch) -> Literal["came", "called", ""]:
    """Does the sentence say the service at [start, end) came ("came"), or was called ("called"), or neither ("")?

    `acts_after`: `_ACTS_AFTER_RE` in this sentence.
    """
    if (
        _SELF_ATTENDING_RE.search(sentence_low, start, end)
        or acts_after.after(end)
        # Right after the service, where it stands: "1918 ambulance at the gate, let them through".
        or _AT_THE_DOOR_RE.match(sentence_low, end) is not None
        # Any past-tense verb right after the service, its subject: "Police bomb squad x-rayed it".
        or _SUBJECT_OF_PAST_VERB_RE.match(sentence_low, end) is not None
    ):
        return "came"
    # A call to the non-emergency line ("called the PD non-emergency line") asks no one to come: only a visit counts.
    called = _CALLED_BEFORE_RE.search(sentence_low[:start])
    if called is None or _NON_EMERGENCY_RE.search(sentence_low) is not None:
        return ""
    return "" if _is_an_instruction(sentence_low, called.start()) else "called"


def _is_an_instruction(sentence_low: str, verb_at: int) -> bool:
    """A bare "call" or "dial" is a rule or an instruction, not a call: "if it comes back, evacuate and call 911",
    "we close the terminal and call the fire dept", "have someone dial 911". Not after "had to", "decided to"...
    (what was done) or a subject in the present ("I call PD"), as some guards narrate."""
    if _BARE_CALL_RE.match(sentence_low, verb_at) is None:
        return False
    return _DONE_BEFORE_RE.search(sentence_low, 0, verb_at) is None


def _services_for_call(
    call: _Found, low: str, spans: Sequence[tuple[int, int]], found: Sequence[_Found]
) -> tuple[list[Service], str]:
    """Which services a 911 call brings, from what happened: this sentence, its neighbours, the narrative."""
    for reach, why in (
        (0, "for what this sentence says"),
        (1, "for what the report says"),
        (None, "for what happened"),
    ):
        services: set[Service] = set()
        for item in found:
            near = reach is None or abs(item.sentence - call.sentence) <= reach
            if near and item is not call and item.term.service is not None and item.term.kind != "unspecified":
                services.add(item.term.service)
        for index, (start, end) in enumerate(spans):
            if reach is None or abs(index - call.sentence) <= reach:
                services.update(_extra_hints(low[start:end]))
        if services:
            return [s for s in _SERVICE_ORDER if s in services], why
    return ["police"], "for nothing the report names (police assumed)"


def _extra_hints(sentence_low: str) -> set[Service]:
    """Services what a sentence describes calls for, by the extra hint patterns, where nothing negates them."""
    found: set[Service] = set()
    for pattern, service in _EXTRA_HINTS:
        for match in pattern.finditer(sentence_low):
            # A threat is itself what happened ("threatened to shoot the cashier"), whatever its verb's mood.
            # So is a body in trouble however its verb is negated: "pt isn't breathing right", "no pulse".
            the_event_itself = (service == "police" and match.group(0).startswith("threat")) or (
                service == "ems" and match.group(0) in ("breathing", "no pulse", "not respond", "unresponsive")
            )
            if the_event_itself or affirmed_terms(sentence_low, [Term("hint", service, match.start(), match.end())]):
                found.add(service)
                break
    return found
