"""The one span renderer: a text with stretches of it shown as ``[TYPE]``.

A detector's redacted text (`core.redaction.detect.redact`), every export format (`core.export`) and
the transcript view's text model (`core.transcript_display.Display`) all walk the same way: spans in
order of start, each clipped to the text, one that starts inside an earlier one left out. Pure text:
no Qt, no vault.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Marked(Protocol):
    """Anything with a type and [start, end) offsets: an ``Entity``, a ``Span``."""

    @property
    def type(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class Reviewed(Marked, Protocol):
    """A stored redaction: a marked stretch that is redacted unless the user rejected it."""

    @property
    def redacted(self) -> bool: ...


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str


@dataclass(frozen=True)
class Label:
    """A stretch of a text, [start, end) in its own positions, shown as ``text``."""

    start: int
    end: int
    text: str


def effective_spans(redactions: Iterable[Reviewed]) -> list[Span]:
    """The redactions in force, sorted, overlaps merged (the earlier one's type is kept)."""
    spans: list[Span] = []
    for r in sorted((r for r in redactions if r.redacted), key=lambda r: (r.start, -r.end)):
        if spans and r.start < spans[-1].end:
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, r.end), last.type)
        else:
            spans.append(Span(r.start, r.end, r.type))
    return spans


def labels(length: int, spans: Iterable[Marked], *, offset: int = 0) -> list[Label]:
    """The stretches of a text ``length`` characters long, which starts at ``offset`` in the transcript,
    that ``spans`` (sorted by start) show as ``[TYPE]``: each clipped to the text, in its positions; a
    span that clips to nothing or starts inside an earlier one is left out."""
    out: list[Label] = []
    pos = 0
    for s in spans:
        a, b = max(s.start - offset, 0), min(s.end - offset, length)
        if a >= b or a < pos:
            continue
        out.append(Label(a, b, f"[{s.type}]"))
        pos = b
    return out


def apply_spans(text: str, spans: Iterable[Marked], *, offset: int = 0) -> str:
    """``text``, which starts at ``offset`` in the transcript, with every span (clipped to it) as [TYPE]."""
    return splice(text, labels(len(text), spans, offset=offset))


def splice(text: str, shown: Sequence[Label]) -> str:
    """``text`` with each label (sorted, apart) in place of its stretch."""
    out: list[str] = []
    pos = 0
    for label in shown:
        out += [text[pos : label.start], label.text]
        pos = label.end
    out.append(text[pos:])
    return "".join(out)
