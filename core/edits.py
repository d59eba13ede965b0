"""A text edit of a transcript, carried over to its word timing and redaction spans.

The user corrects a transcript as plain text. Words the edit leaves alone keep
their timestamps; words it rewrites share the time of the words they replace;
words it inserts sit at the end of the word before them. The alignment is by
whole whitespace-separated tokens (difflib on token lists), so it stays fast on
an hour of speech.

Character positions (redaction spans) move with their tokens. A span that
touches a rewritten stretch grows to cover the whole replacement: an edit never
un-redacts text by accident. A span whose text was deleted outright is dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from core.redaction.timing import WordMap
from core.types import Segment, Word

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class _Tokens:
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        found = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        return cls(text, tuple(a for a, _ in found), tuple(b for _, b in found))

    def words(self) -> list[str]:
        return [self.text[a:b] for a, b in zip(self.starts, self.ends, strict=True)]


class Edit:
    """The alignment of ``old`` to ``new``; maps positions and re-times words and segments."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = _Tokens.of(old), _Tokens.of(new)
        matcher = SequenceMatcher(None, self.old.words(), self.new.words(), autojunk=False)
        self._ops = matcher.get_opcodes()
        # for each old token: (tag, new token range of its block, old token range of its block)
        self._block: list[tuple[str, int, int, int, int]] = []
        for tag, i1, i2, j1, j2 in self._ops:
            for _ in range(i1, i2):
                self._block.append((tag, i1, i2, j1, j2))

    # -- positions ---------------------------------------------------------------

    def _new_start(self, j: int) -> int:
        return self.new.starts[j] if j < len(self.new.starts) else len(self.new.text)

    def _new_end(self, j: int) -> int:
        return self.new.ends[j - 1] if j > 0 else 0

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the old text's ``[start, end)`` is in the new text; None if it was deleted."""
        first = bisect.bisect_right(self.old.ends, start)  # first token ending after start
        last = bisect.bisect_left(self.old.starts, end) - 1  # last token starting before end
        if first > last:
            return None
        a = self._map(first, start, at_start=True)
        b = self._map(last, end, at_start=False)
        return (a, b) if a < b else None

    def _map(self, i: int, pos: int, *, at_start: bool) -> int:
        tag, i1, _i2, j1, j2 = self._block[i]
        if tag == "equal":
            j = j1 + (i - i1)
            offset = pos - self.old.starts[i]
            return max(self.new.starts[j], min(self.new.ends[j], self.new.starts[j] + offset))
        if j1 == j2:  # deleted: collapse to the gap where it was
            return self._new_start(j1) if at_start else self._new_end(j1)
        return self.new.starts[j1] if at_start else self.new.ends[j2 - 1]

    # -- timing ------------------------------------------------------------------

    def words(self, words: tuple[Word, ...]) -> tuple[Word, ...]:
        """One timed word per token of the new text."""
        times = self._token_times(words)
        out: list[Word] = []
        last_end = 0
        for tag, i1, i2, j1, j2 in self._ops:
            if tag == "delete":
                continue
            known = [t for t in times[i1:i2] if t is not None]
            if tag == "equal":
                for k in range(j2 - j1):
                    t = times[i1 + k] or (last_end, last_end)
                    out.append(Word(self.new.words()[j1 + k], t[0], t[1]))
                    last_end = t[1]
                continue
            t0, t1 = (known[0][0], known[-1][1]) if known else (last_end, last_end)
            n = j2 - j1
            for k in range(n):
                a = t0 + (t1 - t0) * k // n
                b = t0 + (t1 - t0) * (k + 1) // n
                out.append(Word(self.new.text[self.new.starts[j1 + k] : self.new.ends[j1 + k]], a, b))
            last_end = t1
        return _speakers_from(words, out)

    def segments(self, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        """Each segment's text re-read from the new text at its new place; emptied ones go."""
        where = WordMap.build(self.old.text, segments)
        out: list[Segment] = []
        for a, b, t0, t1 in zip(where.starts, where.ends, where.start_ms, where.end_ms, strict=True):
            span = self.map_span(a, b)
            if span is not None and self.new.text[span[0] : span[1]].strip():
                out.append(Segment(self.new.text[span[0] : span[1]].strip(), t0, t1))
        return tuple(out)

    def _token_times(self, words: tuple[Word, ...]) -> list[tuple[int, int] | None]:
        """The time of each old token, from the timed words that overlap it."""
        where = WordMap.build(self.old.text, words)
        times: list[tuple[int, int] | None] = []
        for a, b in zip(self.old.starts, self.old.ends, strict=True):
            lo = bisect.bisect_right(where.ends, a)
            hi = bisect.bisect_left(where.starts, b)
            if lo < hi:
                times.append((where.start_ms[lo], where.end_ms[hi - 1]))
            else:
                times.append(None)
        return times


def _speakers_from(old: tuple[Word, ...], new: list[Word]) -> tuple[Word, ...]:
    """A diarized transcript stays diarized through an edit: each new word takes the speaker of the old
    word it overlaps most in time (the nearest one when it has no length)."""
    timed = sorted((w for w in old if w.speaker is not None), key=lambda w: w.start_ms)
    if not timed:
        return tuple(new)
    starts = [w.start_ms for w in timed]
    out: list[Word] = []
    for w in new:
        i = bisect.bisect_right(starts, w.start_ms)
        near = timed[max(0, i - 3) : i + 3]
        best = max(near, key=lambda o: (min(w.end_ms, o.end_ms) - max(w.start_ms, o.start_ms),
                                        -abs(o.start_ms - w.start_ms)))
        out.append(replace(w, speaker=best.speaker))
    return tuple(out)
