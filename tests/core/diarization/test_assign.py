"""Word-to-speaker assignment by the largest time overlap."""

from __future__ import annotations

from core.asr.engine import AsrWord as W
from core.diarization.assign import assign_speakers
from core.diarization.types import SpeakerTurn as T


def test_each_word_takes_the_speaker_it_overlaps_most() -> None:
    turns = [T("speaker_1", 0.0, 2.0), T("speaker_2", 1.8, 4.0)]
    words = [W("hello", 0.2, 0.6), W("there", 1.7, 2.4), W("yes", 3.0, 3.4)]
    assert assign_speakers(words, turns) == ("speaker_1", "speaker_2", "speaker_2")


def test_a_word_in_a_gap_takes_the_nearest_turn_or_none_when_far() -> None:
    turns = [T("speaker_1", 0.0, 1.0), T("speaker_2", 3.0, 4.0)]
    words = [W("near", 1.2, 1.4), W("nearer_two", 2.6, 2.9), W("far", 8.0, 8.5)]
    assert assign_speakers(words, turns) == ("speaker_1", "speaker_2", None)


def test_several_turns_of_one_speaker_add_up() -> None:
    turns = [T("speaker_1", 0.0, 0.3), T("speaker_2", 0.3, 0.7), T("speaker_1", 0.7, 1.0)]
    assert assign_speakers([W("long", 0.0, 1.0)], turns) == ("speaker_1",)


def test_no_turns_leave_words_unassigned() -> None:
    assert assign_speakers([W("a", 0, 1)], []) == (None,)
