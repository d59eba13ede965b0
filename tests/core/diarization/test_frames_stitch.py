"""Per-frame probabilities to turns, and long recordings joined from overlapping windows."""

from __future__ import annotations

import numpy as np

from core.diarization.frames import turns_from_probabilities
from core.diarization.stitch import WindowProbs, stitch
from core.diarization.types import SpeakerTurn as T


def _track(frames: int, spans: list[tuple[int, int, int]], speakers: int = 4) -> np.ndarray:
    p = np.zeros((frames, speakers), np.float32)
    for s, a, b in spans:
        p[a:b, s] = 0.9
    return p


def test_turns_are_numbered_by_first_appearance_and_flicker_is_smoothed() -> None:
    p = _track(100, [(2, 0, 40), (0, 50, 90)])
    p[20, 2] = 0.1  # one-frame dropout inside a turn
    p[95, 1] = 0.9  # one-frame blip
    turns = turns_from_probabilities(p, frame_s=0.08)
    assert [(t.speaker, round(t.start_s, 2), round(t.end_s, 2)) for t in turns] == [
        ("speaker_1", 0.0, 3.2), ("speaker_2", 4.0, 7.2)]


def test_windows_are_joined_by_who_agrees_in_the_shared_stretch() -> None:
    # The whole recording: A 0-60, B 60-120, A 130-150 (frames). Window 2 starts at 50 and, arriving
    # later, numbers B before A.
    w1 = WindowProbs(0, _track(100, [(0, 0, 60), (1, 60, 100)]))
    w2 = WindowProbs(50, _track(100, [(1, 0, 10), (0, 10, 70), (1, 80, 100)]))
    joined = stitch([w1, w2], 150)
    assert joined.shape == (150, 2)
    turns = turns_from_probabilities(joined, frame_s=1.0, min_on_s=0, min_off_s=0)
    assert turns == [T("speaker_1", 0, 60), T("speaker_2", 60, 120), T("speaker_1", 130, 150)]


def test_silence_gives_no_speakers() -> None:
    assert stitch([WindowProbs(0, np.zeros((10, 4), np.float32))], 10).shape == (10, 0)
    assert turns_from_probabilities(np.zeros((10, 4)), frame_s=0.08) == []
