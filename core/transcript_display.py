"""The transcript as the transcript view shows it: the text, and the two-way map between its positions
and the transcript's.

The view (``app.views.transcript``) shows either the original text or the redacted one (each span in
force as its ``[TYPE]`` label, rendered by `core.redaction.spans`, as every export is), and a
diarized transcript in turns, each led by its speaker's name. Clicks, the word highlight and list
selections are mapped through this model, so it has no Qt: its positions are Python string indices.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from core.redaction.spans import Reviewed, effective_spans, labels


@dataclass(frozen=True)
class Turn:
    """A speaker's turn: where its first word starts in the original text, the diarizer's label, the name shown."""

    start: int
    speaker: str
    name: str


@dataclass(frozen=True)
class Piece:
    """A stretch of the original text and where it is shown; a label stands for the whole stretch.

    A speaker's name (``speaker``: the diarizer's label) is shown only: its stretch of the original is empty.
    """

    orig_start: int
    orig_end: int
    disp_start: int
    disp_end: int
    label: bool
    speaker: str | None = None


class Display:
    """The text shown and the two-way map between its positions and the transcript's."""

    def __init__(
        self,
        original: str,
        redactions: Sequence[Reviewed] | None = None,
        turns: Sequence[Turn] = (),
        *,
        name_format: str = "{speaker}: ",
    ) -> None:
        """Without redactions the original text itself; with them, the redacted text (``apply_spans``).

        Each of ``turns`` starts a paragraph led by its speaker's name, written by ``name_format`` (the
        view passes it translated); one that starts inside a redacted stretch leads the stretch's label
        (a label is never cut).
        """
        self.original = original
        shown_as: list[tuple[int, int, str, str | None]] = [  # stretches shown as something else, in order
            (label.start, label.end, label.text, None)
            for label in labels(len(original), effective_spans(redactions) if redactions is not None else [])
        ]
        label_starts = [a for a, _b, _t, _s in shown_as]
        names: list[tuple[int, int, str, str | None]] = []
        for turn in turns:
            i = bisect.bisect_right(label_starts, turn.start) - 1
            at = label_starts[i] if i >= 0 and turn.start < shown_as[i][1] else turn.start
            if names and names[-1][0] == at:  # several turns inside one label: the last one leads it
                names.pop()
            if not names or names[-1][3] != turn.speaker:
                names.append((at, at, name_format.format(speaker=turn.name), turn.speaker))
        pieces: list[Piece] = []
        parts: list[str] = []
        pos = shown = 0
        for a, b, label, speaker in sorted(shown_as + names, key=lambda x: (x[0], x[1])):
            if a > pos:
                pieces.append(Piece(pos, a, shown, shown + a - pos, False))
                parts.append(original[pos:a])
                shown += a - pos
            if speaker is not None and shown:
                label = "\n\n" + label  # a blank line between turns
            pieces.append(Piece(a, b, shown, shown + len(label), speaker is None, speaker))
            parts.append(label)
            shown += len(label)
            pos = b
        pieces.append(Piece(pos, len(original), shown, shown + len(original) - pos, False))
        parts.append(original[pos:])
        self.text = "".join(parts)
        self.pieces = pieces
        self._orig_starts = [p.orig_start for p in pieces]
        self._disp_starts = [p.disp_start for p in pieces]

    @property
    def redacted(self) -> bool:
        return any(p.label for p in self.pieces)

    def _at(self, starts: list[int], pos: int) -> Piece:
        return self.pieces[max(0, bisect.bisect_right(starts, pos) - 1)]

    def to_display(self, start: int, end: int) -> tuple[int, int]:
        """Where the original range [start, end) is shown; a range inside a span maps to its whole label."""
        first = self._at(self._orig_starts, start)
        a = first.disp_start if first.label else first.disp_start + min(start, first.orig_end) - first.orig_start
        last = self._at(self._orig_starts, max(start, end - 1))
        b = last.disp_end if last.label else last.disp_start + min(end, last.orig_end) - last.orig_start
        return a, max(a, b)

    def to_original(self, pos: int) -> tuple[int, Piece]:
        """The original position at ``pos`` (a label's start for a label, its turn's for a name), and its piece."""
        piece = self._at(self._disp_starts, pos)
        if piece.label or piece.speaker is not None:
            return piece.orig_start, piece
        return piece.orig_start + min(pos, piece.disp_end) - piece.disp_start, piece
