"""Issue 23 round 16, names: two causes of heldout12's missed lowercase names (and heldout10's and heldout11's, where
the same show), read as families and tested with sentences and names written for this file (none taken from an
evaluation set). All in the name tagger's decision rule; the trained model is unchanged.

- A hesitation between a slot's cue and the name ("my neighbour, um, X", "a tutor called, uh, X"): the cue still holds.
- A given name English hardly knows where a person is thanked, handed something or named as a child ("a refund for
  X", "thanks X", "belonging to X", "little X, two years old", "the family of X"); not a noun's modifier after such a
  word ("for camry repairs").
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.redaction.name_rules import names, rule_alone


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


RULE_ALONE = [
    # a hesitation after a relation or a naming cue
    ("her landlord, uh, tavake never fixed the boiler", "tavake"),
    ("my flatmate um quetzalli pays the bills", "quetzalli"),
    ("everybody calls him erm zebedee", "zebedee"),
    # thanked, handed something, a child's
    ("the second cheque was made out to kasimir in march", "kasimir"),
    ("thanks anneliese and can you confirm the postcode", "anneliese"),
    ("there was a letter for ludmila it's on the side", "ludmila"),
    ("a coat belonging to kasimir was left in the hall", "kasimir"),
    ("on the ward tonight little delphine two years old with croup", "delphine"),
    ("the toddler evander aged three had a fall", "evander"),
    ("we met the parents of marisela on thursday", "marisela"),
]


@pytest.mark.parametrize(("text", "name"), RULE_ALONE)
def test_the_rule_alone_finds_a_name_in_these_slots(text: str, name: str) -> None:
    assert any(name in n for n in rule_alone(text)), (text, rule_alone(text))


NOT_NAMES = [
    # a brand or a scale after "for", modifying the noun after it
    ("we waited two weeks for camry parts from the dealer", "camry"),
    ("the nurse did the checks for braden risk at noon", "braden"),
    # a hesitation after a cue, then an everyday word
    ("my neighbour, um, always parks on the kerb", "always"),
    ("thanks, uh, everyone for coming in today", "everyone"),
]


@pytest.mark.parametrize(("text", "word"), NOT_NAMES)
def test_no_name_is_made_of_these_words(detector: Detector, text: str, word: str) -> None:
    assert not any(word in n for n in names(detector, text)), (text, names(detector, text))


def test_a_name_after_a_hesitation_is_found_by_the_product(detector: Detector) -> None:
    text = "her godmother, um, philippa drove her to the appointment"
    assert "philippa" in names(detector, text), names(detector, text)


KIN_NAMED = [
    # a modal, a month or an everyday word as the given name after a possessed relation
    ("Her grandson Will drove her over, and he waited outside.", "Will"),
    ("My flatmate, April, signs for the parcels.", "April"),
    ("our cousin, uh, Hope, can take the dog", "Hope"),
    ("her nephew will who lives upstairs found her", "will"),
    ("i came with my husband may and our two boys", "may"),
    ("his best friend joy said he seemed low", "joy"),
]


@pytest.mark.parametrize(("text", "name"), KIN_NAMED)
def test_a_word_name_after_a_possessed_relation_is_found(detector: Detector, text: str, name: str) -> None:
    assert name in names(detector, text), (text, names(detector, text))


KIN_NOT_NAMED = [
    # the modal after a relation, and a month or an everyday word that is the clause's
    ("her grandson will drive her over on friday", "will"),
    ("my flatmate will sign for the parcels", "will"),
    ("his best friend may have taken it", "may"),
    ("our daughter might come in april", "april"),
]


@pytest.mark.parametrize(("text", "word"), KIN_NOT_NAMED)
def test_a_modal_or_a_word_after_a_relation_is_no_name(detector: Detector, text: str, word: str) -> None:
    assert word not in names(detector, text), (text, names(detector, text))


NICKNAMES = [
    # a nickname the capital makes a name, after a naming cue
    ("At the depot they all called him Biscuit, and he answered to it.", "Biscuit"),
    ("The caller asked to be referred to just as Magpie on the record.", "Magpie"),
    ("He is known only as Tinker in the shelter's book.", "Tinker"),
    # the name chosen over the legal one
    ("The client says he prefers Teddy, though his passport says Theodore.", "Teddy"),
    ("the client says he prefers teddy his passport says theodore", "teddy"),
]


@pytest.mark.parametrize(("text", "name"), NICKNAMES)
def test_a_nickname_or_a_chosen_name_is_found(detector: Detector, text: str, name: str) -> None:
    assert name in names(detector, text), (text, names(detector, text))


NOT_NICKNAMES = [
    ("at the depot they all called him lazy and he answered to it", "lazy"),
    ("he prefers the aisle seat and a blanket", "aisle"),
    ("She prefers tea to coffee in the evening.", "tea"),
    ("they called him back on monday", "back"),
]


@pytest.mark.parametrize(("text", "word"), NOT_NICKNAMES)
def test_a_word_after_a_naming_cue_stays_a_word(detector: Detector, text: str, word: str) -> None:
    assert not any(word in n.lower() for n in names(detector, text)), (text, names(detector, text))


def test_a_language_preferred_is_no_name(detector: Detector) -> None:
    text = "The interpreter is booked because he prefers Tagalog for medical talk."
    assert "Tagalog" not in names(detector, text), names(detector, text)


CODES = [
    # letters of a plate or a code read in the spelling alphabet, running on into its digits
    ("It's Sierra, Juliet, Kilo, four, one, one, two.", ("Sierra", "Juliet", "Kilo")),
    ("so that's papa, victor, oscar, six six zero", ("papa", "victor", "oscar")),
    ("Mike Golf Delta 7 3 1, on the blue hatchback.", ("Mike", "Golf", "Delta")),
]


@pytest.mark.parametrize(("text", "words"), CODES)
def test_a_code_read_in_the_spelling_alphabet_is_no_name(detector: Detector, text: str, words: tuple[str, ...]) -> None:
    found = names(detector, text)
    assert not any(w in n for w in words for n in found), (text, found)


def test_one_such_word_before_a_number_stays_a_person(detector: Detector) -> None:
    text = "My supervisor Victor, two weeks ago, signed the rota."
    assert "Victor" in names(detector, text), names(detector, text)


def test_a_relation_said_as_what_everyone_called_her_is_no_name(detector: Detector) -> None:
    text = "She raised half the street, and the kids all called her Granny."
    assert "Granny" not in names(detector, text), names(detector, text)


ROLLS = [
    # a roll of those present, with and without commas, rare and listed given names
    ("Attendees: Folake, Ansel, and Marit, with Dr Quist joining late.", ("Folake", "Ansel", "Marit")),
    ("present were ansel folake and marit from the night team", ("ansel", "folake", "marit")),
    ("in attendance today are tamsin and me, oriel", ("tamsin", "oriel")),
]


@pytest.mark.parametrize(("text", "people"), ROLLS)
def test_the_names_in_a_roll_of_those_present_are_found(detector: Detector, text: str, people: tuple[str, ...]) -> None:
    found = names(detector, text)
    assert all(any(p in n for n in found) for p in people), (text, found)


NOT_ROLLS = [
    ("present were bruising and swelling over the left shin", ("bruising", "swelling")),
    ("Also present: a mild tremor and some nausea after meals.", ("tremor", "nausea")),
    ("the attendees were tired and the coffee ran out", ("tired", "coffee")),
]


@pytest.mark.parametrize(("text", "words"), NOT_ROLLS)
def test_findings_or_words_after_an_attendance_cue_are_no_names(
    detector: Detector, text: str, words: tuple[str, ...]
) -> None:
    found = names(detector, text)
    assert not any(w in n.lower() for w in words for n in found), (text, found)
