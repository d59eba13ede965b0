"""From per-frame speaker probabilities (Sortformer's output) to speaker turns.

A speaker is active in a frame when its probability reaches ``threshold``. Flickers are removed the
usual way: gaps shorter than ``min_off_s`` inside one speaker's speech are filled, then islands
shorter than ``min_on_s`` are dropped.
"""

from __future__ import annotations

import numpy as np

from core.diarization.types import SpeakerTurn, speaker_label


def _runs(active: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], active.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def turns_from_probabilities(probs: np.ndarray, *, frame_s: float, threshold: float = 0.5,
                             min_on_s: float = 0.2, min_off_s: float = 0.2,
                             offset_s: float = 0.0) -> list[SpeakerTurn]:
    """``probs`` is (frames, speakers). Output speakers are renumbered by first appearance."""
    if probs.ndim != 2:
        raise ValueError("probabilities must be (frames, speakers)")
    per_speaker: list[list[tuple[int, int]]] = []
    for s in range(probs.shape[1]):
        active = probs[:, s] >= threshold
        for a, b in _runs(~active):
            if a > 0 and b < len(active) and (b - a) * frame_s < min_off_s:
                active[a:b] = True
        per_speaker.append([(a, b) for a, b in _runs(active) if (b - a) * frame_s >= min_on_s])
    order = sorted((runs[0][0], s) for s, runs in enumerate(per_speaker) if runs)
    label = {s: speaker_label(i) for i, (_, s) in enumerate(order)}
    turns = [SpeakerTurn(label[s], offset_s + a * frame_s, offset_s + b * frame_s)
             for s, runs in enumerate(per_speaker) for a, b in runs]
    return sorted(turns, key=lambda t: (t.start_s, t.speaker))
