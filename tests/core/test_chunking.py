"""Long-audio windows: cores tile the recording, cuts land in silence, each word is kept once."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.asr import chunking
from core.asr.engine import SAMPLE_RATE, ArraySource, AsrWord

SR = SAMPLE_RATE


def _tone_with_gaps(seconds: float, gaps_s: list[float]) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    x = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    for g in gaps_s:
        x[int(g * SR) : int((g + 0.2) * SR)] = 0.0
    return x


def test_short_audio_is_one_window() -> None:
    src = ArraySource(np.zeros(SR * 10, np.float32))
    assert chunking.plan_windows(src, 30, 2) == [chunking.Window(0, SR * 10, 0, SR * 10)]


@settings(max_examples=60, deadline=None)
@given(seconds=st.floats(0.1, 400), chunk=st.floats(8, 60), overlap=st.floats(0.5, 3.5))
def test_cores_tile_the_recording_and_windows_stay_bounded(seconds: float, chunk: float, overlap: float) -> None:
    src = ArraySource(np.random.default_rng(0).normal(0, 0.1, int(seconds * SR)).astype(np.float32))
    windows = chunking.plan_windows(src, chunk, overlap)
    assert windows[0].core_start == 0 and windows[-1].core_end == src.num_samples
    for a, b in itertools.pairwise(windows):
        assert a.core_end == b.core_start and a.core_start < a.core_end
    for w in windows:
        assert 0 <= w.start <= w.core_start < w.core_end <= w.end <= src.num_samples
        assert w.end - w.start <= int(chunk * SR) + 2 * int(chunking.SNAP_S * SR)


def test_cuts_snap_to_the_quiet_gap_near_the_nominal_boundary() -> None:
    # core = 30 - 2*4 = 22 s; a silent gap at 22.8 s is within the snap distance
    src = ArraySource(_tone_with_gaps(60, [22.8, 44.0]))
    windows = chunking.plan_windows(src, 30, 4)
    cut = windows[0].core_end / SR
    assert 22.8 <= cut <= 23.0


def test_keep_core_shifts_words_and_keeps_each_once() -> None:
    a = chunking.Window(0, 20 * SR, 0, 15 * SR)
    b = chunking.Window(11 * SR, 30 * SR, 15 * SR, 30 * SR)
    # the word at 14.6-15.6 s (midpoint 15.1) is heard by both windows
    from_a = [AsrWord("one", 1.0, 1.5), AsrWord("edge", 14.6, 15.6), AsrWord("late", 18.0, 18.5)]
    from_b = [AsrWord("edge", 3.6, 4.6), AsrWord("late", 7.0, 7.5)]
    kept = chunking.keep_core(a, from_a) + chunking.keep_core(b, from_b)
    assert [(w.text, w.start_s) for w in kept] == [("one", 1.0), ("edge", 14.6), ("late", 18.0)]


def test_segments_follow_punctuation_then_pauses() -> None:
    words = [AsrWord("Hello", 0, 0.4), AsrWord("there.", 0.5, 0.9), AsrWord("my", 1.0, 1.2),
             AsrWord("name", 1.3, 1.5), AsrWord("is", 3.0, 3.2), AsrWord("anna", 3.3, 3.6)]
    segs = chunking.segments(words)
    assert [(s.text, s.start_s, s.end_s) for s in segs] == [
        ("Hello there.", 0, 0.9), ("my name", 1.0, 1.5), ("is anna", 3.0, 3.6)]


def test_chunk_must_exceed_twice_the_overlap() -> None:
    with pytest.raises(ValueError, match="twice"):
        chunking.plan_windows(ArraySource(np.zeros(SR * 100, np.float32)), 8, 4)
