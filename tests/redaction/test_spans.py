"""The one span renderer (core.redaction.spans): what the detector's `redact`, every export and the
transcript view's text share."""

from __future__ import annotations

import pytest

from core import export
from core.redaction.detect import redact
from core.redaction.spans import Label, Span, apply_spans, effective_spans, labels, splice
from core.redaction.types import Entity
from core.transcript_display import Display


def test_spans_are_clipped_to_a_piece_that_starts_at_an_offset() -> None:
    text = "call 555 0147 now"
    spans = [Span(5, 13, "PHONE")]
    assert apply_spans(text, spans) == "call [PHONE] now"
    assert apply_spans(text[9:], spans, offset=9) == "[PHONE] now"  # a cue that starts inside the span
    assert apply_spans(text[:7], spans) == "call [PHONE]"
    assert apply_spans(text[14:], spans, offset=14) == "now"


def test_a_span_that_starts_inside_an_earlier_one_or_clips_to_nothing_is_left_out() -> None:
    spans = [Span(0, 4, "NAME"), Span(2, 6, "DATE"), Span(8, 8, "AGE"), Span(20, 30, "PHONE")]
    assert labels(10, spans) == [Label(0, 4, "[NAME]")]
    assert splice("abcdefghij", labels(10, spans)) == "[NAME]efghij"


def test_redact_export_and_the_view_render_alike() -> None:
    text = "Ana Lopez called from 555-0147 on Monday."
    entities = [Entity("NAME", 0, 9, 0.9, "x"), Entity("PHONE", 22, 30, 0.9, "x"), Entity("DATE", 34, 40, 0.9, "x")]
    expected = "[NAME] called from [PHONE] on [DATE]."

    class Stored:
        def __init__(self, e: Entity) -> None:
            self.type, self.start, self.end, self.redacted = e.type, e.start, e.end, True

    stored = [Stored(e) for e in reversed(entities)]
    assert redact(text, entities) == expected
    assert export.apply_spans(text, export.effective_spans(stored)) == expected
    assert Display(text, stored).text == expected


def test_redact_still_refuses_overlapping_entities() -> None:
    with pytest.raises(ValueError, match="overlapping entities at 2"):
        redact("abcdef", [Entity("NAME", 2, 4, 1.0, "x"), Entity("NAME", 0, 3, 1.0, "x")])
    assert redact("abcdef", [Entity("NAME", 3, 6, 1.0, "x"), Entity("AGE", 0, 3, 1.0, "x")]) == "[AGE][NAME]"


def test_effective_spans_merge_overlaps_and_skip_rejected() -> None:
    class R:
        def __init__(self, start: int, end: int, kind: str, redacted: bool = True) -> None:
            self.start, self.end, self.type, self.redacted = start, end, kind, redacted

    spans = effective_spans([R(5, 9, "DATE"), R(0, 4, "NAME"), R(2, 6, "AGE"), R(10, 12, "PHONE", False)])
    assert spans == [Span(0, 9, "NAME")]
