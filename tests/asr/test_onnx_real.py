"""The ONNX Runtime engine (issue 26) with the project's trained test model: exported from the verified
`.nemo` by NeMo, its encoder quantised to int8, every file recorded by hash in the store and checked
again before each load; held against the NeMo path on the held-out sentences the NeMo tests use.

The export takes about half a minute on 2 cores; it is made once per session, into a models folder of its
own (tests/conftest.py's `onnx_models`; the session's `models_dir` must stay without one, or every CPU
test would take the ONNX engine). tests/app/test_record_live_onnx_real.py shares it.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from core import errors
from core.asr.engine import ArraySource, Engine, TranscribeOptions
from core.progress import CancelToken, no_progress
from models.loader import load_engine
from models.manifest import find
from models.store import EXPORT_RECORD, MODELS_ENV, ModelStore
from models.training.synth import with_pauses, write_wav
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_MODEL, TEST_MODEL_ID, heldout
from tests.asr.test_no_network import PASS, REPO, VAULTSCRIBE, Flow


def _copy(root: Path, tmp: Path) -> Path:
    dest = tmp / "models"
    shutil.copytree(root, dest)
    return dest


def _transcribe(engine: Engine, audio: object, tmp: Path) -> object:
    options = TranscribeOptions(temp_dir=tmp)
    return engine.transcribe(ArraySource(audio), options, progress=no_progress, cancel=CancelToken())  # type: ignore[arg-type]


@pytest.mark.timeout(900)  # two engines over 40 sentences on 2 shared cores
def test_int8_onnx_holds_the_nemo_paths_wer_and_word_times(
    test_engine: Engine, onnx_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Auto on the CPU picks the export; on the 40 held-out sentences of the NeMo WER test, as one
    recording in the engines' windows, WER within +0.5 points of NeMo's and word times within 40 ms
    (median over the words both engines wrote alike)."""
    monkeypatch.setenv(MODELS_ENV, str(onnx_models))
    onnx = load_engine(TEST_MODEL_ID, "cpu", no_progress)  # auto: the verified export exists
    assert (onnx.device.kind, onnx.device.dtype) == ("cpu", "int8") and "ONNX Runtime" in onnx.device.reason
    # no memory pattern: with one, a window length seen before cost a second block (+0.6 GiB full-size)
    encoder = onnx._engine._encoder  # type: ignore[attr-defined]  # inside the diarizing wrapper
    assert encoder.get_session_options().enable_mem_pattern is False
    pairs = heldout(40, seed=4242)
    audio = with_pauses([a for _, a in pairs])
    reference = " ".join(t for t, _ in pairs)
    nemo, ours = _transcribe(test_engine, audio, tmp_path), _transcribe(onnx, audio, tmp_path)
    wer_nemo = word_error_rate([reference], [nemo.text])  # type: ignore[attr-defined]
    wer_onnx = word_error_rate([reference], [ours.text])  # type: ignore[attr-defined]
    a_words, b_words = nemo.words, ours.words  # type: ignore[attr-defined]
    matcher = difflib.SequenceMatcher(a=[w.text for w in a_words], b=[w.text for w in b_words], autojunk=False)
    deltas = [
        abs(getattr(a_words[block.a + k], edge) - getattr(b_words[block.b + k], edge))
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
        for edge in ("start_s", "end_s")
    ]
    print(f"WER NeMo {wer_nemo:.2%}, int8 ONNX {wer_onnx:.2%}; median |dt| {statistics.median(deltas) * 1000:.0f} ms")
    assert wer_onnx <= wer_nemo + 0.005, f"int8 ONNX WER {wer_onnx:.2%} vs NeMo {wer_nemo:.2%}"
    assert len(deltas) >= 2 * 0.8 * len(a_words), "too few words alike to compare their times"
    assert statistics.median(deltas) <= 0.040


def test_a_tampered_export_is_refused_and_a_changed_source_has_none(
    onnx_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(onnx_models, tmp_path)
    monkeypatch.setenv(MODELS_ENV, str(root))
    store = ModelStore(root)
    folder = store.export_dir(TEST_MODEL_ID)
    with store.open_export(TEST_MODEL_ID) as export:  # the genuine export verifies
        assert len(export.names) == 4
    encoder = folder / "encoder.int8.onnx"
    data = bytearray(encoder.read_bytes())
    data[len(data) // 2] ^= 1  # same size, one bit: only the hash tells
    encoder.write_bytes(bytes(data))
    with pytest.raises(errors.ModelMismatch, match="not the file the ONNX export"):
        load_engine(TEST_MODEL_ID, "cpu:onnx", no_progress)
    # A record that names another source (the .nemo changed, or a record copied from elsewhere) is no
    # export of this model: auto does not take it, and onnx would export again.
    record = json.loads((folder / EXPORT_RECORD).read_text())
    record["source_sha256"] = "0" * 64
    (folder / EXPORT_RECORD).write_text(json.dumps(record))
    with pytest.raises(errors.ModelMismatch, match="damaged"):
        store.open_export(TEST_MODEL_ID).close()
    shutil.rmtree(folder)
    assert not store.has_export(TEST_MODEL_ID)
    with pytest.raises(errors.ModelNotFound):
        store.open_export(TEST_MODEL_ID).close()


def test_installed_vaultscribe_transcribes_a_file_with_engine_onnx(
    onnx_models: Path, tmp_path: Path, secret_service: dict[str, str]
) -> None:
    """`vaultscribe import FILE --transcribe --engine onnx` through the installed program: the engine in its sandboxed
    child loads the verified export and transcribes a real WAV file."""
    pairs = heldout(3, seed=424242)
    wav = write_wav(tmp_path / "dictation.wav", with_pauses([a for _, a in pairs], pause_s=0.6))
    flow = Flow(tmp_path / "flow", _copy(onnx_models, tmp_path), [])
    flow.init()
    done = flow.run(
        "import", str(wav), "--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu", "--engine", "onnx", "--json",
        *flow.auth(), stdin=PASS + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ONNX Runtime" in done.stderr, done.stderr
    (item,) = json.loads(done.stdout)["transcripts"]
    assert (item["model"], item["device"]) == (TEST_MODEL_ID, "cpu") and item["words"]
    assert word_error_rate([" ".join(t for t, _ in pairs)], [item["text"]]) <= 0.25, item["text"]


def test_models_export_onnx_exports_in_the_sandboxed_child_and_records_the_source(tmp_path: Path) -> None:
    """`vaultscribe models export-onnx` through the installed program, on a store with only the .nemo: the
    model child verifies it, is sandboxed with only the exports folder writable, exports, and the store
    records every file with the source's manifest SHA-256; nothing else is written to the store."""
    root = tmp_path / "models"
    ModelStore(root).import_file(TEST_MODEL)
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path), MODELS_ENV: str(root)}
    done = subprocess.run(
        [str(VAULTSCRIBE), "models", "export-onnx", "--model", TEST_MODEL_ID, "--models-dir", str(root)],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "100%" in done.stderr and "ONNX export in" in done.stdout
    store = ModelStore(root)
    folder = store.export_dir(TEST_MODEL_ID)
    record = json.loads((folder / EXPORT_RECORD).read_text())
    assert record["source_sha256"] == find(TEST_MODEL_ID).sha256
    names = {"encoder.int8.onnx", "decoder_joint.onnx", "features.npz", "meta.json"}
    with store.open_export(TEST_MODEL_ID) as export:
        assert set(export.names) == names
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == sorted([TEST_MODEL.name, *(f"onnx/{folder.name}/{n}" for n in [*record["files"], EXPORT_RECORD])])
