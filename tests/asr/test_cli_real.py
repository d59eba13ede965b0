"""`vaultscribe import --transcribe` and `transcribe` end to end: a real vault, the real Secret Service,
the model store, and the trained test model through NeMo. The words come back with their times and
are stored in the vault, searchable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from models.loader import load_engine
from models.store import MODELS_ENV
from models.training.synth import with_pauses, write_wav
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_MODEL_ID, heldout
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
