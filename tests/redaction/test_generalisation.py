"""Categories of misses found on the held-out set, each with new sentences (none copied from a set)."""

from __future__ import annotations

import pytest

from core.redaction.detect import default_detector

DETECTOR = default_detector()


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type, text[e.start : e.end]) for e in DETECTOR.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A city or town after a locative cue, cased and lowercase, diacritics ignored.
        ("Her sister moved to Albuquerque last year.", ("ADDRESS", "Albuquerque")),
        ("he drove up from sacramento this morning", ("ADDRESS", "sacramento")),
        ("They spent the summer near Gdańsk with family.", ("ADDRESS", "Gdańsk")),
        # An unknown town after a residence cue, cased.
        ("She grew up in Wickersham and still visits.", ("ADDRESS", "Wickersham")),
        # A street named without a house number.
        ("The crash happened on Bramblewood Avenue after dark.", ("ADDRESS", "Bramblewood Avenue")),
        ("the shop is on willowmere road by the bridge", ("ADDRESS", "willowmere road")),
        # A street address with the city, a spoken state short form and the ZIP.
        (
            "Send it to 14 Alder Street, Pittsfield, Mass, 01201.",
            ("ADDRESS", "14 Alder Street, Pittsfield, Mass, 01201"),
        ),
        # A day of the month alone, written and spoken, and a weekday attached to it.
        ("The rent is due on the 14th and I paid it late.", ("DATE", "the 14th")),
        ("we rescheduled it for the twenty second at noon", ("DATE", "the twenty second")),
        ("Her scan is on Wednesday the 6th.", ("DATE", "Wednesday the 6th")),
        ("He starts physio Thursday, October 3, at the clinic.", ("DATE", "Thursday, October 3")),
        # A month alone that points at a time.
        ("She was discharged in November after the fall.", ("DATE", "November")),
        # A social starting with 9 (ITIN-shaped), written and spoken.
        ("His SSN is 921-47-3306.", ("SSN", "921-47-3306")),
        (
            "social security nine two one four seven three three oh six",
            ("SSN", "nine two one four seven three three oh six"),
        ),
        # A spoken medical record number with spelled-out letters, and identifiers read out in pieces.
        ("M R N five five two oh one eight three.", ("MEDICAL_RECORD_NUMBER", "five five two oh one eight three")),
        ("The insulin pump serial is K T nine nine four one two.", ("DEVICE_ID", "K T nine nine four one two")),
        ("Her nursing license is LPN 552 019.", ("LICENSE_NUMBER", "LPN 552 019")),
        # A partial account number after "ending in".
        ("The checking account ending in 7713 was frozen.", ("ACCOUNT_NUMBER", "7713")),
    ],
)
def test_category_found(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are on the way to the second floor.",
        "the 3rd floor nurse said she may call back",
        "He said he will march in the parade.",
        "The plate on the tray was cold.",
        "I read it in the Boston Herald yesterday.",
        "She moved to Texas in 2015.",
        "Take the 2nd dose at bedtime.",
    ],
)
def test_hard_negatives_stay_out(text: str) -> None:
    assert [t for t, _ in found(text) if t in ("ADDRESS", "DATE", "VEHICLE_ID")] == []
