"""Cancelling the fast CPU version (issue 26) while the sandboxed model child is inside NeMo's export: the
session's one call (``session.jobs.make_onnx_export``, what the model step's job runs) raises
``Cancelled`` within seconds, the child is ended, and the store holds no export that could verify:
``has_export`` is False, ``open_export`` refuses, and auto would not pick the ONNX engine."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from core import errors
from core.asr import process
from core.asr.holder import EngineHolder
from core.clock import FakeClock
from core.paths import VaultPaths
from core.progress import CancelToken
from core.redaction.detect import default_detector
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from models.loader import load_engine_in_child
from models.store import EXPORT_RECORD, MODELS_ENV, ModelStore
from tests.asr.conftest import TEST_MODEL, TEST_MODEL_ID
from tests.signals import spawned_with_default_sigint

#: Where the export step starts in the loader's progress (models.loader._load_onnx: the export is 0-0.9,
#: NeMo's export() 0.4-0.95 of that): past it, the child is in one long silent step.
EXPORTING = 0.37


@pytest.mark.timeout(300)
def test_a_cancelled_export_ends_the_child_and_leaves_no_verifiable_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "models"
    store = ModelStore(root)
    store.import_file(TEST_MODEL)
    monkeypatch.setenv(MODELS_ENV, str(root))  # the child opens the same store
    # The test model exports in about a second: with no grace the child is killed at once, mid-export,
    # as a full-size model's (minutes) is after the grace.
    monkeypatch.setattr(process, "CANCEL_GRACE_S", 0.0)
    session = Session(
        VaultPaths(tmp_path / "vault"),
        keystore=MemoryKeystore(),
        clock=FakeClock(),
        kdf_params=TEST_PARAMS,
        os_user="tester",
        engines=EngineHolder(load_engine_in_child),
        detector_factory=default_detector,
    )
    cancel = CancelToken()
    cancelled_at: list[float] = []

    def progress(fraction: float) -> None:
        if fraction >= EXPORTING and not cancel.cancelled:
            cancelled_at.append(time.monotonic())
            cancel.cancel()

    before = set(multiprocessing.active_children())
    with spawned_with_default_sigint(), pytest.raises(errors.Cancelled):
        session.jobs.make_onnx_export(TEST_MODEL_ID, progress=progress, cancel=cancel)
    assert cancelled_at, "the export never started"
    assert time.monotonic() - cancelled_at[0] < 15, "cancel did not stop the export child promptly"
    children = [p for p in multiprocessing.active_children() if p not in before]
    assert not children, f"the export child is still running: {children}"
    assert session.engines.current is None
    assert not store.has_export(TEST_MODEL_ID)
    with pytest.raises(errors.ModelNotFound):
        store.open_export(TEST_MODEL_ID).close()
    # Whatever the killed child left (a staging folder of the store's) holds no record that could verify.
    assert not list((root / "onnx").rglob(EXPORT_RECORD))
