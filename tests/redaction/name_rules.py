"""Shared by the name tests (test_names_round8.py; earlier rounds keep their own copies): the NAME spans a
detector finds, and the name tagger's decision rule over the product's lexicon with a CRF that found nothing."""

from __future__ import annotations

from collections.abc import Sequence

from core.redaction.name_tagger import CrfNameRecognizer, Lexicon
from core.redaction.spoken import SpokenView
from core.redaction.types import Detector
from models.name_tagger import load_name_tagger


def names(detector: Detector, text: str) -> list[str]:
    """The texts of the NAME spans `detector` finds in `text`."""
    return [text[e.start : e.end] for e in detector.detect(text) if e.type == "NAME"]


class SilentTagger:
    """The product's lexicon with a CRF that found nothing: what the decision rule adds on its own."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def tag(self, text: str, *, unknown: bool = False) -> tuple[Sequence[tuple[int, int, float]], bool]:
        return [], any(c.isupper() for c in text)


def rule_alone(text: str) -> list[str]:
    """The texts the decision rule alone finds in `text` (no CRF span to start from)."""
    rule = CrfNameRecognizer(SilentTagger(load_name_tagger().lexicon))  # type: ignore[arg-type]
    return [text[e.start : e.end] for e in rule.find(text, SpokenView(text))]
