"""The redacted copy of a recording: each redacted word's time span replaced by a tone or by silence.

Works on the vault's 16 kHz mono float32 PCM a block at a time, from a reader to a writer (both
encrypted blobs in the session), so nothing decrypted reaches the disk and a long recording never
sits in memory whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import numpy as np

from core.progress import CancelToken, Progress, no_progress

MODES = ("tone", "silence")
TONE_HZ = 1000.0
TONE_LEVEL = 0.1  # -20 dBFS: clearly a bleep, not painful
#: Each span is widened by this much on both sides: word timestamps are tight, and a word's edges
#: (a plosive, a trailing nasal) can still give it away.
DEFAULT_MARGIN_MS = 120
BLOCK_S = 10

#: Speech right beside a redacted word that the model wrote no word for (it heard the last digit of a
#: phone number and left it out) is masked too: the gap between a redacted span and its neighbouring
#: word, or the audio's edge, is masked as far as it holds speech, up to this far from the span.
#: Measured (bench/redaction_gaps.py, bench/RESULTS.md "Untimed speech beside a redacted span"): on
#: the test model's transcripts of espeak phone numbers, the digits left audible after the word-timed
#: mask and the margin reached at most 760 ms past the span; this bound covers them, and masks no more
#: of the neighbouring words than the margin already does.
MAX_GAP_FILL_MS = 1000
#: A frame of the gap is speech when it is within SPEECH_BELOW_SPAN_DB of the redacted span's own
#: loudest frame, and above SPEECH_FLOOR_DBFS (a quiet room's noise stays unmasked).
GAP_FRAME_MS = 20
SPEECH_BELOW_SPAN_DB = 30.0
SPEECH_FLOOR_DBFS = -50.0
#: Grows whenever the masking rule changes: a copy made by an older rule is stale and made again.
RULE = 2


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


def speech_beside(
    source: PcmSource,
    spans_ms: Sequence[tuple[int, int]],
    words_ms: Sequence[tuple[int, int]],
    *,
    max_gap_ms: int = MAX_GAP_FILL_MS,
    sample_rate: int = 16_000,
) -> list[tuple[int, int]]:
    """The untimed speech to mask beside each span: for the gap before it (back to the previous word's
    end) and after it (up to the next word's start), each at most ``max_gap_ms`` long, the stretch from
    the span to the farthest frame that holds speech. ``words_ms`` are every word's times; words that
    start inside a span belong to it."""
    duration_ms = source.num_samples * 1000 // sample_rate
    out: list[tuple[int, int]] = []
    for a, b in spans_ms:
        reference = _loudest_dbfs(source, a, b, sample_rate)
        if reference is None:
            continue
        threshold = max(SPEECH_FLOOR_DBFS, reference - SPEECH_BELOW_SPAN_DB)
        after_end = min([duration_ms, b + max_gap_ms, *(s for s, _ in words_ms if s >= b)])
        voiced = _voiced_frames(source, b, after_end, threshold, sample_rate)
        if voiced:
            out.append((b, min(after_end, voiced[-1][1])))
        before_start = max([0, a - max_gap_ms, *(e for _, e in words_ms if e <= a)])
        voiced = _voiced_frames(source, before_start, a, threshold, sample_rate)
        if voiced:
            out.append((max(before_start, voiced[0][0]), a))
    return sorted(out)


def _frames_dbfs(source: PcmSource, start_ms: int, end_ms: int, sample_rate: int) -> list[tuple[int, int, float]]:
    """(start_ms, end_ms, RMS in dBFS) of each GAP_FRAME_MS frame of [start_ms, end_ms)."""
    if end_ms <= start_ms:
        return []
    first = start_ms * sample_rate // 1000
    samples = np.asarray(source.read(first, (end_ms - start_ms) * sample_rate // 1000), dtype=np.float64)
    step = GAP_FRAME_MS * sample_rate // 1000
    frames = []
    for i in range(0, samples.size, step):
        frame = samples[i : i + step]
        rms = float(np.sqrt(np.mean(frame * frame))) if frame.size else 0.0
        at = start_ms + i * 1000 // sample_rate
        frames.append((at, min(end_ms, at + GAP_FRAME_MS), 20 * np.log10(max(rms, 1e-10))))
    return frames


def _loudest_dbfs(source: PcmSource, start_ms: int, end_ms: int, sample_rate: int) -> float | None:
    frames = _frames_dbfs(source, start_ms, end_ms, sample_rate)
    return max(db for _, _, db in frames) if frames else None


def _voiced_frames(
    source: PcmSource, start_ms: int, end_ms: int, threshold_dbfs: float, sample_rate: int
) -> list[tuple[int, int]]:
    return [(a, b) for a, b, db in _frames_dbfs(source, start_ms, end_ms, sample_rate) if db >= threshold_dbfs]


def made_from(
    transcript_id: str, redactions: Iterable[tuple[str, int, int, int | None, int | None]], *, mode: str, margin_ms: int
) -> str:
    """What a redacted copy is made from, as stored beside it: the transcript version and the spans in
    force (type, characters, times), hashed; the mode, margin and rule. A copy whose record differs from
    the review's now is stale (``session.audio.redacted_audio_current``)."""
    review = json.dumps([transcript_id, sorted(redactions, key=repr)], separators=(",", ":"))
    digest = hashlib.sha256(review.encode()).hexdigest()
    return json.dumps({"review": digest, "mode": mode, "margin_ms": margin_ms, "rule": RULE}, sort_keys=True)


def how_made(record: str | None) -> tuple[str, int]:
    """The (mode, margin_ms) a copy was made with, from its ``made_from`` record; the defaults if unknown."""
    try:
        fields = json.loads(record or "{}")
        return str(fields["mode"]), int(fields["margin_ms"])
    except (ValueError, KeyError, TypeError):
        return "tone", DEFAULT_MARGIN_MS
