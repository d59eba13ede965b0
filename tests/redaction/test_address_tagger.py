"""The trained address tagger (issue 23, round 10): the shipped model verified and loaded as the product loads
it, what it adds to the address rules and the towns gazetteer, and the hard negatives it must leave alone. Every
sentence here was written for these tests (none from an evaluation set); the street and town names are invented.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.errors import ModelError, ModelMismatch
from core.redaction.address_tagger import ADDRESS_TAGGER, AddressTagger, CrfAddressRecognizer, sentences
from core.redaction.detect import load_detector
from core.redaction.id_tagger import tokenize
from core.redaction.overlaps import combine
from core.redaction.spoken import SpokenView
from core.redaction.types import Detector, Entity
from models.manifest import ADDRESS_TAGGER_MODEL, REDACTION_ARTEFACTS
from models.name_tagger import (
    ARTEFACTS_DIR,
    load_address_tagger,
    load_id_tagger,
    load_name_tagger,
    product_detector,
    read_verified,
)


@pytest.fixture(scope="module")
def tagger() -> AddressTagger:
    return load_address_tagger()


@pytest.fixture(scope="module")
def product() -> Detector:
    return product_detector()


@pytest.fixture(scope="module")
def rules_only() -> Detector:
    # the product as it was before the address tagger
    return load_detector(name_tagger=load_name_tagger(), id_tagger=load_id_tagger())


def _addresses(detector: Detector, text: str) -> list[str]:
    return [text[e.start : e.end] for e in detector.detect(text) if e.type == "ADDRESS"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("he lives at 77 orchard vale in kelbrook", ["77 orchard vale", "kelbrook"]),
        ("they rent a place in upper wexcombe now", ["upper wexcombe"]),
        ("she grew up in saint pellworth and moved to norbridge", ["saint pellworth", "norbridge"]),
    ],
)
def test_the_product_finds_towns_and_streets_no_list_holds(
    product: Detector, rules_only: Detector, text: str, values: list[str]
) -> None:
    assert _addresses(product, text) == values
    assert _addresses(rules_only, text) != values  # the tagger's own contribution


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("she lives at twenty three forty one quillfeather lane apartment 6",
         "twenty three forty one quillfeather lane apartment 6"),
        ("The visit is at 1187 Brannigan Crossing, Unit 4C, Harwick Falls, Vermont 05441.",
         "1187 Brannigan Crossing, Unit 4C, Harwick Falls, Vermont 05441"),
        ("mail goes to rural route four box one nineteen", "rural route four box one nineteen"),
        ("He gets his mail at P.O. Box 3381, Tolliver, Kansas 67012.", "P.O. Box 3381, Tolliver, Kansas 67012"),
        ("her sister lives on calle de los almendros 22 in the old town", "calle de los almendros 22"),
        ("uh she's at um four oh nine dovecote row", "four oh nine dovecote row"),
        ("Send it to 9 Quarry Mews, Lindenford LN4 2QT.", "9 Quarry Mews, Lindenford LN4 2QT"),
    ],
)  # fmt: skip
def test_the_tagger_alone_finds_each_family(tagger: AddressTagger, text: str, value: str) -> None:
    assert [text[a:b] for a, b, _ in tagger.spans(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "She was admitted to Saint Brigid's Medical Center overnight.",
        "he moved here from ohio two years ago",
        "put her in room 412, bed 2, on the fifth floor",
        "start metoprolol 25 mg twice a day",
        "we live in hope that the scan is clear",
        "She works for Hartwell Logistics in shipping.",
        "the family came from Guatemala in 2009",
        "he walked 3000 steps and 2 miles today",
        "my name is Orla Kinsella and I'm calling about my bill",
        "the street was icy and she fell near the corner",
        "you can reach me at five five five oh one four two",
    ],
)
def test_hard_negatives_are_no_address(product: Detector, tagger: AddressTagger, text: str) -> None:
    assert _addresses(product, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "she keeps the spare key in the glove box",
        "we bought two flat screen TVs for the waiting room",
        "the checked bag can be up to twenty three kilos",
        "creatinine was one point four and potassium four point one",
        "it's in row 22 of the spreadsheet",
        "I'll put that in ticket number 40718 for you",
        "Hi, this is Omar calling from Birchwood Lane Pharmacy about a refill.",
        "she took the bus from Peru to Bolivia and then to Chile",
    ],
)
def test_the_tagger_alone_leaves_the_families_no_address_looks_like(tagger: AddressTagger, text: str) -> None:
    """Things, quantities, decimals, seats, tickets, a business named after its street, countries: whatever the
    CRF's context says, their shape is no address's."""
    assert [text[a:b] for a, b, _ in tagger.spans(text)] == []


def test_an_address_abbreviation_does_not_end_the_sentence() -> None:
    text = "Mail it to P.O. Box 12, Mt. Vernon. Thanks."
    tokens = tokenize(text)
    assert [" ".join(t.text for t in tokens[a:b]) for a, b in sentences(tokens, text)] == [
        "Mail it to P . O . Box 12 , Mt . Vernon .",
        "Thanks .",
    ]


def test_the_recognizer_names_its_finds(tagger: AddressTagger) -> None:
    text = "they rent a place in upper wexcombe now"
    assert [(e.type, e.detector) for e in CrfAddressRecognizer(tagger).find(text, SpokenView(text))] == [
        ("ADDRESS", ADDRESS_TAGGER)
    ]


def test_its_finds_join_the_rules_addresses_and_give_way_to_other_types_and_whole_names() -> None:
    text = "at 14 Alder Way, Dunmore on 3/4 with Ossian Farrugia"
    tagged = Entity("ADDRESS", 3, 14, 0.7, ADDRESS_TAGGER)  # "14 Alder Way"
    rule = Entity("ADDRESS", 6, 23, 0.85, "address")  # "Alder Way, Dunmore"
    date = Entity("DATE", 27, 30, 0.9, "date")
    over_date = Entity("ADDRESS", 24, 30, 0.7, ADDRESS_TAGGER)
    name = Entity("NAME", 36, 51, 0.9, "names")
    as_address = Entity("ADDRESS", 36, 51, 0.7, ADDRESS_TAGGER)
    assert combine([tagged, rule, date, over_date, name, as_address], text) == [
        Entity("ADDRESS", 3, 23, 0.85, ADDRESS_TAGGER),
        date,
        name,
    ]


def test_a_damaged_model_is_refused() -> None:
    with pytest.raises(ModelError, match="could not be opened"):
        AddressTagger(model=b"not a crfsuite model")


def test_a_tampered_model_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    for spec in REDACTION_ARTEFACTS:
        shutil.copy(ARTEFACTS_DIR / spec.file_name, tmp_path / spec.file_name)
    target = tmp_path / ADDRESS_TAGGER_MODEL.file_name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only the hash can tell
    target.write_bytes(bytes(data))
    with pytest.raises(ModelMismatch, match=f"sha256 {ADDRESS_TAGGER_MODEL.sha256}"):
        product_detector(folder=tmp_path)


def test_the_shipped_model_matches_the_manifest() -> None:
    assert len(read_verified(ADDRESS_TAGGER_MODEL)) == ADDRESS_TAGGER_MODEL.size_bytes


def test_the_tagger_reads_the_lists_it_was_trained_with_and_the_rules_read_the_districts_too() -> None:
    """Round 12's city districts (data/districts.txt) are for the rules only: the tagger's features and its
    recipe's towns come from places.txt, so what it sees at work is what it was trained on, and the recipe
    rebuilds the shipped bytes (models/training/README.md)."""
    from core.redaction.address_tagger import _gazetteers
    from core.redaction.recognizers import load_places
    from models.training.address_corpus import _gazetteers as training_towns

    districts = load_places()[0] - load_places(districts=False)[0]
    assert {"gangnam", "bay ridge"} <= districts
    assert not districts & _gazetteers()[0]
    assert not districts & set(training_towns()[0])
    assert "leith" in load_places()[1] and "leith" not in load_places(districts=False)[1]
