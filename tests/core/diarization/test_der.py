"""The diarization error rate against hand-computed cases: mapping, misses, false alarms, overlap, collar."""

from __future__ import annotations

import pytest

from core.diarization.der import diarization_error_rate
from core.diarization.types import SpeakerTurn as T


def test_perfect_up_to_the_names_of_speakers() -> None:
    ref = [T("a", 0, 2), T("b", 2, 5)]
    hyp = [T("speaker_2", 0, 2), T("speaker_1", 2, 5)]
    assert diarization_error_rate(ref, hyp) == 0.0


def test_one_speaker_for_everything_confuses_the_shorter_one() -> None:
    ref = [T("a", 0, 3), T("b", 3, 4)]
    assert diarization_error_rate(ref, [T("x", 0, 4)]) == pytest.approx(1 / 4)


def test_miss_and_false_alarm_count_in_speaker_seconds() -> None:
    ref = [T("a", 0, 4)]
    hyp = [T("x", 1, 4), T("x", 5, 7)]  # 1 s missed, 2 s of false alarm
    assert diarization_error_rate(ref, hyp) == pytest.approx(3 / 4)


def test_overlap_is_scored_for_each_speaker() -> None:
    ref = [T("a", 0, 2), T("b", 1, 3)]  # 4 speaker-seconds, 1 s of them overlapped
    hyp = [T("x", 0, 2), T("y", 2, 3)]  # misses b during the overlap
    assert diarization_error_rate(ref, hyp) == pytest.approx(1 / 4)


def test_the_collar_forgives_boundaries_only() -> None:
    ref = [T("a", 0, 2), T("b", 2, 4)]
    hyp = [T("x", 0, 2.2), T("y", 2.2, 4)]  # 0.2 s late at the change
    assert diarization_error_rate(ref, hyp) == pytest.approx(0.2 / 4, abs=0.01)
    assert diarization_error_rate(ref, hyp, collar_s=0.25) == 0.0
    late = [T("x", 0, 3), T("y", 3, 4)]
    assert diarization_error_rate(ref, late, collar_s=0.25) > 0.2


def test_no_reference_speech_is_an_error() -> None:
    with pytest.raises(ValueError, match="no scored speech"):
        diarization_error_rate([], [T("x", 0, 1)])
