"""bench/babble.py: the audio the benchmarks fall back on where espeak-ng is missing (the GPU machines)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench import asr, babble


def test_babble_is_deterministic_speech_like_audio_of_the_length_asked() -> None:
    a, b = babble.babble(3.0, seed=7), babble.babble(3.0, seed=7)
    assert a.dtype == np.float32 and a.size == 48_000
    assert np.array_equal(a, b) and not np.array_equal(a, babble.babble(3.0, seed=8))
    assert 0.05 < float(np.abs(a).max()) <= 1.0
    frames = np.abs(a[: a.size // 400 * 400]).reshape(-1, 400).mean(axis=1)  # 25 ms frames
    assert (frames < 0.01).mean() > 0.05 and (frames > 0.03).mean() > 0.3  # pauses and voiced stretches


def test_a_conversation_has_turns_covering_it() -> None:
    audio, turns = babble.conversation(30.0, seed=1, speakers=3)
    assert audio.size == pytest.approx(30 * 16_000, abs=16)
    assert turns[0].start_s == 0 and turns[-1].end_s == pytest.approx(30.0, abs=0.01)
    assert all(t.end_s == pytest.approx(n.start_s) for t, n in itertools.pairwise(turns))
    assert all(t.speaker != n.speaker for t, n in itertools.pairwise(turns))
    assert len({t.speaker for t in turns}) == 3


def test_the_speed_bench_falls_back_on_babble_without_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(babble, "espeak_available", lambda: False)
    audio, texts = asr.speech(150, seed=3)
    assert texts == [] and audio.size == 150 * 16_000
    assert np.array_equal(audio[: 120 * 16_000], babble.babble(120, seed=3))  # tiled like the speech
    assert babble.speech_source().startswith("numpy babble")
