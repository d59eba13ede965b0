"""Every engine, real and fake, has the whole ``Engine`` protocol: callers use ``alive``, ``sandbox`` and
``close()`` directly, never through ``getattr``. mypy checks this file (pyproject's ``files``), so an
engine that lacks a member, or has one of another type, fails the static check; the test below says
which one at run time as well."""

from __future__ import annotations

import inspect

import pytest

from core.asr.engine import Engine
from core.asr.process import ProcessEngine
from core.diarization.engine import DiarizingEngine
from core.nemo.asr import NemoEngine
from tests.asr import process_fakes
from tests.core.fake_asr import FakeEngine

ENGINES = [NemoEngine, ProcessEngine, DiarizingEngine, FakeEngine, process_fakes._Slow, process_fakes._Snooping]


def engines(nemo: NemoEngine, process: ProcessEngine, diarizing: DiarizingEngine, fake: FakeEngine) -> list[Engine]:
    """Never called: mypy proves each one is an ``Engine``."""
    return [nemo, process, diarizing, fake, process_fakes.fake(None, "cpu", lambda _f: None)]


def _members(cls: type) -> set[str]:
    return {name for name in vars(cls) if not name.startswith("_")}


def test_the_protocol_declares_what_callers_use() -> None:
    assert {"model_id", "device", "alive", "sandbox", "close", "transcribe"} <= _members(Engine)


@pytest.mark.parametrize("cls", ENGINES, ids=lambda c: c.__name__)
def test_every_engine_has_every_member(cls: type) -> None:
    for name in _members(Engine):
        ours, theirs = inspect.getattr_static(Engine, name), inspect.getattr_static(cls, name, None)
        assert theirs is not None, f"{cls.__name__} lacks {name}"
        assert isinstance(theirs, property) == isinstance(ours, property), f"{cls.__name__}.{name}"


def test_an_engine_in_this_process_is_alive_unconfined_and_closes_quietly() -> None:
    engine = FakeEngine()
    assert engine.alive and engine.sandbox is None
    engine.close()
    engine.close()
    assert engine.closes == 2
