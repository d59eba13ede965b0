"""Diarization error rate, frame-based, with the speaker mapping that minimises it.

DER = (missed speech + false alarm + speaker confusion) / reference speech, all in speaker-seconds,
as in NIST's md-eval: a frame where the reference has n speakers and the hypothesis m, of which c are
correctly mapped, contributes max(n, m) - c errors and n reference. Overlap is scored, not skipped.
With ``collar_s`` the frames within that distance of any reference boundary are not scored (md-eval's
usual 0.25 s forgives boundary placement, which is a guess even for human annotators).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from core.diarization.types import SpeakerTurn

FRAME_S = 0.01


def _activity(turns: Sequence[SpeakerTurn], speakers: Sequence[str], frames: int) -> np.ndarray:
    out = np.zeros((frames, len(speakers)), dtype=bool)
    index = {s: i for i, s in enumerate(speakers)}
    for t in turns:
        a, b = round(t.start_s / FRAME_S), round(t.end_s / FRAME_S)
        out[max(0, a) : max(0, b), index[t.speaker]] = True
    return out


def diarization_error_rate(reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn], *,
                           collar_s: float = 0.0) -> float:
    """DER of ``hypothesis`` against ``reference`` (0.0 is perfect; it can exceed 1.0)."""
    end_s = max([t.end_s for t in (*reference, *hypothesis)], default=0.0)
    frames = round(end_s / FRAME_S) + 1
    ref_spk = sorted({t.speaker for t in reference})
    hyp_spk = sorted({t.speaker for t in hypothesis})
    ref = _activity(reference, ref_spk, frames)
    hyp = _activity(hypothesis, hyp_spk, frames)
    scored = np.ones(frames, dtype=bool)
    if collar_s > 0:
        c = round(collar_s / FRAME_S)
        for t in reference:
            for edge in (round(t.start_s / FRAME_S), round(t.end_s / FRAME_S)):
                scored[max(0, edge - c) : edge + c] = False
    ref, hyp = ref[scored], hyp[scored]
    total = int(ref.sum())
    if total == 0:
        raise ValueError("the reference has no scored speech")
    n_ref, n_hyp = ref.sum(axis=1), hyp.sum(axis=1)
    # co[i, j]: frames where reference speaker i and hypothesis speaker j are both active.
    co = ref.T.astype(np.int64) @ hyp.astype(np.int64)
    best = _best_mapping_score(co)
    errors = int(np.maximum(n_ref, n_hyp).sum()) - best
    return errors / total


def _best_mapping_score(co: np.ndarray) -> int:
    """The most co-active frames any one-to-one mapping of reference to hypothesis speakers gets."""
    n_ref, n_hyp = co.shape
    if n_ref == 0 or n_hyp == 0:
        return 0
    if n_ref > n_hyp:
        return _best_mapping_score(co.T)
    if n_hyp > 8:
        raise ValueError("more than 8 hypothesis speakers; brute-force mapping would be too slow")
    return max(int(sum(co[i, p[i]] for i in range(n_ref))) for p in itertools.permutations(range(n_hyp), n_ref))
