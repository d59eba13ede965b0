"""The redacted copy of a recording: each redacted word's time span replaced by a tone or by silence.

Works on the vault's 16 kHz mono float32 PCM a block at a time, from a reader to a writer (both
encrypted blobs in the session), so nothing decrypted reaches the disk and a long recording never
sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from core.jobs import CancelToken, Progress, no_progress

MODES = ("tone", "silence")
TONE_HZ = 1000.0
TONE_LEVEL = 0.1  # -20 dBFS: clearly a bleep, not painful
#: Each span is widened by this much on both sides: word timestamps are tight, and a word's edges
#: (a plosive, a trailing nasal) can still give it away.
DEFAULT_MARGIN_MS = 120
BLOCK_S = 10


class PcmSource(Protocol):
    @property
    def num_samples(self) -> int: ...

    def read(self, start: int, count: int) -> np.ndarray: ...


def mask(
    source: PcmSource,
    write: Callable[[bytes], object],
    intervals_ms: Sequence[tuple[int, int]],
    *,
    mode: str = "tone",
    sample_rate: int = 16_000,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Copy `source` to `write` with every [start_ms, end_ms) interval masked; returns samples written.

    The intervals must be sorted and not overlap (`core.redaction.timing.merge_intervals`). The tone's
    phase follows the absolute sample index, so it is continuous across blocks.
    """
    if mode not in MODES:
        raise ValueError(f"unknown audio redaction mode {mode!r}; use one of {', '.join(MODES)}")
    total = source.num_samples
    spans = [(a * sample_rate // 1000, -(-b * sample_rate // 1000)) for a, b in intervals_ms]
    block = BLOCK_S * sample_rate
    pos = 0
    while pos < total:
        if cancel is not None:
            cancel.raise_if_cancelled()
        samples = np.array(source.read(pos, min(block, total - pos)), dtype="<f4")
        if samples.size == 0:
            break
        end = pos + samples.size
        for a, b in spans:
            lo, hi = max(a, pos), min(b, end)
            if lo < hi:
                if mode == "silence":
                    samples[lo - pos : hi - pos] = 0.0
                else:
                    t = np.arange(lo, hi, dtype=np.float64) / sample_rate
                    samples[lo - pos : hi - pos] = (TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * t)).astype("<f4")
        write(samples.tobytes())
        pos = end
        progress(pos / total)
    return pos
