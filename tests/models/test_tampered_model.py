"""A model file is code: a tampered ``.nemo`` is refused before any of it is unpickled.

The tampered file is the genuine test model with its weights swapped for a pickle whose ``__reduce__``
creates a marker file, padded to the genuine file's exact size, and put where the manifest's entry for
the test model points. A stand-in for NeMo that unpickles the weights (what ``torch.load`` does without
``weights_only``) replaces the real one, so a gap in the checks would create the marker.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tarfile
from pathlib import Path
from typing import Any

import pytest

from core.asr.process import ProcessEngine
from core.errors import ModelError, ModelMismatch
from core.nemo import asr as nemo_asr
from models import loader
from models import store as store_mod
from models.manifest import find
from models.store import MODELS_ENV, ModelStore

from .helpers import GENUINE, WEIGHTS, tampered

MODEL_ID = "vaultscribe/test-tdt-en-small"


def unpickle_weights(path: Path, **_: Any) -> None:
    """What NeMo's restore does with the weights when torch's weights_only is off."""
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(WEIGHTS))
        pickle.loads(tar.extractfile(member).read())  # type: ignore[union-attr]  # noqa: S301
    raise AssertionError("a tampered model was unpickled")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelStore:
    if GENUINE.stat().st_size % tarfile.RECORDSIZE:
        pytest.skip("the genuine test model is not padded to whole tar records")
    monkeypatch.setenv(MODELS_ENV, str(tmp_path / "models"))  # where load_engine (and its child) look
    monkeypatch.setattr(nemo_asr, "load", unpickle_weights)
    return ModelStore(tmp_path / "models")


def test_the_payload_is_live_code(tmp_path: Path) -> None:
    """The control: unpickled, the tampered file's weights do create the marker."""
    path = tampered(tmp_path / "x.nemo", tmp_path / "marker")
    with pytest.raises(AssertionError, match="unpickled"):
        unpickle_weights(path)
    assert (tmp_path / "marker").exists()


def test_a_tampered_model_of_the_genuine_size_is_refused_before_anything_is_unpickled(
    store: ModelStore, tmp_path: Path
) -> None:
    spec = find(MODEL_ID)
    marker = tmp_path / "marker"
    tampered(store.root / spec.file_name, marker)
    with pytest.raises(ModelMismatch) as refused:
        loader.load_engine(MODEL_ID, "cpu", lambda f: None)
    assert isinstance(refused.value, ModelError)
    message = str(refused.value)
    assert f"expected {spec.size_bytes:,} bytes, sha256 {spec.sha256}" in message and "not used" in message
    # the same refusal, as the app meets it: through the model's child process and the pipe
    with pytest.raises(ModelMismatch, match="not used"):
        ProcessEngine(loader.load_engine, MODEL_ID, "cpu", lambda f: None)
    assert not marker.exists()


def test_a_verified_model_overwritten_in_place_under_its_old_mtime_is_hashed_again(
    store: ModelStore, tmp_path: Path
) -> None:
    store.import_file(GENUINE)
    path = store.verified_path(MODEL_ID)  # verified once
    st = path.stat()
    marker = tmp_path / "marker"
    path.write_bytes(tampered(tmp_path / "t.nemo", marker).read_bytes())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(ModelMismatch):
        loader.load_engine(MODEL_ID, "cpu", lambda f: None)
    assert not marker.exists()


def test_a_file_of_the_wrong_size_is_refused_without_being_hashed(
    store: ModelStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_hashing(*_: object, **__: object) -> str:
        raise AssertionError("hashed")

    monkeypatch.setattr(store_mod, "_hash_file", no_hashing)
    spec = find(MODEL_ID)
    tampered(store.root / spec.file_name, tmp_path / "marker", same_size=False)
    progress: list[float] = []
    with pytest.raises(ModelMismatch, match=f"expected {spec.size_bytes:,} bytes"):
        loader.load_engine(MODEL_ID, "cpu", progress.append)
    assert progress == []  # not a byte read
    assert not (tmp_path / "marker").exists()


def test_the_file_loaded_is_the_file_hashed_even_when_another_is_renamed_over_it(
    store: ModelStore, tmp_path: Path
) -> None:
    (spec,) = store.import_file(GENUINE)
    with store.open_verified(MODEL_ID) as verified:
        os.replace(tampered(tmp_path / "t.nemo", tmp_path / "marker"), verified.path)  # swapped after the check
        assert hashlib.sha256(verified.path.read_bytes()).hexdigest() != spec.sha256
        assert hashlib.sha256(verified.load_path.read_bytes()).hexdigest() == spec.sha256


def test_a_forged_verification_record_for_a_tampered_file_does_not_skip_the_hash(
    store: ModelStore, tmp_path: Path
) -> None:
    """Issue 22, item 3: an attacker who can write the models folder writes a tampered file of the genuine
    size and, beside it, the record of size, times, inode and hash that once spared a verified file its
    re-hash. The record must buy nothing: the file is hashed at every load and refused before NeMo."""
    import json

    spec = find(MODEL_ID)
    marker = tmp_path / "marker"
    path = tampered(store.root / spec.file_name, marker)
    st = path.stat()
    forged = {
        "path": str(path),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "ino": st.st_ino,
        "sha256": spec.sha256,
    }
    name = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    (store.root / ".verified").mkdir(mode=0o700, exist_ok=True)
    (store.root / ".verified" / f"{name}.json").write_text(json.dumps(forged))
    with pytest.raises(ModelMismatch, match="not used"):
        loader.load_engine(MODEL_ID, "cpu", lambda f: None)
    with pytest.raises(ModelMismatch, match="not used"):  # as the app meets it, through the model's child
        ProcessEngine(loader.load_engine, MODEL_ID, "cpu", lambda f: None)
    assert not marker.exists()
