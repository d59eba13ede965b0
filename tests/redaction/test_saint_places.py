"""A name after "Saint" or "St." is a place or a church ("Saint Mary's"), not a person (issue 21, §8).

Sentences written for this test; none is from an evaluation set.
"""

from __future__ import annotations

import pytest

from tests.redaction.general import found


@pytest.mark.parametrize(
    "text",
    [
        "She was taken to Saint Mary's on Tuesday.",
        "We met at St. Mary's Hospital after lunch.",
        "The ambulance went to St Anne's instead.",
        "he was moved to saint mary's overnight",
        "The choir of St. Thomas sang at noon.",
    ],
)
def test_a_name_after_saint_is_not_a_person(text: str) -> None:
    assert found(text, "NAME") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mary Jones was at St Anne's yesterday.", "Mary Jones"),
        ("Call Mary Jones at Saint Thomas Hospital.", "Mary Jones"),
        ("Dr. Mary Saint called about the scan.", "Mary Saint"),
    ],
)
def test_people_around_a_saints_place_are_still_names(text: str, expected: str) -> None:
    assert expected in found(text, "NAME")
