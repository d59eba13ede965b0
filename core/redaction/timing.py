"""From character spans in a transcript to time spans in its audio, through the word timestamps.

A transcript's text is the recogniser's words joined with spaces and punctuation, so each word is
found in the text in order. A redaction's time span runs from the first word it touches to the last.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Timed(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def start_ms(self) -> int: ...

    @property
    def end_ms(self) -> int: ...


@dataclass(frozen=True)
class WordMap:
    """Where each timed word sits in the text: parallel tuples, sorted by character offset."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    start_ms: tuple[int, ...]
    end_ms: tuple[int, ...]

    @classmethod
    def build(cls, text: str, words: Sequence[Timed]) -> WordMap:
        """Words are looked up in order; one the text does not contain (an edit removed it) is skipped."""
        folded = text.casefold()
        starts: list[int] = []
        ends: list[int] = []
        t0: list[int] = []
        t1: list[int] = []
        pos = 0
        for word in words:
            needle = word.text.strip().casefold()
            if not needle:
                continue
            at = _find_word(folded, needle, pos)
            if at < 0 and needle.strip(_EDGE):  # as written, else without the punctuation at its edges
                needle = needle.strip(_EDGE)
                at = _find_word(folded, needle, pos)
            if at < 0:
                continue
            starts.append(at)
            ends.append(at + len(needle))
            t0.append(word.start_ms)
            t1.append(word.end_ms)
            pos = at + len(needle)
        return cls(tuple(starts), tuple(ends), tuple(t0), tuple(t1))

    def time_span(self, char_start: int, char_end: int) -> tuple[int, int] | None:
        """[start_ms, end_ms) of the words that overlap [char_start, char_end); None when none does."""
        first = bisect.bisect_right(self.ends, char_start)  # first word ending after the span's start
        last = bisect.bisect_left(self.starts, char_end)  # words starting before the span's end
        if first >= last:
            return None
        return min(self.start_ms[first:last]), max(self.end_ms[first:last])


#: Punctuation a recogniser attaches to a word ("Gonzalez,") that an edited text may have lost.
_EDGE = ".,;:!?\"'()[]"


def _find_word(text: str, needle: str, pos: int) -> int:
    """The first whole-word occurrence of `needle` at or after `pos` ("at" is not found in "that")."""
    at = text.find(needle, pos)
    while at >= 0:
        end = at + len(needle)
        before_ok = at == 0 or not text[at - 1].isalnum() or not needle[0].isalnum()
        after_ok = end == len(text) or not text[end].isalnum() or not needle[-1].isalnum()
        if before_ok and after_ok:
            return at
        at = text.find(needle, at + 1)
    return -1


def merge_intervals(
    spans: Iterable[tuple[int, int]], *, margin_ms: int, duration_ms: int | None = None
) -> list[tuple[int, int]]:
    """Each span widened by the margin on both sides, clipped to the audio, overlaps merged, sorted."""
    if margin_ms < 0:
        raise ValueError("margin_ms must not be negative")
    widened = sorted((max(0, a - margin_ms), b + margin_ms) for a, b in spans)
    if duration_ms is not None:
        widened = [(a, min(b, duration_ms)) for a, b in widened]
    widened = [(a, b) for a, b in widened if a < b]
    merged: list[tuple[int, int]] = []
    for a, b in widened:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
