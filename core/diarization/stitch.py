"""Long recordings in windows: join each window's speaker probabilities into one recording-wide track.

Sortformer numbers speakers by arrival *within what it sees*, so window 2's "speaker 1" need not be
window 1's. Windows overlap; in the shared stretch both windows heard the same people, so each of the
new window's speakers is matched to the recording speaker it agrees with most there (one to one,
best first). A speaker of the new window who says nothing in the shared stretch cannot be matched
that way and becomes a new recording speaker: a known limit of offline windows (NeMo's streaming
Sortformer keeps a speaker cache instead), which is why windows are long (the model's own session
length) and the shared stretch a third of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A new window's speaker takes an existing recording speaker only if at least this share of its
#: activity in the shared stretch coincides with that speaker's.
MIN_AGREEMENT = 0.3


@dataclass(frozen=True)
class WindowProbs:
    start_frame: int
    probs: np.ndarray  # (frames, model speakers)


def stitch(windows: list[WindowProbs], total_frames: int, *, threshold: float = 0.5) -> np.ndarray:
    """(total_frames, recording speakers): each frame taken from the window whose centre is nearest."""
    columns: list[np.ndarray] = []
    written_to = 0
    for k, w in enumerate(windows):
        n = w.probs.shape[0]
        end = min(total_frames, w.start_frame + n)
        mapping = _match(columns, w, written_to, threshold) if k else {}
        for s in range(w.probs.shape[1]):
            if s not in mapping and bool((w.probs[:, s] >= threshold).any()):
                columns.append(np.zeros(total_frames, np.float32))
                mapping[s] = len(columns) - 1
        # Frames from the middle of the shared stretch on belong to this window.
        cut = w.start_frame + (written_to - w.start_frame) // 2 if k else w.start_frame
        for s, g in mapping.items():
            columns[g][cut:end] = w.probs[cut - w.start_frame : end - w.start_frame, s]
        for g in set(range(len(columns))) - set(mapping.values()):
            columns[g][cut:end] = 0.0
        written_to = end
    if not columns:
        return np.zeros((total_frames, 0), np.float32)
    return np.stack(columns, axis=1)


def _match(columns: list[np.ndarray], w: WindowProbs, written_to: int, threshold: float) -> dict[int, int]:
    shared = max(0, written_to - w.start_frame)
    if shared == 0 or not columns:
        return {}
    new = w.probs[:shared] >= threshold  # (shared, s)
    old = np.stack([c[w.start_frame : written_to] for c in columns], axis=1) >= threshold  # (shared, g)
    both = new.T.astype(np.int64) @ old.astype(np.int64)  # (s, g)
    active = new.sum(axis=0)
    pairs = sorted(((both[s, g] / max(1, active[s]), s, g) for s in range(new.shape[1]) for g in range(old.shape[1])),
                   reverse=True)
    out: dict[int, int] = {}
    for score, s, g in pairs:
        if score >= MIN_AGREEMENT and s not in out and g not in out.values():
            out[s] = g
    return out
