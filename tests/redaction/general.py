"""Shared by the category tests (test_*_general.py, test_general_round3.py): one rule detector, and
each sentence in the two forms a transcript comes in."""

from __future__ import annotations

from core.redaction.detect import default_detector
from tests.data.redaction_eval import normalise

DETECTOR = default_detector()


def found(text: str, etype: str) -> list[str]:
    """The texts of the spans of one type the detector finds in `text`."""
    return [text[e.start : e.end] for e in DETECTOR.detect(text) if e.type == etype]


def both(text: str) -> list[str]:
    """The sentence as written and as a recogniser without casing or punctuation writes it."""
    return [text, normalise(text)]
