"""The evaluation set itself: size, type coverage, negatives, and gold spans that match their text."""

from __future__ import annotations

from collections import Counter

import pytest

from core.redaction.types import ENTITY_TYPES, STRUCTURED
from tests.data.redaction_eval import DATA, Case, lower_case, normalise, parse_line, sentences

MIN_SENTENCES = 260
NEGATIVE_SHARE = 0.25


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    from tests.data.redaction_eval import load

    return load()


def _marked() -> list[tuple[str, list[str]]]:
    """Each sentence's plain text and, in order, the texts of its marked spans."""
    out = []
    for text, gold in sentences():
        out.append((text, [text[g.start : g.end] for g in gold]))
    return out


def test_header_says_written_for_the_project() -> None:
    header = DATA.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "written for this project" in header
    assert "Licence" in header


def test_enough_sentences_and_both_versions(cases: list[Case]) -> None:
    by_version = Counter(c.version for c in cases)
    assert by_version["cased"] >= MIN_SENTENCES
    assert by_version == {"cased": by_version["cased"], "lower": by_version["cased"]}


@pytest.mark.parametrize("kind", ENTITY_TYPES)
def test_every_type_present_often_enough(kind: str) -> None:
    count = sum(g.type == kind for _, gold in sentences() for g in gold)
    assert count >= (8 if kind in STRUCTURED or kind == "NAME" else 3)


def test_a_quarter_are_hard_negatives(cases: list[Case]) -> None:
    cased = [c for c in cases if c.version == "cased"]
    assert sum(not c.gold for c in cased) >= NEGATIVE_SHARE * len(cased)


def test_spans_are_sorted_tight_and_disjoint(cases: list[Case]) -> None:
    for case in cases:
        end = 0
        for g in case.gold:
            assert end <= g.start < g.end <= len(case.text), case
            piece = case.text[g.start : g.end]
            assert piece == piece.strip() and piece[-1] not in ",.;:!?", case
            end = g.end


def test_lower_spans_match_their_marked_text(cases: list[Case]) -> None:
    cased = [c for c in cases if c.version == "cased"]
    lower = [c for c in cases if c.version == "lower"]
    assert len(cased) == len(lower)
    for c, low in zip(cased, lower, strict=True):
        assert low.text == normalise(c.text)
        assert [g.type for g in low.gold] == [g.type for g in c.gold]
        for g, lg in zip(c.gold, low.gold, strict=True):
            assert low.text[lg.start : lg.end] == normalise(c.text[g.start : g.end]), (c.text, g)


def test_the_markup_round_trips() -> None:
    text, gold = parse_line("Patient [NAME|Maria Gonzalez], MRN [MEDICAL_RECORD_NUMBER|4471-0923].")
    assert text == "Patient Maria Gonzalez, MRN 4471-0923."
    assert [(g.type, text[g.start : g.end]) for g in gold] == [
        ("NAME", "Maria Gonzalez"),
        ("MEDICAL_RECORD_NUMBER", "4471-0923"),
    ]


def test_the_lower_rule() -> None:
    text, gold = parse_line('Email "[EMAIL|jane.doe@gmail.com]", fax [FAX|(614) 555-0192]; on [DATE|March 3rd, 1958].')
    low = lower_case(text, gold)
    assert low.text == "email jane.doe@gmail.com fax 614 555-0192 on march 3rd 1958"
    assert [low.text[g.start : g.end] for g in low.gold] == ["jane.doe@gmail.com", "614 555-0192", "march 3rd 1958"]


@pytest.mark.parametrize("bad", ["[NOPE|x]", "[NAME| x]", "a [NAME|x"])
def test_bad_markup_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_line(bad)


def test_spans_match_the_marked_text_in_the_file() -> None:
    # the markup's inner text is exactly what the cased offsets select
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, gold = parse_line(line.strip())
        inner = [piece.split("|", 1)[1].split("]", 1)[0] for piece in line.split("[")[1:]]
        assert [text[g.start : g.end] for g in gold] == inner
