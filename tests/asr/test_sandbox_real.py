"""The real trained test model, loaded and run inside the sandboxed child, hears what it hears unconfined."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.asr.engine import ArraySource, Engine, TranscribeOptions
from core.asr.process import ProcessEngine
from core.progress import CancelToken
from core.security import sandbox
from models.loader import load_engine
from models.store import MODELS_ENV
from tests.asr.conftest import TEST_MODEL_ID, heldout


def test_the_real_model_transcribes_in_the_sandbox_exactly_as_it_does_unconfined(
    models_dir: Path, test_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = np.concatenate([samples for _, samples in heldout(3, seed=4242)])
    vault_tmp = tmp_path / "vault-tmp"
    options = TranscribeOptions(temp_dir=vault_tmp)
    unconfined = test_engine.transcribe(ArraySource(audio), options, progress=lambda f: None, cancel=CancelToken())
    monkeypatch.setenv(MODELS_ENV, str(models_dir))  # the child inherits it
    engine = ProcessEngine(load_engine, TEST_MODEL_ID, "cpu", lambda f: None, temp_root=tmp_path)
    try:
        report = engine.sandbox
        confined = engine.transcribe(ArraySource(audio), options, progress=lambda f: None, cancel=CancelToken())
    finally:
        engine.close()
    if sandbox.landlock_abi() > 0:
        assert report.active == ("no_new_privs", "landlock", "seccomp"), report.summary()
    assert len(unconfined.text.split()) > 10  # the model really heard the speech
    assert confined.text == unconfined.text
    assert confined.words == unconfined.words
    assert not list(tmp_path.glob("vaultscribe-asr-*"))  # the child's private dir is gone
