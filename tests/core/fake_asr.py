"""A fake speech engine for the core tests: no model, no torch, same `Engine` protocol.

It "hears" one word per second of audio ("w0", "w1", …, every fourth ending a sentence), decoding
one second per batch: it reads that second through the source, reports progress, and checks the
cancel token between batches, as the real engine does between its batches of windows.
"""

from __future__ import annotations

import time

import numpy as np

from core.asr import chunking
from core.asr.engine import SAMPLE_RATE, AsrTranscript, AsrWord, AudioSource, DeviceInfo, TranscribeOptions
from core.asr.live import CANNOT_STREAM, MODEL_CARD, StreamOptions, StreamUpdate
from core.errors import ModelError
from core.progress import CancelToken, Progress
from core.security.sandbox import SandboxReport

CPU = DeviceInfo("cpu", "fake CPU", "float32", "a test")


class FakeEngine:
    def __init__(
        self,
        *,
        model_id: str = "fake/asr-1",
        fail_at: int | None = None,
        error: BaseException | None = None,
        feed_delay_s: float = 0.0,
        can_stream: bool = True,
    ) -> None:
        """``fail_at``: raise ``error`` (a RuntimeError by default) before that batch. ``feed_delay_s``: each
        live step takes that long (a model that cannot keep up). ``can_stream`` False: a model that cannot
        show live text (``open_stream`` refuses, as the real adapters do)."""
        self._model_id = model_id
        self.fail_at = fail_at
        self.error = error or RuntimeError("the model saw: secret words")  # content the vault must never keep
        self.seen: list[TranscribeOptions] = []
        self.batches = 0
        self.feed_delay_s = feed_delay_s
        self.streamed_s = 0.0  # audio its live streams were fed
        self._can_stream = can_stream
        self.closes = 0  # how often `close` was called (the holder lets go of it)
        self.died = False  # set by a test: a child-process engine whose child is gone

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return CPU

    @property
    def alive(self) -> bool:
        return not self.died

    @property
    def sandbox(self) -> SandboxReport | None:
        return None  # runs in the test's process

    def close(self) -> None:
        self.closes += 1

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        self.seen.append(options)
        seconds = -(-audio.num_samples // SAMPLE_RATE)
        words = []
        for i in range(seconds):
            cancel.raise_if_cancelled()
            if i == self.fail_at:
                raise self.error
            assert len(audio.read(i * SAMPLE_RATE, SAMPLE_RATE)) > 0
            self.batches += 1
            words.append(AsrWord(f"w{i}." if i % 4 == 3 else f"w{i}", i + 0.1, i + 0.6))
            progress((i + 1) / seconds)
        return AsrTranscript(
            text=" ".join(w.text for w in words),
            words=tuple(words),
            segments=tuple(chunking.segments(words)),
            model_id=self._model_id,
            device=CPU,
            duration_s=audio.num_samples / SAMPLE_RATE,
            language=options.language,
        )

    @property
    def can_stream(self) -> bool:
        return self._can_stream

    def open_stream(self, options: StreamOptions) -> FakeStream:
        if not self._can_stream:
            raise ModelError(CANNOT_STREAM)
        return FakeStream(self, options)


class FakeStream:
    """Live text the fake way: word i covers second i; it is final once the right context has passed it."""

    def __init__(self, engine: FakeEngine, options: StreamOptions) -> None:
        self._engine = engine
        _, _, self._right_s = options.seconds(MODEL_CARD)
        self._samples = 0
        self._final = 0

    def feed(self, samples: np.ndarray) -> StreamUpdate:
        time.sleep(self._engine.feed_delay_s)
        self._samples += int(samples.size)
        self._engine.streamed_s += samples.size / SAMPLE_RATE
        heard = self._samples / SAMPLE_RATE
        words = [AsrWord(f"w{i}", i + 0.1, i + 0.6) for i in range(int(heard))]
        settled = [w for w in words if w.end_s <= heard - self._right_s]
        new, self._final = settled[self._final :], len(settled)
        return StreamUpdate(tuple(new), tuple(words[len(settled) :]), heard)

    def finish(self) -> StreamUpdate:
        heard = self._samples / SAMPLE_RATE
        words = [AsrWord(f"w{i}", i + 0.1, i + 0.6) for i in range(-(-self._samples // SAMPLE_RATE))]
        new, self._final = words[self._final :], len(words)
        return StreamUpdate(tuple(new), (), heard)

    def close(self) -> None:
        pass
