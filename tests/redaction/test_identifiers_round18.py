"""Issue 23, round 18 (identifiers read in scenes): numbers that say what they are are no identifier's value, however
near an identifier's cue; sentences written for this file (none from a set), cased and as lowercase ASR output
without punctuation.

1. An age ("a 78-year-old", "eighty-one years old", "83 yo"), a dose or an amount ("40 mg") and a bed's, a bay's or
   a room's number ("bed six, eighty-four") are cut off an identifier find, which is dropped when fewer than three
   digits remain (`core.redaction.not_ids`); the age is then marked as one.
2. A written year after "ends in" near a social ("it ends in 2028") is no social's last four, unless the social is
   what ends ("the SSN on file ends in 1987") (`grammar:last_digits`).
"""

from __future__ import annotations

import re

import pytest

from core.redaction.id_tagger import ID_TAGGER, ID_TYPES
from core.redaction.not_ids import not_identifiers
from core.redaction.overlaps import combine
from core.redaction.types import Entity
from tests.redaction.general import DETECTOR, assert_marked_found

#: Identifiers still found beside an age, a dose or a year.
SCENES: list[str] = [
    "She is a 67-year-old retiree from Duluth. Her checking account number is [ACCOUNT_NUMBER|7 7 1 0 4 4 2 9 1].",
    "Money left his savings on Monday. He is seventy-three years old and the account number is "
    "[ACCOUNT_NUMBER|5 5 0 2 1 8 8 3 4].",
    "The patient is 81 yo, in bay two. His MRN is [MEDICAL_RECORD_NUMBER|6 6 1 0 4 7 2], allergic to penicillin.",
    "Can you confirm your social? Sure, my social ends in [SSN|4471], and the lease ends in 2029.",
    "We have it here. The SSN on file ends in [SSN|1987], is that right?",
]


@pytest.mark.parametrize("scene", SCENES)
def test_round18_identifier_beside_an_age_is_found(scene: str) -> None:
    assert_marked_found(scene)


def _lower(text: str) -> str:
    return re.sub(r"[.,?!]", "", text.lower())


#: (scene, the words that are no identifier's value): an age, a dose or a bed after an identifier's cue, read on
#: from an earlier sentence (lowercase: with no sentence's end).
NOT_IDS: list[tuple[str, str]] = [
    ("The transfer drained his savings. A 78-year-old woman from Tulsa called the police.", "78-year-old"),
    ("Someone opened a credit card in her name. The victim, 84 years old, lives alone.", "84 years old"),
    (
        "His chart number is on the wristband. Mr. Okafor in bed six, eighty-four, son visiting tonight.",
        "six, eighty-four",
    ),
    ("Routing goes through the main branch. The manager, sixty-one years old, signed it.", "sixty-one years old"),
    ("The PIN is in a drawer at home, my gran is 92 yo and forgets it.", "92 yo"),
    ("Her member ID is on the card. She takes 40 mg of omeprazole at night.", "40 mg"),
]


@pytest.mark.parametrize(("scene", "words"), NOT_IDS)
def test_round18_age_bed_or_dose_is_no_identifier(scene: str, words: str) -> None:
    for text in (scene, _lower(scene)):
        said = words if text == scene else _lower(words)
        start = text.index(said)
        found = DETECTOR.detect(text)
        hits = [e for e in found if e.type in ID_TYPES and e.start < start + len(said) and start < e.end]
        assert not hits, (text, [(e.type, text[e.start : e.end]) for e in hits])


@pytest.mark.parametrize(
    "scene",
    [
        "The transfer drained his savings. A 93-year-old woman from Tulsa called the police.",
        "Someone opened a credit card in her name. The victim, 91 years old, lives alone.",
    ],
)
def test_round18_the_age_is_marked_instead(scene: str) -> None:
    for text in (scene, _lower(scene)):
        assert "AGE" in {e.type for e in DETECTOR.detect(text)}, text


#: A social named, then a year after "ends in", "expires" or "until" that is not the social's.
NOT_SSN: list[str] = [
    "We have his social on file. The lease, it ends in 2028, so call before then.",
    "Her social security card was replaced, and her visa ends in 2031.",
    "I read you my social already. My contract ends in 2027 anyway.",
    "The social is verified. Coverage runs until 2030 and the plan expires in 2030.",
]


@pytest.mark.parametrize("scene", NOT_SSN)
def test_round18_year_after_ends_in_is_no_social(scene: str) -> None:
    for text in (scene, _lower(scene)):
        assert "SSN" not in {e.type for e in DETECTOR.detect(text)}, text


def test_round18_cut_keeps_the_identifier_before_an_age() -> None:
    # An identifier read on into an age: the age is cut off, the identifier kept.
    text = "MRN 4477 1290 45 years old, admitted today."
    finds = [Entity("MEDICAL_RECORD_NUMBER", 4, text.index(" years"), 0.9, "test")]
    kept = not_identifiers(finds, text)
    assert [text[e.start : e.end] for e in kept] == ["4477 1290"]
    # A bed's number and an age only: nothing left.
    text = "Handover, bay three, seventy-nine, wife visiting."
    start = text.index("three")
    finds = [Entity("ACCOUNT_NUMBER", start, text.index(", wife"), 0.6, "test")]
    assert not_identifiers(finds, text) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Her plan ID, then the visit at 4 30 p.m. tomorrow.", "4 30"),
        ("the account is fine the visit is at four forty five pm tomorrow", "four forty five"),
        ("The charge of 2 3 9 dollars is on the account.", "2 3 9"),
        ("Give her 7 5 0 mg twice daily.", "7 5 0"),
        ("The patient is 9 4 yo.", "9 4"),
        ("Ibuprofen 400 mg, 30 tablets, refill twice.", "400 mg, 30"),
    ],
)
def test_round18_a_time_an_amount_a_dose_or_an_age_is_dropped(text: str, said: str) -> None:
    start = text.index(said)
    finds = [Entity("HEALTH_PLAN_ID", start, start + len(said), 0.6, ID_TAGGER)]
    assert not_identifiers(finds, text) == []


def test_round18_am_as_a_verb_is_no_time() -> None:
    text = "My PIN is 4 4 7 1 am I right?"
    start = text.index("4 4 7 1")
    finds = [Entity("PIN", start, start + len("4 4 7 1"), 0.9, "test")]
    assert not_identifiers(finds, text) == finds


@pytest.mark.parametrize(
    "text",
    [
        "Utility bills go to the account holder. Mrs. Lindqvist in bay three, ninety-two, son lives nearby.",
        "utility bills go to the account holder mrs lindqvist in bay three ninety-two son lives nearby",
    ],
)
def test_round18_tagger_guess_over_a_bed_and_an_age_gives_way_to_the_age(text: str) -> None:
    # The identifier tagger guesses a code over the bay's number and the age said after the name; combined, the
    # guess is gone and the age is the person's.
    name = re.search(r"lindqvist", text, re.IGNORECASE)
    assert name is not None
    bed = text.index("three")
    age = text.index("ninety-two")
    finds = [
        Entity("NAME", name.start(), name.end(), 0.9, "crf:name"),
        Entity("CREDIT_DEBIT_CVV", bed, age + len("ninety-two"), 0.6, ID_TAGGER),
    ]
    kept = [(e.type, text[e.start : e.end]) for e in combine(finds, text)]
    assert not [k for k in kept if k[0] in ID_TYPES], kept
    assert ("AGE", "ninety-two") in kept, kept
