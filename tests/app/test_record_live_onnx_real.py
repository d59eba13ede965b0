"""Live text on the ONNX engine as the app makes it (issue 26, "Live text on the CPU"): the engine comes
from the app's own wiring (an ``EngineHolder`` over ``models.loader.load_engine_in_child``, as
``app.main`` builds it) over a models folder that holds the trained test model and its verified ONNX
export, so the words come from ONNX Runtime in the sandboxed child, through the ``DiarizingEngine``
that ``load_engine`` returns, with the engine's own stream settings.

The export is the session's (tests/conftest.py's ``onnx_models``, shared with tests/asr/test_onnx_real.py).
The NeMo path's twin: tests/app/test_record_live_real.py."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from app.context import AppContext
from core.asr.engine import SAMPLE_RATE, with_engine
from core.asr.holder import EngineHolder
from core.asr.live import can_stream
from core.asr.process import ProcessEngine
from core.session import Session
from models.training.synth import with_pauses
from models.training.wer import word_error_rate
from tests.app.test_record_live_real import engines_over, record_showing_live_words, stream_updates
from tests.asr.conftest import TEST_MODEL_ID, heldout

pytestmark = pytest.mark.slow  # the session's ONNX export (about half a minute), then a child process


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, str]:
    pairs = heldout(3, seed=2121)
    return with_pauses([a for _, a in pairs], pause_s=0.5), " ".join(t for t, _ in pairs)


@pytest.fixture(scope="module")
def app_engines(onnx_models: Path) -> Iterator[EngineHolder]:
    """What app.main wires, with the model store in a folder that holds the test model and its export."""
    with engines_over(onnx_models) as engines:
        yield engines


def test_the_apps_onnx_engine_streams_words_from_the_test_model(
    app_engines: EngineHolder, speech: tuple[np.ndarray, str]
) -> None:
    audio, reference = speech
    engine = app_engines.get(TEST_MODEL_ID, with_engine("cpu", "onnx"))
    assert isinstance(engine, ProcessEngine) and "ONNX Runtime" in engine.device.reason
    assert can_stream(engine)  # the child reported it
    updates = stream_updates(engine, audio)  # with the engine's own chunk and contexts
    assert any(u.final for u in updates[:-1]), "no word settled before the end"
    words = [w for u in updates for w in u.final]
    assert all(a.start_s <= b.start_s for a, b in pairwise(words))  # times from the start
    assert words[-1].end_s <= audio.size / SAMPLE_RATE + 0.1
    live = " ".join(w.text for w in words)
    assert word_error_rate([reference], [live]) <= 0.35, live


def test_the_record_view_shows_live_words_from_the_onnx_engine(
    qtbot, unlocked: Session, ctx: AppContext, app_engines: EngineHolder, speech: tuple[np.ndarray, str]
) -> None:
    """The user's settings as they are once the fast CPU version exists: the default engine ("auto") on
    the CPU takes the export, and "Show live text" stays on and shows its words."""
    unlocked.update_config({"model": TEST_MODEL_ID, "asr_device": "cpu", "asr_engine": "auto"})
    record_showing_live_words(qtbot, unlocked, ctx, app_engines, speech)
    engine = app_engines.loaded(TEST_MODEL_ID, "cpu")
    assert engine is not None and "ONNX Runtime" in engine.device.reason  # auto took the export
