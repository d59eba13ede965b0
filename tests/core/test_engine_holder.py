"""One loaded engine per process: loaded once even when two workers ask at the same time, replaced
when the model or device changes, released at lock."""

from __future__ import annotations

import threading
import time

from core.asr.engine import DEFAULT_MODEL_ID, Engine
from core.asr.holder import EngineHolder
from core.progress import Progress
from tests.core.fake_asr import FakeEngine


class SlowFactory:
    def __init__(self) -> None:
        self.calls: list[tuple[str | None, str]] = []

    def __call__(self, model: str | None, device: str, progress: Progress) -> Engine:
        self.calls.append((model, device))
        progress(0.5)
        time.sleep(0.05)
        return FakeEngine(model_id=model or DEFAULT_MODEL_ID)


def test_loads_once_and_reports_progress_to_every_caller() -> None:
    factory, seen = SlowFactory(), []
    holder = EngineHolder(factory)
    first = holder.get(None, "cpu", seen.append)
    assert holder.get(DEFAULT_MODEL_ID, "cpu", seen.append) is first is holder.current
    assert factory.calls == [(None, "cpu")] and seen == [0.5, 1.0, 1.0]


def test_two_threads_share_one_load() -> None:
    factory = SlowFactory()
    holder = EngineHolder(factory)
    got: list[Engine] = []
    threads = [threading.Thread(target=lambda: got.append(holder.get("m", "auto"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(factory.calls) == 1 and got[0] is got[1]


def test_another_model_or_device_replaces_it_and_release_forgets_it() -> None:
    factory = SlowFactory()
    holder = EngineHolder(factory)
    a = holder.get("a", "cpu")
    b = holder.get("b", "cpu")
    c = holder.get("b", "cuda")
    assert a is not b and b is not c and factory.calls == [("a", "cpu"), ("b", "cpu"), ("b", "cuda")]
    holder.release()
    assert holder.current is None
    holder.get("b", "cuda")
    assert len(factory.calls) == 4


def test_the_engine_it_lets_go_of_is_closed() -> None:
    holder = EngineHolder(SlowFactory())
    a = holder.get("a", "cpu")
    b = holder.get("b", "cpu")
    assert isinstance(a, FakeEngine) and isinstance(b, FakeEngine)
    assert (a.closes, b.closes) == (1, 0)
    holder.release()
    holder.release()
    assert (a.closes, b.closes) == (1, 1)


def test_an_engine_that_died_is_loaded_again() -> None:
    factory = SlowFactory()
    holder = EngineHolder(factory)
    first = holder.get("m", "cpu")
    assert isinstance(first, FakeEngine)
    first.died = True
    assert holder.loaded("m", "cpu") is None
    second = holder.get("m", "cpu")
    assert second is not first and first.closes == 1 and len(factory.calls) == 2
