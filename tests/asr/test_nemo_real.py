"""Real speech through the real NeMo code path with the project's trained FastConformer-TDT model.

The model file is verified against the manifest, restored by NeMo, and fed in-memory arrays, exactly
as Parakeet is. Speech is synthesised here by espeak-ng from sentences the model never trained on.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.asr.engine import SAMPLE_RATE, ArraySource, Engine, TranscribeOptions
from core.progress import CancelToken
from models.manifest import find
from models.store import ModelStore
from models.training.synth import with_pauses
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_MODEL, TEST_MODEL_ID, heldout


def _run(engine: Engine, audio: np.ndarray, tmp: Path, **opts: float) -> tuple[object, list[float]]:
    seen: list[float] = []
    options = TranscribeOptions(temp_dir=tmp, **opts)  # type: ignore[arg-type]
    return engine.transcribe(ArraySource(audio), options, progress=seen.append, cancel=CancelToken()), seen


def test_committed_model_is_the_one_the_manifest_names() -> None:
    spec = find(TEST_MODEL_ID)
    data = TEST_MODEL.read_bytes()
    assert spec.test_model and spec.size_bytes == len(data) <= 20 * 2**20
    assert spec.sha256 == hashlib.sha256(data).hexdigest()


def test_tampered_model_is_never_loaded(tmp_path: Path) -> None:
    bad = tmp_path / TEST_MODEL.name
    shutil.copy(TEST_MODEL, bad)
    with bad.open("r+b") as f:
        f.seek(len(TEST_MODEL.read_bytes()) // 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(errors.ModelMismatch):
        ModelStore(tmp_path / "store").import_file(bad)


def test_heldout_sentences_are_transcribed_within_15_percent_wer(test_engine: Engine, tmp_path: Path) -> None:
    pairs = heldout(40, seed=4242)
    hyps = []
    for _, audio in pairs:
        result, _ = _run(test_engine, audio, tmp_path)
        hyps.append(result.text)  # type: ignore[attr-defined]
    wer = word_error_rate([t for t, _ in pairs], hyps)
    assert wer <= 0.15, f"held-out WER {wer:.1%}"


def test_word_times_locate_the_speech(test_engine: Engine, tmp_path: Path) -> None:
    (text, clip), = heldout(1, seed=7)
    lead, tail = np.zeros(3 * SAMPLE_RATE, np.float32), np.zeros(2 * SAMPLE_RATE, np.float32)
    result, _ = _run(test_engine, np.concatenate([lead, clip, tail]), tmp_path)
    words = result.words  # type: ignore[attr-defined]
    speech_end = 3 + len(clip) / SAMPLE_RATE
    assert words and words[0].start_s >= 2.6 and words[-1].end_s <= speech_end + 0.5
    assert all(a.start_s <= b.start_s and a.start_s <= a.end_s for a, b in itertools.pairwise(words))
    assert word_error_rate([text], [result.text]) <= 0.3  # type: ignore[attr-defined]


def test_long_audio_in_windows_matches_short_files(test_engine: Engine, tmp_path: Path) -> None:
    pairs = heldout(24, seed=99)
    long = with_pauses([a for _, a in pairs])
    assert len(long) / SAMPLE_RATE > 60
    result, progress = _run(test_engine, long, tmp_path, chunk_s=20.0, overlap_s=2.0, batch_size=2)
    reference = " ".join(t for t, _ in pairs)
    assert word_error_rate([reference], [result.text]) <= 0.2  # type: ignore[attr-defined]
    starts = [w.start_s for w in result.words]  # type: ignore[attr-defined]
    assert starts == sorted(starts) and starts[-1] < len(long) / SAMPLE_RATE
    assert progress[0] == 0.0 and progress[-1] == 1.0 and len(progress) > 2
    assert result.segments and result.duration_s == pytest.approx(len(long) / SAMPLE_RATE)  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == [], "the private temp dir is wiped"


def test_cancel_stops_between_batches(test_engine: Engine, tmp_path: Path) -> None:
    long = with_pauses([a for _, a in heldout(12, seed=5)])
    cancel = CancelToken()

    def progress(fraction: float) -> None:
        if fraction > 0:
            cancel.cancel()

    with pytest.raises(errors.Cancelled):
        test_engine.transcribe(ArraySource(long), TranscribeOptions(chunk_s=10, overlap_s=1, batch_size=1,
                                                                     temp_dir=tmp_path),
                               progress=progress, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_device_is_reported_with_its_reason(test_engine: Engine) -> None:
    assert test_engine.device.kind == "cpu" and test_engine.device.reason == "the CPU was asked for"


def test_stereo_is_refused_before_it_reaches_nemo() -> None:
    with pytest.raises(ValueError, match="mono"):
        ArraySource(np.zeros((2, SAMPLE_RATE), np.float32))
