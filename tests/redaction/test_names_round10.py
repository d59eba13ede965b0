"""Issue 23 round 10, names in lowercase text: two slots that make the next word a person, read off the tuned sets'
lowercase misses and tested with sentences and names written for this file (none taken from an evaluation set).

- The kind of name said, then the name: "his surname was X", "last name is X", "first name's X". The rules' cue list
  has the bare "surname" and "last name" before "surname is", and a regex takes the first alternative that fits, so
  the verb after the cue was read as the name and the name went unread; the trained tagger gives a name after "was"
  little weight in lowercase text.
- A thing one person does at another: "shouted at X", "swore at X", "smiled at X". The tagger's templates only ever
  had places and firms after "at", so it all but rules a person out there.

In both slots the word must be on a name list and no word of English (philter-lite's non-names, the project's common
words): "his surname is unknown", "laughed at everything" stay as they are.
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.redaction.name_rules import names, rule_alone


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


FOUND = [
    # the kind of name, then the name
    ("i only learned later that her surname was kowalczyk", "kowalczyk"),
    ("the family name is oyelaran and he was admitted overnight", "oyelaran"),
    ("okay and his last name's delacroix is that right", "delacroix"),
    ("his first name is ignatius but everyone uses his middle name", "ignatius"),
    ("The officer said his surname was Pritchard, and then he left.", "Pritchard"),
    # a thing done at a person
    ("the witness says the foreman shouted at rosalind in the car park", "rosalind"),
    ("he swore at dariusz twice and then walked out of the meeting", "dariusz"),
    ("apparently she smiled at ottilie across the ward and said nothing", "ottilie"),
    ("in the video you can see him lunging at desmond by the door", "desmond"),
    ("she stared at wojciech for a while before she answered", "wojciech"),
]


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_a_name_in_these_slots_is_found(detector: Detector, text: str, name: str) -> None:
    assert name in names(detector, text), (text, names(detector, text))


@pytest.mark.parametrize(("text", "name"), [(t, n) for t, n in FOUND if t.islower()])
def test_the_slot_alone_finds_it_in_lowercase(text: str, name: str) -> None:
    """The decision rule finds it with no span from the CRF: the slot, not the model's weights, does the work."""
    assert name in rule_alone(text), (text, rule_alone(text))


@pytest.mark.parametrize(
    "text",
    [
        "his surname is unknown to the ward clerk",
        "the first name was wrong on the referral form",
        "first name is blank in the chart so please fill it in",
        "the last name is missing from the discharge letter",
        "he yelled at everyone in the waiting room",
        "she laughed at the idea of going home so soon",
        "he pointed at the window and then at the door",
        "we went at noon and came at teatime",
        "the dog barked at the postman all morning",
    ],
)
def test_an_everyday_word_there_is_no_name(detector: Detector, text: str) -> None:
    assert names(detector, text) == [], (text, names(detector, text))
