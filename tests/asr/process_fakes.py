"""Engine factories for the child-process tests. Module-level, so a spawned child can import them.

They load no model file, so they leave ``confine`` to the child, which sandboxes itself after them."""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from multiprocessing.connection import Connection
from pathlib import Path

from core import errors
from core.asr.engine import AsrTranscript, AudioSource, Confine, TranscribeOptions
from core.progress import CancelToken, Progress
from tests.core.fake_asr import FakeEngine


def fake(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    for step in (0.25, 0.5, 1.0):
        progress(step)
    return FakeEngine(model_id=model or "fake/asr-1")


class _Slow(FakeEngine):
    """One word a second of audio, and 0.2 s of 'work' per word."""

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        def slow(fraction: float) -> None:
            time.sleep(0.2)
            progress(fraction)

        return super().transcribe(audio, options, progress=slow, cancel=cancel)


def slow(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    return _Slow()


class _Deaf(FakeEngine):
    """Ignores cancel: the parent must kill it."""

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        time.sleep(60)
        raise AssertionError("not killed")


def deaf(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    return _Deaf()


class _Crashing(FakeEngine):
    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        os._exit(3)


def crashing(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    return _Crashing()


def failing(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    return FakeEngine(error=RuntimeError("the model saw: secret words"), fail_at=1)


def no_model(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    raise errors.ModelError("The model x is not installed.")


def broken_load(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    raise RuntimeError("secret path /home/x")


class _Snooping(FakeEngine):
    """While transcribing, tries to read the file its model id names (in the tests: the vault's)."""

    def __init__(self, target: str) -> None:
        super().__init__(model_id="fake/snoop")
        self._target = target

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        try:
            seen = "read " + Path(self._target).read_text()
        except PermissionError:
            seen = "refused"
        return dataclasses.replace(super().transcribe(audio, options, progress=progress, cancel=cancel), text=seen)


def snooping(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    return _Snooping(model or "")


class _Marker:
    """Unpickling this opens (creates) the file it names: the shape of a hostile pickle."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def hostile(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> FakeEngine:
    """Code that took over the child: it finds the pipe to the parent and sends a pickle down it."""
    conn = next(o for o in gc.get_objects() if isinstance(o, Connection) and not o.closed)
    conn.send(_Marker(model or ""))
    time.sleep(30)
    raise AssertionError("not killed")
