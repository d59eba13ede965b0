"""`vaultscribe import --transcribe` and `transcribe` end to end: a real vault, the real Secret Service,
the model store, and the trained test model through NeMo. The words come back with their times and
are stored in the vault, searchable."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from core.asr.engine import AsrWord
from core.diarization.assign import assign_speakers
from models.loader import import_model_file, load_engine, load_engine_in_child
from models.store import MODELS_ENV
from models.training.synth import with_pauses, write_wav
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_DIARIZER, TEST_DIARIZER_ID, TEST_MODEL, TEST_MODEL_ID, conversations, heldout
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, imported_ids, vs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.real_keyring


def test_import_transcribe_then_transcribe_again(
    vs: Cli, tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setenv(MODELS_ENV, str(models_dir))
    vs.engine_factory = load_engine
    pairs = heldout(3, seed=31337)
    wav = write_wav(tmp_path / "dictation.wav", with_pauses([a for _, a in pairs], pause_s=0.7))
    reference = " ".join(t for t, _ in pairs)

    rc, data, err = imported_ids(vs, wav, extra=("--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu"))

    assert rc == 0, err
    (tr,) = data["transcripts"]
    assert (tr["model"], tr["device"]) == (TEST_MODEL_ID, "cpu")
    assert word_error_rate([reference], [tr["text"]]) <= 0.25
    starts = [w["start_s"] for w in tr["words"]]
    assert starts == sorted(starts) and starts[0] >= 0 and tr["words"][-1]["end_s"] <= len(pairs) * 10
    assert err.splitlines() == [
        "vaultscribe: loading the speech model…",
        f"vaultscribe: transcribing on CPU, {os.cpu_count()} threads: the CPU was asked for",
    ]

    auth = ("--passphrase-stdin", "--json", "--totp")
    rc, again, _ = vs("transcribe", tr["id"], "--model", TEST_MODEL_ID, *auth, vs.code(), stdin=PASS + "\n")
    assert rc == 0 and again[0]["text"] == tr["text"], "the same audio and model give the same words"
    rc, listing, _ = vs("recordings", *auth, vs.code(), stdin=PASS + "\n")
    assert [r["status"] for r in listing["recordings"]] == ["transcribed"]


def test_transcribe_diarize_gives_each_word_its_speaker(
    vs: Cli, tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """`--diarize`: the test ASR model and the test Sortformer, both from the verified store, on a
    generated two- or three-voice conversation; the words' speakers follow who really spoke."""
    monkeypatch.setenv(MODELS_ENV, str(models_dir))
    vs.engine_factory = load_engine
    ((audio, reference),) = conversations(1, seed=2718)
    wav = write_wav(tmp_path / "meeting.wav", audio)
    extra = ("--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu", "--diarizer", TEST_DIARIZER_ID)
    rc, data, err = imported_ids(vs, wav, extra=extra)

    assert rc == 0, err
    (tr,) = data["transcripts"]
    words = tr["words"]
    assert words and all("speaker" in w for w in words)
    truth = assign_speakers([AsrWord(w["word"], w["start_s"], w["end_s"]) for w in words], reference)
    pairs = list(zip(truth, (str(w["speaker"]) for w in words), strict=True))
    labels = sorted({t for t in truth if t is not None})
    best = max(
        sum(dict(zip(labels, p, strict=False)).get(t or "") == h for t, h in pairs)
        for p in itertools.permutations(sorted({h for _, h in pairs}))
    )
    assert best / len(pairs) >= 0.8, f"{best} of {len(pairs)} words with the right speaker"

    auth = ("--passphrase-stdin", "--json", "--totp")
    rc, plain, _ = vs("transcribe", tr["id"], "--model", TEST_MODEL_ID, *auth, vs.code(), stdin=PASS + "\n")
    assert rc == 0 and all("speaker" not in w for w in plain[0]["words"]), "no --diarize, no speakers"


def test_a_diarizer_file_is_imported_before_the_sandboxed_child_needs_it(
    vs: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """`--diarizer FILE.nemo` with the engine in its confined child (as `vaultscribe` runs it), and an
    empty models folder: the child may read the store but never write it, so the command imports the
    file first; the child then loads it, verified, from the store."""
    store = tmp_path / "models"
    monkeypatch.setenv(MODELS_ENV, str(store))
    vs.engine_factory, vs.model_importer = load_engine_in_child, import_model_file
    ((audio, _),) = conversations(1, seed=99)
    wav = write_wav(tmp_path / "interview.wav", audio)
    extra = ("--transcribe", "--model", str(TEST_MODEL), "--device", "cpu", "--diarizer", str(TEST_DIARIZER))
    rc, data, err = imported_ids(vs, wav, extra=extra)

    assert rc == 0, err
    (tr,) = data["transcripts"]
    assert tr["words"] and len({w["speaker"] for w in tr["words"]}) >= 2
    assert sorted(p.name for p in store.glob("*.nemo")) == sorted([TEST_DIARIZER.name, TEST_MODEL.name])
