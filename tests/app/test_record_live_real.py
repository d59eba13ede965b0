"""Live text as the app makes it: the engine comes from the app's own wiring (an ``EngineHolder`` over
``models.loader.load_engine_in_child``, as ``app.main`` builds it), so the words come from the
trained test model in its sandboxed child, through the ``DiarizingEngine`` that ``load_engine`` returns.

Issue 21 §1: that wrapper once had no ``open_stream``, so no model ever showed live text in the app,
while tests that built the engine by hand passed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QTextBrowser

from app.context import AppContext
from app.views.record import RecordView
from core.asr.engine import SAMPLE_RATE
from core.asr.holder import EngineHolder
from core.asr.live import StreamOptions, StreamUpdate, can_stream
from core.asr.process import ProcessEngine
from core.audio.capture import CaptureFormat
from core.session import Session
from models.loader import load_engine_in_child
from models.store import MODELS_ENV
from models.training.synth import with_pauses
from models.training.wer import word_error_rate
from tests.app.helpers import click, find
from tests.asr.conftest import TEST_MODEL, TEST_MODEL_ID, heldout
from tests.core.fake_audio import factory

BLOCK = SAMPLE_RATE // 2  # what the live transcriber feeds at a time


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, str]:
    pairs = heldout(3, seed=2121)
    return with_pauses([a for _, a in pairs], pause_s=0.5), " ".join(t for t, _ in pairs)


@pytest.fixture(scope="module")
def app_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineHolder]:
    """What app.main wires, with the model store in a temp folder that holds the test model."""
    from models.store import ModelStore

    models = tmp_path_factory.mktemp("models")
    ModelStore(models).import_file(TEST_MODEL)
    with engines_over(models) as engines:
        yield engines


@contextmanager
def engines_over(models: Path) -> Iterator[EngineHolder]:
    """An engine holder as app.main wires it, over the models folder ``models`` (where the child finds
    the model); released at the end."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(MODELS_ENV, str(models))
        engines = EngineHolder(load_engine_in_child)
        try:
            yield engines
        finally:
            engines.release()


def test_the_apps_engine_streams_words_from_the_test_model(
    app_engines: EngineHolder, speech: tuple[np.ndarray, str]
) -> None:
    audio, reference = speech
    engine = app_engines.get(TEST_MODEL_ID, "cpu")
    assert isinstance(engine, ProcessEngine) and can_stream(engine)
    updates = stream_updates(engine, audio)
    live = " ".join(w.text for u in updates for w in u.final)
    assert word_error_rate([reference], [live]) <= 0.35, live


def stream_updates(engine: ProcessEngine, audio: np.ndarray) -> list[StreamUpdate]:
    """Feed ``audio`` to a stream with the engine's own settings as the live thread does (half a second at
    a time), then finish it; partial words must show while the audio arrives."""
    stream = engine.open_stream(StreamOptions())
    updates = [stream.feed(audio[i : i + BLOCK]) for i in range(0, audio.size, BLOCK)]
    assert any(u.partial for u in updates), "no partial words while the audio arrived"
    updates.append(stream.finish())
    stream.close()
    return updates


def test_the_record_view_shows_live_words_from_the_test_model(
    qtbot, unlocked: Session, ctx: AppContext, app_engines: EngineHolder, speech: tuple[np.ndarray, str]
) -> None:
    unlocked.update_config({"model": TEST_MODEL_ID, "asr_device": "cpu"})
    record_showing_live_words(qtbot, unlocked, ctx, app_engines, speech)


def record_showing_live_words(
    qtbot, session: Session, ctx: AppContext, engines: EngineHolder, speech: tuple[np.ndarray, str]
) -> RecordView:
    """Record ``speech`` through the Record view with "Show live text" on, over the session's settings
    and ``engines``; wait until its first words show, then stop. The box must stay on throughout."""
    audio, reference = speech
    ctx.config = session.config
    ctx.engines = engines
    lead_in = np.zeros(SAMPLE_RATE // 2, np.float32)
    signal = np.concatenate([lead_in, audio, np.zeros(3 * SAMPLE_RATE, np.float32)])[:, None]
    make, _ = factory(signal, realtime_factor=2.0)
    ctx.input_stream, ctx.capture_format = make, CaptureFormat(SAMPLE_RATE, 1)
    view = RecordView(ctx, on_recorded=lambda _rid: None)
    qtbot.addWidget(view)
    view.show()
    view.transcribe_after.setChecked(False)
    view.refresh()
    box = find(view, QCheckBox, "liveTextBox")
    assert box.isEnabled() and box.isChecked()  # no model loaded yet, or one that can stream

    click(qtbot, view, "recordButton")
    shown = find(view, QTextBrowser, "liveText")
    first_words = set(reference.split()[:6])
    qtbot.waitUntil(lambda: len(first_words & set(shown.toPlainText().split())) >= 3, timeout=60_000)
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=20_000)
    assert box.isEnabled() and box.isChecked()  # the loaded model can stream
    return view
