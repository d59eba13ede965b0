"""Issue 23, round 17 (identifiers read in scenes): the product detects on a recording's whole transcript, so a cue
said in one sentence meets the numbers of the next. Families written as grammars and tested on multi-sentence text
written for this file (none from a set), cased and as lowercase ASR output without punctuation.

1. A cue reaches only the numbers it introduces (`cue_nearest`): not a number after another number that is followed
   by another thing named ("the chart number is ..., contact number is ..."), though a list, a restatement, a
   correction or a pronoun's ("mine is ... and hers is ...") stay its own; a cue said after a number names it only
   when said of it ("..., that's my PIN"), not across a sentence's end nor when it heads a value of its own
   ("... Policy number is ..."); a bare noun heading another thing ("the plan of care") names nothing; "reached on",
   "contact number" and "the line ending in" are a phone's cues, "CDL" and the clinicians' registers (GMC, NMC, ...)
   a licence's.
2. A PIN's digits given by their places, answering a question about them in the turn before ("just the first and
   third? ... First is 4 and third is 9"), or the places asked and the digits said, a filler between ("the second and
   third? 6 and, uh, 0") (`context:answer_id`).
3. A card's ending after where it is or what befell it ("your card on file ends in ...", "my card was stolen, the one
   ending ..."), its first try three digits when corrected (`context:card_last4`).
4. A social named, then "it ends in" its last four a sentence or a turn later (`context:ssn_ending`).
"""

from __future__ import annotations

import re

import pytest

from core.redaction.cue_nearest import prefer_nearest_cue
from core.redaction.id_tagger import ID_TAGGER
from core.redaction.types import Entity
from tests.redaction.general import DETECTOR, assert_marked_found

SCENES: list[str] = [
    # 1. A cue from an earlier sentence, or from before another number, does not type the next one.
    "The chart number is 4 4 0 9 1 7 2 3. Contact number is [PHONE|five five five, two two three four], ask for Oren.",
    "She has a dental plan through her work as well. Her son can be reached on [PHONE|four one five, five five five, "
    "zero one nine three] most evenings.",
    "His cell is [PHONE|two zero six, five five five, zero one four four]. Policy number is HX 7701 2209.",
    "I want my driver's licence added to the account, it's [LICENSE_NUMBER|T412-5580-3391]. Loan account 4402 1187 "
    "is a separate matter.",
    "Please send the revised plan of care by fax to Dr. Mbeki's clinic at [FAX|nine one seven, five five five, oh "
    "one two six]. The visit went well.",
    "Her CDL number is [LICENSE_NUMBER|K 7 7 2 0 1 9 4 4], we still need her record. The trailer VIN is on file.",
    # A clinician's number on a national register.
    "Dr. Osei here, my GMC number is [LICENSE_NUMBER|6 1 1 9 0 4 2], and the practice fax is on the letter.",
    "I'm the charge nurse, my NMC PIN is [LICENSE_NUMBER|98 B 2 7 7 1 4 C], for the handover notes.",
    # 2. A PIN's digits by their places, asked in the turn before.
    "For security I only need two digits of your phone banking passcode, the second and the fourth. Okay, second is "
    "[PIN|seven] and fourth is [PIN|one]. Thanks, you're verified.",
    "Can I have the first and last digits of your PIN? Sure. The first one's [PIN|2], the last one's [PIN|8]. Lovely.",
    "Which two digits of the passcode? Give me the third and fifth. [PIN|Five and, um, three]. Thank you.",
    # 3. A card's ending after where it is or what befell it.
    "Someone used my debit card, the one ending [CREDIT_DEBIT_NUMBER|6 6 1 8], at a petrol station. I froze it.",
    "The Visa we have on file ends in [CREDIT_DEBIT_NUMBER|4 0 2], sorry, [CREDIT_DEBIT_NUMBER|4 0 2 9]. Is that "
    "still good?",
    # 4. The social, then "it ends in" a turn later.
    "Her social security number was on the letter we lost. Do you want it read out? No, just tell me it ends in "
    "[SSN|3 1 9 0]. It does.",
]


@pytest.mark.parametrize("scene", SCENES)
def test_round17_scene_family_is_found(scene: str) -> None:
    assert_marked_found(scene)


#: (scene, a type that must not be found in it, cased or lowercased): the families' negatives, a question answered
#: by an amount, a count, a time or a date among them.
NOT_FOUND: list[tuple[str, str]] = [
    ("Your PIN was changed on the 1st and 3rd of May. Both times at the branch.", "PIN"),
    ("About your passcode, the 1st and 2nd 5 minutes of the call are free. Then it costs.", "PIN"),
    ("What about the PIN? The 1st time was 4 weeks ago and the 2nd time was yesterday.", "PIN"),
    ("I have her social here. The card she used, it ends in 4 4 1 9.", "SSN"),
    ("We talked about her social security benefits. The appeal, it ends in 3 weeks, on the 14th.", "SSN"),
    ("The debit card was stolen, the one I got 3 years ago, and I was charged 4 9 9 dollars.", "CREDIT_DEBIT_NUMBER"),
    ("Which digits of your passcode can you give me? The 1st and 3rd. It took 2 minutes.", "PIN"),
]


@pytest.mark.parametrize(("scene", "kind"), NOT_FOUND)
def test_round17_negative_is_not_found(scene: str, kind: str) -> None:
    for text in (scene, _lower(scene)):
        assert kind not in {e.type for e in DETECTOR.detect(text)}, text


def _nearest(text: str, value: str, types: tuple[str, ...]) -> set[str]:
    """The types `prefer_nearest_cue` leaves on `value` (found in `text` by rules of each of `types`)."""
    start = text.index(value)
    finds = [Entity(t, start, start + len(value), 0.9, f"test:{t}") for t in types]
    return {e.type for e in prefer_nearest_cue(finds, text)}


def _lower(text: str) -> str:
    return re.sub(r"[.,?!]", "", text.lower())


#: (scene, value, the types two rules give it, the type it is).
ARBITRATED: list[tuple[str, str, tuple[str, ...], str]] = [
    # An earlier cue is spent on its own number once another thing is named.
    (
        "The chart number is 4 4 0 9 1 7 2 3. Contact number is five five five, two two three four, ask for Oren.",
        "five five five, two two three four",
        ("MEDICAL_RECORD_NUMBER", "PHONE"),
        "PHONE",
    ),
    (
        "The chart number is 4 4 0 9 1 7 2 3, her mobile is five five five, two two three four.",
        "five five five, two two three four",
        ("MEDICAL_RECORD_NUMBER", "PHONE"),
        "PHONE",
    ),
    # A cue said after the number, in the next sentence or heading its own value, is not said of it.
    (
        "His cell is two zero six, five five five, zero one four four. Policy number is HX 7701 2209.",
        "two zero six, five five five, zero one four four",
        ("HEALTH_PLAN_ID", "PHONE"),
        "PHONE",
    ),
    (
        "I want my driver's licence added to the account, it's T412-5580-3391. Loan account 4402 1187 is separate.",
        "T412-5580-3391",
        ("LICENSE_NUMBER", "ACCOUNT_NUMBER"),
        "LICENSE_NUMBER",
    ),
    (
        "She has a dental plan through her work as well. Her son can be reached on four one five, five five five, "
        "zero one nine three most evenings.",
        "four one five, five five five, zero one nine three",
        ("HEALTH_PLAN_ID", "PHONE"),
        "PHONE",
    ),
    # A bare noun heading another thing names nothing.
    (
        "Please send the revised plan of care by fax to the clinic at nine one seven, five five five, oh one two six.",
        "nine one seven, five five five, oh one two six",
        ("HEALTH_PLAN_ID", "FAX"),
        "FAX",
    ),
    # Still the cue's: a pronoun's number, another one of the kind, a correction, and a cue said of the number.
    (
        "I need the last four of the social for you both. Mine is 4 4 1 9 and hers is 0 2 7 7, the card is in "
        "her name.",
        "0 2 7 7",
        ("SSN", "CREDIT_DEBIT_NUMBER"),
        "SSN",
    ),
    (
        "His nursing license number is R N 4 4 1 0 2 and the old one from Idaho was I D 7 7 0 1 9, please note it.",
        "I D 7 7 0 1 9",
        ("LICENSE_NUMBER", "PHONE"),
        "LICENSE_NUMBER",
    ),
    (
        "The social on file is 4 4 1 9 0 2 7 7 1, sorry, 4 4 1 9 0 2 7 1 7, and the card is fine.",
        "4 4 1 9 0 2 7 1 7",
        ("SSN", "CREDIT_DEBIT_NUMBER"),
        "SSN",
    ),
    ("Write down 6 0 2 8, that's my PIN for the card.", "6 0 2 8", ("PIN", "CREDIT_DEBIT_CVV"), "PIN"),
    # A question about a letter between the cue and the value spends nothing.
    (
        "The VIN is 2 h g f c 4 4 0 1 9, sorry, was that c as in charlie? Yes, charlie, h g f c 4 4 0 1 9.",
        "h g f c 4 4 0 1 9.",
        ("VEHICLE_ID", "HEALTH_PLAN_ID"),
        "VEHICLE_ID",
    ),
    # A card's code has three or four digits: a long number read back after the code is the card's.
    (
        "My card is 4111 1111 1111 1111 and the code is four four two. Reading it back, four one one one, one one one "
        "one, one one one one, one one one one.",
        "four one one one, one one one one, one one one one, one one one one",
        ("CREDIT_DEBIT_CVV", "CREDIT_DEBIT_NUMBER"),
        "CREDIT_DEBIT_NUMBER",
    ),
]


def test_round17_spent_cue_does_not_retype_a_guess() -> None:
    # The identifier tagger's guess keeps its type when the only other cue was spent on an earlier number, the thing
    # named between spelled with letters beyond a-z ("... for Señor Ibáñez is").
    text = "The MRN is 5 5 1 9 0 2 2. The sponsor number for Señor Ibáñez is 7 7 0 4 1 9 3 2 2, thanks."
    for said in (text, _lower(text)):
        start = said.index("7 7 0 4")
        guess = Entity("HEALTH_PLAN_ID", start, start + len("7 7 0 4 1 9 3 2 2"), 0.6, ID_TAGGER)
        assert [e.type for e in prefer_nearest_cue([guess], said)] == ["HEALTH_PLAN_ID"], said


def test_round17_code_split_from_a_card_guess_stays_a_code() -> None:
    # The tagger's guess runs a card, its expiry and its code together; the code split from it keeps its type (the
    # three-or-four-digit rule looks at each code find, not at the guess's span).
    text = "Go ahead. 6011 7031 9138 6492, oh two, thirty, five five oh."
    start, code = text.index("6011"), text.index("five five oh")
    finds = [
        Entity("CREDIT_DEBIT_NUMBER", start, len(text) - 1, 0.6, ID_TAGGER),
        Entity("CREDIT_DEBIT_CVV", code, code + len("five five oh"), 0.95, "pattern:card_tail"),
    ]
    assert [e.type for e in prefer_nearest_cue(finds, text)][1] == "CREDIT_DEBIT_CVV"


@pytest.mark.parametrize(("scene", "value", "types", "kind"), ARBITRATED)
def test_round17_nearest_cue_in_scenes(scene: str, value: str, types: tuple[str, ...], kind: str) -> None:
    assert _nearest(scene, value, types) == {kind}
    assert _nearest(_lower(scene), _lower(value), types) == {kind}
