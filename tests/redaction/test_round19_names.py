"""Issue 23, round 19: names read in scenes, a whole recording's transcript at once.

A name spelled with hyphens between its letters ("a-c-h-t-e-r-b-e-r-g") right after it was said was tagged letter
by letter: `_adjoin` joins only what a space parts, so each letter stood alone, a dozen one-letter false names and
the spelling itself missed. The letters are now one span, and a double name's halves spelled with "dash" or
"hyphen" between, or a name spelled with its particle, spell the name said before them.

Every sentence here was written for these tests; none comes from an evaluation set, and no name in them is one a
set holds. Scene texts are checked in lowercase (no marks, as ASR writes) and cased.
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.data.redaction_eval import normalise


@pytest.fixture(scope="module")
def product() -> Detector:
    return product_detector()


def _found(detector: Detector, text: str, etype: str = "NAME") -> list[str]:
    return [text[e.start : e.end] for e in detector.detect(text) if e.type == etype]


def _scene(*lines: str) -> list[str]:
    """The lines joined as one transcript, cased, and as lowercase ASR text without marks."""
    cased = " ".join(lines)
    return [cased, normalise(cased)]


# 1. A spelling with hyphens between the letters is one name, never a name a letter.
@pytest.mark.parametrize(
    ("lines", "spelled"),
    [
        (
            ("Who is the account for?", "My aunt, Brunhilde Oosterveld, O-O-S-T-E-R-V-E-L-D.", "She lives alone."),
            "O-O-S-T-E-R-V-E-L-D",
        ),
        (
            ("The witness gave her name as Marisol Tzintzun, T-Z-I-N-T-Z-U-N.", "She was at the counter."),
            "T-Z-I-N-T-Z-U-N",
        ),
        (
            ("And the next of kin?", "That's Dobromir Wolanczyk, W-O-L-A-N-C-Z-Y-K, my brother-in-law."),
            "W-O-L-A-N-C-Z-Y-K",
        ),
    ],
)
def test_a_spelling_with_hyphens_is_one_name(product: Detector, lines: tuple[str, ...], spelled: str) -> None:
    for text in _scene(*lines):
        found = _found(product, text)
        assert any(spelled.lower() in got.lower() for got in found), (text, found)
        assert not any(len(got) == 1 for got in found), (text, found)


# 2. A double name's halves spelled with "dash" or "hyphen" between them, and a name spelled with its particle.
@pytest.mark.parametrize(
    ("lines", "spelled"),
    [
        (("My name is Yusra el-Qadiri, that's E-L dash Q-A-D-I-R-I.", "Call me back after six."), "Q-A-D-I-R-I"),
        (("The tenant is Soo-ah Pyun-Baek, P-Y-U-N hyphen B-A-E-K.", "She pays by card."), "B-A-E-K"),
        (("State your name for the record.", "Anneke van Dalfsen, V-A-N D-A-L-F-S-E-N.", "I'm a surveyor."), "D-A-L-F"),
    ],
)
def test_a_double_name_spelled_in_halves_is_one_name(product: Detector, lines: tuple[str, ...], spelled: str) -> None:
    for text in _scene(*lines):
        found = _found(product, text)
        assert any(spelled.lower() in got.lower() for got in found), (text, found)
        assert not any(len(got) == 1 for got in found), (text, found)


# 3. Letters that spell no name said before stay what they were: a code's letters are no name.
@pytest.mark.parametrize(
    "lines",
    [
        ("The door code is K-X-R dash Q-V-T.", "Enter it twice."),
        ("The form reference is B-T-F hyphen W-Q-P, then press send.",),
    ],
)
def test_letters_spelling_no_name_are_no_name(product: Detector, lines: tuple[str, ...]) -> None:
    for text in _scene(*lines):
        assert _found(product, text) == [], text


# 4. Lowercase text has no sentence ends: a strong cue that closes one sentence ("... the registered nurse") is not
#    the title of the next sentence's first word when that word is an English word no name list holds.
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("the chart was countersigned by the staff nurse pager number is on the board", "pager"),
        ("we spoke to the duty officer statement to follow by friday", "statement"),
        ("she gave her first name only surname withheld says she lives nearby", "withheld"),
        ("the patient asked for the ward doctor tomorrow we review the bloods", "tomorrow"),
    ],
)
def test_a_cue_closing_a_sentence_names_no_word_after_it(product: Detector, text: str, word: str) -> None:
    assert not any(word in got.lower() for got in _found(product, text)), _found(product, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("i was seen by nurse adebayo-quist this morning", "adebayo-quist"),
        ("then officer vandermeulen took my statement", "vandermeulen"),
        ("the form says surname przybyszewska and first name ola", "przybyszewska"),
        # an honorific ends no sentence: the word after it is a name even when it is an English word too
        ("we waited an hour and then mrs march called us in", "march"),
        ("the second opinion came from dr bienenstock on friday", "bienenstock"),
    ],
)
def test_a_cue_still_names_a_word_no_list_calls_a_word(product: Detector, text: str, name: str) -> None:
    assert any(name in got.lower() for got in _found(product, text)), _found(product, text)


# 5. After a relation, an irregular past that is a given name too is the relation's verb in lowercase text.
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("i rang the house and her husband hung up before i could explain", "hung"),
        ("at the party my aunt sang while we cleared the tables", "sang"),
        ("the landlord said my neighbour rang twice about the noise", "rang"),
    ],
)
def test_a_relation_s_past_verb_is_no_name(product: Detector, text: str, word: str) -> None:
    assert not any(word in got.lower().split() for got in _found(product, text)), _found(product, text)


# 6. An initial and a surname after a strong cue: the letter alone is no name, and the surname went with it.
@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (("The policy was issued in the name of T. Lindqvist.", "It lapsed in spring."), "Lindqvist"),
        (
            (
                "Who signed the lease?",
                "Her surname is Okafor, first initial N.",
                "The lease is under Dr. R. Halvorsen.",
            ),
            "Halvorsen",
        ),
    ],
)
def test_an_initial_and_surname_after_a_cue_are_a_name(product: Detector, lines: tuple[str, ...], name: str) -> None:
    for text in _scene(*lines):
        assert any(name.lower() in got.lower() for got in _found(product, text)), (text, _found(product, text))


def test_an_article_after_a_cue_is_no_initial(product: Detector) -> None:
    text = "the refund was paid in the name of a trust fund last week"
    assert _found(product, text) == [], _found(product, text)
