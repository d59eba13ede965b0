"""Real diarization through NeMo's Sortformer code path with the project's trained test model.

The model file is verified against the manifest and restored by NeMo; audio reaches it as in-memory
arrays. The conversations are generated here from espeak-ng personas and sentences it never trained
on, so a model that did not really separate voices fails these.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from core.asr.engine import SAMPLE_RATE, ArraySource
from core.diarization.der import diarization_error_rate
from core.diarization.types import Diarizer
from core.jobs import CancelToken
from models.manifest import find
from tests.asr.conftest import TEST_DIARIZER, TEST_DIARIZER_ID, conversations


def test_committed_diarizer_is_the_one_the_manifest_names() -> None:
    spec = find(TEST_DIARIZER_ID)
    data = TEST_DIARIZER.read_bytes()
    assert spec.test_model and spec.size_bytes == len(data) <= 10 * 2**20
    assert spec.sha256 == hashlib.sha256(data).hexdigest()


def test_heldout_conversations_are_diarized_within_20_percent_der(test_diarizer: Diarizer) -> None:
    ders, counted = [], 0
    for audio, reference in conversations(8, seed=777):
        seen: list[float] = []
        result = test_diarizer.diarize(ArraySource(audio), progress=seen.append, cancel=CancelToken())
        assert seen[-1] == 1.0 and result.model_id == TEST_DIARIZER_ID
        ders.append(diarization_error_rate(reference, result.turns))
        counted += len(result.speakers) == len({t.speaker for t in reference})
    der = float(np.mean(ders))
    assert der <= 0.20, f"held-out DER {der:.1%} ({[round(d, 2) for d in ders]})"
    assert counted >= 6, "the number of speakers comes out right in most conversations"


def test_a_recording_longer_than_one_window_keeps_its_speakers(test_diarizer: Diarizer) -> None:
    """Several windows, joined where they overlap: the same voice stays the same speaker."""
    ((audio, reference),) = conversations(1, seed=4040, max_s=55.0)
    assert len(audio) / SAMPLE_RATE > 2 * test_diarizer.window_s  # type: ignore[attr-defined]
    result = test_diarizer.diarize(ArraySource(audio), progress=lambda _f: None, cancel=CancelToken())
    der = diarization_error_rate(reference, result.turns)
    assert der <= 0.30, f"DER {der:.1%} over {len(audio) / SAMPLE_RATE:.0f} s"


def test_silence_has_no_speakers(test_diarizer: Diarizer, tmp_path: Path) -> None:
    # Digital silence: Sortformer scales each input to its peak, so faint noise alone would be
    # heard at full scale (the model never trained on noise-only audio).
    quiet = np.zeros(5 * SAMPLE_RATE, np.float32)
    result = test_diarizer.diarize(ArraySource(quiet), progress=lambda _f: None, cancel=CancelToken())
    assert result.turns == ()
