"""Real diarization through NeMo's Sortformer code path with the project's trained test model.

The model file is verified against the manifest and restored by NeMo; audio reaches it as in-memory
arrays. The conversations are generated here from espeak-ng personas and sentences it never trained
on, so a model that did not really separate voices fails these.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from core.asr.engine import SAMPLE_RATE, ArraySource
from core.diarization.der import diarization_error_rate
from core.diarization.types import Diarizer
from core.errors import Cancelled
from core.nemo import runtime, sortformer
from core.progress import CancelToken
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


# -- streaming Sortformer (NVIDIA's diar_streaming_sortformer_4spk-v2/-v2.1 run this way) -------------


@pytest.fixture(scope="module")
def streaming_diarizer(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> sortformer.NemoDiarizer:
    """The test model saved again with ``streaming_mode`` on in its config, as NVIDIA's streaming
    Sortformers ship, and restored by NeMo: it then runs NeMo's speaker-cache loop, not windows."""
    from omegaconf import open_dict

    from models.store import ModelStore

    offline = sortformer.load_diarizer(
        ModelStore(models_dir).verified_path(TEST_DIARIZER_ID), model_id=TEST_DIARIZER_ID, device="cpu"
    )
    model = offline._model
    with open_dict(model.cfg):
        model.cfg.streaming_mode = True
    path = tmp_path_factory.mktemp("streaming") / "streaming-test-diarizer.nemo"
    model.save_to(str(path))
    diarizer = sortformer.load_diarizer(path, model_id="test-streaming", device="cpu")
    assert diarizer.streaming
    return diarizer


@pytest.mark.parametrize("async_streaming", [False, True])
def test_streaming_loop_gives_what_nemos_own_forward_gives(
    streaming_diarizer: sortformer.NemoDiarizer, async_streaming: bool
) -> None:
    """Chunk by chunk, audio read and featurised per chunk, yet the same probabilities as NeMo's
    `forward()` (its `forward_streaming`) on the whole recording in one piece, in both of NeMo's cache
    update modes (a model's config picks one). NVIDIA's streaming models do not normalise features
    over the whole signal; the test model does, so that is switched off here (the figures are
    nonsense then, but must be the same nonsense)."""
    import torch

    model = streaming_diarizer._model
    featurizer = model.preprocessor.featurizer
    saved = featurizer.normalize, model.async_streaming
    featurizer.normalize, model.async_streaming = "NA", async_streaming
    try:
        ((audio, _),) = conversations(1, seed=31, max_s=70.0)
        seen: list[float] = []
        ours = streaming_diarizer.streamed_probabilities(ArraySource(audio), progress=seen.append, cancel=CancelToken())
        signal = torch.from_numpy(audio).unsqueeze(0)
        with torch.inference_mode(), runtime.streaming_features(model):
            theirs = model.forward(audio_signal=signal, audio_signal_length=torch.tensor([signal.shape[1]]))[0].numpy()
    finally:
        featurizer.normalize, model.async_streaming = saved
    chunk_s = sortformer.STREAMING_SETTINGS["chunk_len"] * streaming_diarizer.frame_s
    assert len(audio) / SAMPLE_RATE > 2 * chunk_s, "three chunks or more, so the speaker cache is used"
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0


def test_streaming_diarizer_separates_heldout_conversations(streaming_diarizer: sortformer.NemoDiarizer) -> None:
    ders = [
        diarization_error_rate(reference, streaming_diarizer.diarize(
            ArraySource(audio), progress=lambda _f: None, cancel=CancelToken()).turns)
        for audio, reference in conversations(8, seed=777)
    ]
    assert float(np.mean(ders)) <= 0.20, [round(d, 2) for d in ders]


def test_streaming_diarizer_keeps_speakers_over_a_long_recording(streaming_diarizer: sortformer.NemoDiarizer) -> None:
    ((audio, reference),) = conversations(1, seed=4040, max_s=55.0)
    result = streaming_diarizer.diarize(ArraySource(audio), progress=lambda _f: None, cancel=CancelToken())
    der = diarization_error_rate(reference, result.turns)
    assert der <= 0.30, f"DER {der:.1%} over {len(audio) / SAMPLE_RATE:.0f} s"


def test_streaming_diarizer_stops_between_chunks_on_cancel(streaming_diarizer: sortformer.NemoDiarizer) -> None:
    ((audio, _),) = conversations(1, seed=5, max_s=70.0)
    cancel, seen = CancelToken(), []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0:
            cancel.cancel()

    with pytest.raises(Cancelled):
        streaming_diarizer.diarize(ArraySource(audio), progress=progress, cancel=cancel)
    assert 0 < seen[-1] < 1


def test_streaming_diarizer_hears_no_one_in_silence(streaming_diarizer: sortformer.NemoDiarizer) -> None:
    quiet = np.zeros(5 * SAMPLE_RATE, np.float32)
    assert streaming_diarizer.diarize(ArraySource(quiet), progress=lambda _f: None, cancel=CancelToken()).turns == ()
    empty = streaming_diarizer.diarize(ArraySource(quiet[:0]), progress=lambda _f: None, cancel=CancelToken())
    assert empty.turns == () and empty.duration_s == 0
