"""Engine factories for the child-process tests. Module-level, so a spawned child can import them."""

from __future__ import annotations

import os
import time

from core import errors
from core.asr.engine import AsrTranscript, AudioSource, TranscribeOptions
from core.jobs import CancelToken, Progress
from tests.core.fake_asr import FakeEngine


def fake(model: str | None, device: str, progress: Progress) -> FakeEngine:
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


def slow(model: str | None, device: str, progress: Progress) -> FakeEngine:
    return _Slow()


class _Deaf(FakeEngine):
    """Ignores cancel: the parent must kill it."""

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        time.sleep(60)
        raise AssertionError("not killed")


def deaf(model: str | None, device: str, progress: Progress) -> FakeEngine:
    return _Deaf()


class _Crashing(FakeEngine):
    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        os._exit(3)


def crashing(model: str | None, device: str, progress: Progress) -> FakeEngine:
    return _Crashing()


def failing(model: str | None, device: str, progress: Progress) -> FakeEngine:
    return FakeEngine(error=RuntimeError("the model saw: secret words"), fail_at=1)


def no_model(model: str | None, device: str, progress: Progress) -> FakeEngine:
    raise errors.ModelError("The model x is not installed.")


def broken_load(model: str | None, device: str, progress: Progress) -> FakeEngine:
    raise RuntimeError("secret path /home/x")
