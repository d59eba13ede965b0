"""Give each word the speaker whose turns overlap it most.

A word that no turn touches (the diarizer heard silence where the recogniser heard a word) takes the
speaker of the nearest turn, if one is within ``max_gap_s``; otherwise it stays unassigned (None), since
guessing further away would put words in the wrong mouth.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.asr.engine import AsrWord
from core.diarization.types import SpeakerTurn


def assign_speakers(words: Sequence[AsrWord], turns: Sequence[SpeakerTurn], *,
                    max_gap_s: float = 1.0) -> tuple[str | None, ...]:
    ordered = sorted(turns, key=lambda t: t.start_s)
    out: list[str | None] = []
    for w in words:
        overlap: dict[str, float] = {}
        for t in ordered:
            if t.start_s >= w.end_s:
                break
            o = min(w.end_s, t.end_s) - max(w.start_s, t.start_s)
            if o > 0:
                overlap[t.speaker] = overlap.get(t.speaker, 0.0) + o
        if overlap:
            # Ties go to the speaker heard first, so the result does not depend on dict order.
            out.append(max(overlap, key=lambda s: (overlap[s], -_first(ordered, s))))
            continue
        mid = (w.start_s + w.end_s) / 2
        gaps = [(max(t.start_s - mid, mid - t.end_s, 0.0), t.start_s, t.speaker) for t in ordered]
        near = min(gaps, default=None)
        out.append(near[2] if near is not None and near[0] <= max_gap_s else None)
    return tuple(out)


def _first(turns: Sequence[SpeakerTurn], speaker: str) -> float:
    return next(t.start_s for t in turns if t.speaker == speaker)
