"""Issue 23 round 5, names: the causes read off heldout5's misses and negatives heldout2's false names, each
tested with sentences and names written for this file (none taken from an evaluation set).

- a decomposed accent splits no word (the tokenizer);
- a code in the spelling alphabet or a word with no vowel is no name (vetoes);
- a person's slot ("X's mom", "her stepdaughter X") needs less of the tagger, and a word the tagger gave
  little weight is a name by the company it keeps: a name it is sure of beside it ("X and Y Z"), a relation
  ("X and her father", "X, that's her niece"), a relation before it ("his wife X"), or the same word in a full
  name said elsewhere;
- names the rules and the tagger found in halves around particles are one; names inside a firm named after
  people are none (`core.redaction.firms`);
- the rules' cues take no number and, in lowercase text, no irregular past tense after them, and a weak cue
  before a firm's head ("this is X Pharmacy") is no person.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from core.redaction.firms import firm_spans
from core.redaction.name_tagger import tokenize
from core.redaction.overlaps import combine
from core.redaction.types import Detector, Entity
from models.name_tagger import product_detector
from tests.redaction.test_name_tagger import _kept as _rule_keeps


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


def _kept(text: str, spans: Sequence[tuple[str, float]] = ()) -> list[str]:
    """The names the decision rule keeps from the CRF's spans fixed by the test (the real lexicon)."""
    return _rule_keeps(text, list(spans))


def _names(detector: Detector, text: str) -> list[str]:
    return [text[e.start : e.end] for e in detector.detect(text) if e.type == "NAME"]


def test_a_decomposed_accent_does_not_split_a_word() -> None:
    # "Tàvéro" and "Lúnaq" with combining marks (U+0300, U+0301) after their letters, and a modifier letter.
    text = "her name was Ta\u0300ve\u0301ro Lu\u0301naq Bi\u02bcshe"
    assert [t.text for t in tokenize(text)][-3:] == ["Ta\u0300ve\u0301ro", "Lu\u0301naq", "Bi\u02bcshe"]


def test_the_spelling_alphabet_and_vowelless_words_are_no_names() -> None:
    assert _kept("The locker code is Papa Sierra Echo two.", [("Papa Sierra Echo", 0.9)]) == []
    assert _kept("the booking reads hotel whiskey juliet", [("hotel whiskey juliet", 0.9)]) == []
    assert _kept("their npdb report came back clean", [("npdb", 0.9)]) == []
    assert _kept("the tag said xkr on the back", [("xkr", 0.9)]) == []
    # A lone alphabet word is still a person's name ("Victor"), and a name keeps its vowels.
    assert _kept("We paged Victor Almqvist twice.", [("Victor Almqvist", 0.9)]) == ["Victor Almqvist"]


def test_a_persons_slot_needs_less_of_the_tagger() -> None:
    assert _kept("Odalys's father signed the consent.", [("Odalys", 0.45)]) == ["Odalys"]
    assert _kept("Her stepdaughter Maribeth drove her in.", [("Maribeth", 0.45)]) == ["Maribeth"]
    # The same weight with no such slot is not enough in cased text (round 15: a rare given name opening a sentence
    # before its deed, "Odalys signed ...", is such a slot now; set apart by a comma it is not).
    assert _kept("Odalys, the consent is signed.", [("Odalys", 0.45)]) == []


def test_a_name_coordinated_with_a_sure_one_is_a_name() -> None:
    text = "We went over the results with Blessing and Teodor Vasquez-Lind."
    assert _kept(text, [("Teodor Vasquez-Lind", 0.97)]) == ["Blessing", "Teodor Vasquez-Lind"]
    text = "ozren and bogdana both came to the family meeting"
    assert _kept(text, [("bogdana", 0.7)]) == ["ozren", "bogdana"]  # a rare word beside a doubtful listed name
    # Two unknown words side by side vouch for nothing: invented drug names.
    assert _kept("zentravir and prolexa are on backorder", [("zentravir", 0.7)]) == ["zentravir"]
    # A doubtful name does not vouch for a known word beside it ("Hyatt and ..." hotels, "dale and heath").
    assert _kept("We partner with Regent and Hyatt for stays.", [("Hyatt", 0.7)]) == ["Hyatt"]


def test_a_word_beside_a_relation_is_a_name() -> None:
    assert _kept("I went over the diet with Ivy and her father.") == ["Ivy"]
    assert _kept("She keeps asking for Tamsin, that's her niece.") == ["Tamsin"]
    assert _kept("his wife mercy signed the consent at the desk") == ["mercy"]
    assert _kept("the patient said her ex-husband duarte has the car keys") == ["duarte"]
    assert _kept("lucan's mom called about the refill") == ["lucan"]
    # Not a function word, a common word or a verb after the relation, nor a common word's possessive.
    assert _kept("my son will call back tomorrow") == []
    assert _kept("her brother sent flowers to the ward") == []
    assert _kept("the patient's mom called about the refill") == []
    assert _kept("I went over the diet with him and her father.") == []


def test_a_word_of_a_full_name_said_again_is_the_name() -> None:
    text = "It's Blessing. Blessing Adeyemi-Cole, yes."
    assert _kept(text, [("Blessing Adeyemi-Cole", 0.95)]) == ["Blessing", "Blessing Adeyemi-Cole"]
    # In lowercase text an everyday word is not taken again: "rose" the verb.
    text = "rose okafor came in and her temperature rose overnight"
    assert _kept(text, [("rose okafor", 0.95)]) == ["rose okafor"]


def test_names_found_in_halves_around_particles_are_one() -> None:
    text = "her name is Ines de la Fuente Morales"
    a, b = text.index("Ines"), text.index("Fuente")
    halves = [Entity("NAME", a, a + 4, 0.7, "crf:name"), Entity("NAME", b, len(text), 0.8, "context:name")]
    assert [(e.start, e.end) for e in combine(halves, text)] == [(a, len(text))]
    # Without the text, as before; and a word that is no particle keeps two names apart.
    assert len(combine(halves)) == 2
    text = "Ines and Fuente"
    two = [Entity("NAME", 0, 4, 0.7, "crf:name"), Entity("NAME", 9, 15, 0.8, "context:name")]
    assert len(combine(two, text)) == 2
    # A space alone between two names found apart: one name.
    text = "Chae Ji-hun signed"
    two = [Entity("NAME", 0, 4, 0.7, "crf:name"), Entity("NAME", 5, 11, 0.8, "context:name")]
    assert [(e.start, e.end) for e in combine(two, text)] == [(0, 11)]


def test_a_name_inside_a_firm_named_after_people_is_none(detector: Detector) -> None:
    text = "Shares of Procter & Gamble rose after Goldman Sachs upgraded them."
    assert [text[a:b] for a, b in firm_spans(text)] == ["Procter & Gamble", "Goldman Sachs"]
    assert _names(detector, text) == []
    assert _names(detector, "she moved her savings to edward jones last spring") == []
    # A person who shares a firm's surname is still a person.
    text = "Dr. Hana Goldman reviewed the scan."
    assert _names(detector, text) == ["Hana Goldman"]


def test_the_rules_cues_take_no_number_and_no_past_tense(detector: Detector) -> None:
    assert _names(detector, "she was a nurse twenty two years before she retired") == []
    assert _names(detector, "the doctor gave her a sling and the nurse took it off") == []
    assert _names(detector, "This is Brookfield Pharmacy calling about a refill.") == []
    # The cues still take a name.
    assert _names(detector, "the nurse kalinda will see you next") == ["kalinda"]


def test_a_word_corrected_to_a_name_and_a_booking_under_one_are_names() -> None:
    text = "the account holder is vasko no sorry teodora brankova"
    assert _kept(text, [("teodora brankova", 0.95)]) == ["vasko", "teodora brankova"]
    text = "text cousin miro no cousin mirela about the party"
    assert _kept(text, [("mirela", 0.95)]) == ["miro", "mirela"]
    # No correction, no name: "no" after an ordinary word.
    assert _kept("the dose is fine no changes for teodora brankova", [("teodora brankova", 0.95)]) == [
        "teodora brankova"
    ]
    assert _kept("the table is booked under adebayo for eight tonight") == ["adebayo"]
    assert _kept("The appointment is under Okafor-Reyes, at nine.", [("Okafor-Reyes", 0.45)]) == ["Okafor-Reyes"]
    assert _kept("the files are kept under lock at night") == []


def test_feasts_derived_words_and_verbs_opening_a_sentence_are_no_names() -> None:
    assert _kept("The ward party is after Diwali this year.", [("Diwali", 0.8)]) == []
    assert _kept("she needs a recertification before the refill", [("recertification", 0.8)]) == []
    assert _kept("Chase down the lab results before noon.", [("Chase", 0.95)]) == []
    assert _kept("Chase called back about the results.", [("Chase", 0.95)]) == ["Chase"]


def test_brands_and_camel_case_words_are_no_names(detector: Detector) -> None:
    assert _names(detector, "I sent the rent through Venmo and the deposit through PayPal.") == []
    assert _names(detector, "she switched her plan to Humana last year") == []
    assert _names(detector, "Her SmartTrack reader needs a new sensor.") == []
    # A short prefix before the inner capital is a name's spelling.
    assert _names(detector, "We paged Dr. DeShawn McAllister twice.") == ["DeShawn McAllister"]


def test_coordination_skips_titles_and_possessives_skip_diseases() -> None:
    text = "the panel met with alderwoman brisco and alderwoman quennell"
    assert "alderwoman" not in _kept(text, [("brisco", 0.7)])
    assert _kept("family history of menkhaus's father had it too") == []
