"""Long audio in bounded memory: overlapped windows, stitched by word timestamps.

Full attention costs time and memory quadratic in length, so a long recording is cut into windows of
`chunk_s` seconds. Each window owns a core region; its neighbours' cores give it `overlap_s` of context
on each side. Cores tile the recording exactly, cut at the quietest 20 ms near each nominal boundary so
that few words straddle a cut. After decoding, a window keeps only the words whose midpoint lies in its
core, so every word is kept once, from the window that heard it with context on both sides.

Segments are built here too, from the stitched words, so they never end at a window boundary.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from core.asr.engine import SAMPLE_RATE, AsrSegment, AsrTranscript, AsrWord, AudioSource, DeviceInfo

SNAP_S = 1.5  # how far a cut may move to find silence
FRAME = SAMPLE_RATE // 50  # 20 ms
SENTENCE_END = (".", "?", "!")
PAUSE_S = 1.0
MAX_SEGMENT_WORDS = 40


@dataclass(frozen=True)
class Window:
    start: int  # samples the model sees
    end: int
    core_start: int  # samples whose words this window keeps
    core_end: int

    @property
    def offset_s(self) -> float:
        return self.start / SAMPLE_RATE


def _quietest(source: AudioSource, around: int, lo: int, hi: int) -> int:
    """The start of the quietest 20 ms frame within SNAP_S of `around`, kept inside (lo, hi)."""
    span = int(SNAP_S * SAMPLE_RATE)
    a, b = max(lo + FRAME, around - span), min(hi - FRAME, around + span)
    if b - a < 2 * FRAME:
        return around
    x = source.read(a, b - a)
    n = len(x) // FRAME
    energy = np.square(x[: n * FRAME].reshape(n, FRAME), dtype=np.float64).sum(axis=1)
    return a + int(np.argmin(energy)) * FRAME


def plan_windows(source: AudioSource, chunk_s: float, overlap_s: float) -> list[Window]:
    total = source.num_samples
    chunk, overlap = int(chunk_s * SAMPLE_RATE), int(overlap_s * SAMPLE_RATE)
    if chunk <= 2 * overlap:
        raise ValueError("chunk_s must be more than twice overlap_s")
    if total <= chunk:
        return [Window(0, total, 0, total)]
    core = chunk - 2 * overlap
    cuts = [0]
    while total - cuts[-1] > core + overlap:  # the last window may take up to core + overlap
        nominal = cuts[-1] + core
        cuts.append(_quietest(source, nominal, cuts[-1], total))
    cuts.append(total)
    return [
        Window(max(0, a - overlap), min(total, b + overlap), a, b) for a, b in itertools.pairwise(cuts)
    ]


def keep_core(window: Window, words: list[AsrWord]) -> list[AsrWord]:
    """Words from one window, shifted to recording time, kept if their midpoint is in the core."""
    lo, hi = window.core_start / SAMPLE_RATE, window.core_end / SAMPLE_RATE
    out = []
    for w in words:
        start, end = w.start_s + window.offset_s, w.end_s + window.offset_s
        if lo <= (start + end) / 2 < hi:
            out.append(AsrWord(w.text, round(start, 3), round(end, 3)))
    return out


def segments(words: list[AsrWord]) -> list[AsrSegment]:
    """Sentences from the model's punctuation; pauses and a length cap where it writes none."""
    out: list[AsrSegment] = []
    current: list[AsrWord] = []
    for i, w in enumerate(words):
        current.append(w)
        nxt = words[i + 1] if i + 1 < len(words) else None
        if (
            nxt is None
            or w.text.endswith(SENTENCE_END)
            or nxt.start_s - w.end_s >= PAUSE_S
            or len(current) >= MAX_SEGMENT_WORDS
        ):
            out.append(AsrSegment(" ".join(x.text for x in current), current[0].start_s, current[-1].end_s))
            current = []
    return out


def transcript(
    words: list[AsrWord], *, model_id: str, device: DeviceInfo, num_samples: int, language: str | None
) -> AsrTranscript:
    """The stitched words of a recording as an engine returns them, with their segments."""
    return AsrTranscript(
        text=" ".join(w.text for w in words),
        words=tuple(words),
        segments=tuple(segments(words)),
        model_id=model_id,
        device=device,
        duration_s=num_samples / SAMPLE_RATE,
        language=language,
    )
