"""The GUI's event loop keeps turning while the real model loads and transcribes.

A 10 ms timer on the GUI thread measures how late each tick is while the
jobs thread imports a spoken WAV, the real trained test model loads through
NeMo in its child process (``ProcessEngine``), transcribes the recording, and
Presidio looks for personal details. Every gap must stay under 100 ms.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from app import actions
from app.context import AppContext
from app.main import product_detector
from app.tasks import VaultWorker, settle_heap
from core.asr.holder import EngineHolder
from core.asr.process import ProcessEngine
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from models.loader import load_engine
from models.store import MODELS_ENV, ModelStore
from models.training import synth

TEST_MODEL = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
LIMIT_S = 0.100


@pytest.fixture
def session(tmp_path: Path, clock: FakeClock) -> Iterator[Session]:
    """As app.main wires it: the real model in its child process, and the product's detector (Presidio)."""
    holder = EngineHolder(partial(ProcessEngine, load_engine))
    yield Session(
        VaultPaths(tmp_path / "vault"),
        keystore=MemoryKeystore(),
        clock=clock,
        kdf_params=TEST_PARAMS,
        os_user="tester",
        engines=holder,
        detector_factory=product_detector,
    )
    holder.release()


@pytest.fixture
def real_ctx(unlocked: Session, worker: VaultWorker, tmp_path: Path, monkeypatch) -> AppContext:
    models = tmp_path / "models"
    ModelStore(models).import_file(TEST_MODEL)
    monkeypatch.setenv(MODELS_ENV, str(models))  # the child inherits it
    unlocked.update_config({"model": "vaultscribe/test-tdt-en-small", "asr_device": "cpu"})
    return AppContext(worker=worker, engines=unlocked.engines, config=unlocked.config)


def test_event_loop_latency_stays_under_100_ms_through_import_load_transcribe_and_detect(
    qtbot, real_ctx: AppContext, tmp_path: Path
) -> None:
    clips = synth.spoken_sentences(7, 4)
    wav = synth.write_wav(tmp_path / "dictation.wav", synth.with_pauses([audio for _, audio in clips]))
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    # As app.main does once the window is up. Here it also sets aside what earlier tests left in
    # this process (NeMo, loaded in-process by tests/asr), which the app's own process never holds:
    # a full collection over it took 600 ms.
    settle_heap()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    task = actions.import_file(real_ctx, wav, then_transcribe=True)
    qtbot.waitUntil(lambda: task.done, timeout=240_000)
    timer.stop()
    assert task.state == "done", task.error
    words: list[str] = []
    real_ctx.worker.op(None, lambda s: s.transcripts.current_transcript(task.result.id).text).success(
        words.append
    ).run()
    qtbot.waitUntil(lambda: bool(words))
    assert len(words[0].split()) > 10  # the model really heard the speech
    worst = sorted(gaps)[-5:]
    assert len(gaps) > 100
    assert max(gaps) - 0.010 < LIMIT_S, f"the event loop stalled: worst gaps {[round(g * 1000) for g in worst]} ms"
