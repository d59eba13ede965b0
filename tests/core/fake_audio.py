"""A stand-in input stream for tests of the recording logic: no sound card needed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from core.audio.capture import CaptureFormat


class FakeStream:
    """Feeds ``signal`` (frames x channels) to the callback in blocks, faster than real time.

    ``vanish_after`` frames: the "device" then stops delivering, as an unplugged one does;
    with ``report_finish`` it also says so through PortAudio's finished callback.
    """

    def __init__(
        self,
        signal: np.ndarray,
        callback: Callable[..., None],
        finished: Callable[[], None],
        *,
        block: int = 1024,
        vanish_after: int | None = None,
        report_finish: bool = False,
        realtime_factor: float = 50.0,
        rate: int = 48_000,
    ) -> None:
        self.signal = signal.astype(np.float32)
        self._callback, self._finished = callback, finished
        self._block, self._vanish, self._report = block, vanish_after, report_finish
        self._sleep = block / rate / realtime_factor
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.delivered = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def close(self) -> None:
        pass

    def _run(self) -> None:
        pos = 0
        while not self._stop.is_set() and pos < len(self.signal):
            if self._vanish is not None and pos >= self._vanish:
                if self._report:
                    self._finished()
                return
            block = self.signal[pos : pos + self._block]
            self._callback(np.ascontiguousarray(block), len(block), None, None)
            pos += len(block)
            self.delivered = pos
            time.sleep(self._sleep)
        while not self._stop.is_set():  # a live microphone keeps going: silence
            self._callback(np.zeros((self._block, self.signal.shape[1]), np.float32), self._block, None, None)
            time.sleep(self._sleep)


def factory(signal: np.ndarray, **kwargs: Any) -> tuple[Callable[..., FakeStream], list[FakeStream]]:
    made: list[FakeStream] = []

    def make(
        fmt: CaptureFormat, device: Any, callback: Callable[..., None], finished: Callable[[], None]
    ) -> FakeStream:
        stream = FakeStream(signal, callback, finished, rate=fmt.samplerate, **kwargs)
        made.append(stream)
        return stream

    return make, made


def tone(seconds: float, rate: int = 48_000, channels: int = 1, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    wave = amplitude * np.sin(2 * np.pi * (220 + 200 * t) * t)
    return np.repeat(wave[:, None], channels, axis=1).astype(np.float32)
