"""Shared by the category tests (test_*_general.py, test_general_round3.py): one rule detector, and
each sentence in the two forms a transcript comes in."""

from __future__ import annotations

from core.redaction.detect import default_detector
from tests.data.redaction_eval import Case, lower_case, normalise, parse_line

DETECTOR = default_detector()


def found(text: str, etype: str) -> list[str]:
    """The texts of the spans of one type the detector finds in `text`."""
    return [text[e.start : e.end] for e in DETECTOR.detect(text) if e.type == etype]


def covered(text: str, want: str, etype: str = "ADDRESS") -> bool:
    """`want` lies inside one span of type `etype` found in `text`."""
    return any(want in got for got in found(text, etype))


def both(text: str) -> list[str]:
    """The sentence as written and as a recogniser without casing or punctuation writes it."""
    return [text, normalise(text)]


#: As bench/redaction_eval.py: a find of the gold span's type over at least half of it.
MATCH_SHARE = 0.5


def marked_cases(line: str) -> list[Case]:
    """A marked-up sentence ("... [ADDRESS|88 Juniper Hollow] ...") as written and as lowercase ASR output."""
    text, gold = parse_line(line)
    return [Case(text, gold, "cased"), lower_case(text, gold)]


def assert_marked_found(line: str) -> None:
    """Every marked span is found, in both versions, by the benchmark's matching rule."""
    for case in marked_cases(line):
        found = DETECTOR.detect(case.text)
        for g in case.gold:
            need = MATCH_SHARE * (g.end - g.start)
            hits = [e for e in found if e.type == g.type and min(e.end, g.end) - max(e.start, g.start) >= need]
            assert hits, (g.type, case.text[g.start : g.end], case.text, found)


def assert_nothing_structured(sentence: str) -> None:
    """Nothing but names is found, in both versions of the sentence."""
    for case in marked_cases(sentence):
        found = [(e.type, case.text[e.start : e.end]) for e in DETECTOR.detect(case.text) if e.type != "NAME"]
        assert not found, (case.text, found)
