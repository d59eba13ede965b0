"""Recording from an input device straight into an encrypted blob.

PortAudio calls ``_callback`` on its own thread; it only copies the block and
computes its level, never blocking. A writer thread of ours appends the
blocks to a ``BlobWriter`` whose chunks hold at most two seconds of audio and
are fsynced as each fills, so a crash or power loss costs at most the last
two seconds. A device that stops delivering (unplugged, its server gone) ends
the recording cleanly: what was captured is kept and the result says why.

``sounddevice`` is imported lazily, and the stream is injected, so tests of
the logic need no sound card.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from core.errors import BadInput, VaultScribeError

BYTES_PER_SAMPLE = 4
FLUSH_EVERY_S = 2.0
LEVEL_EVERY_S = 0.05  # about 20 level updates a second
STALL_S = 2.0  # no audio for this long while running: the device is gone
PREFERRED_RATES = (48_000, 44_100, 32_000, 16_000)
DEVICE_LOST = "The input device stopped delivering audio; what was recorded is kept."


class DeviceLost(VaultScribeError):
    pass


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_samplerate: float


@dataclass(frozen=True)
class CaptureFormat:
    samplerate: int
    channels: int

    @property
    def bytes_per_second(self) -> int:
        return self.samplerate * self.channels * BYTES_PER_SAMPLE

    @property
    def chunk_bytes(self) -> int:
        """A blob chunk of at most FLUSH_EVERY_S of audio, in whole frames."""
        frame = self.channels * BYTES_PER_SAMPLE
        return max(frame, int(self.samplerate * FLUSH_EVERY_S) * frame)


@dataclass(frozen=True)
class Level:
    rms_dbfs: float
    peak_dbfs: float
    elapsed_s: float


@dataclass(frozen=True)
class CaptureResult:
    frames: int
    samplerate: int
    channels: int
    reason: str  # "stopped", "max_duration" or "device_lost"
    message: str = ""

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate


class Sink(Protocol):
    def write(self, data: bytes) -> None: ...


class Stream(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


#: Builds a started-later input stream that calls ``callback(indata, frames, time, status)``.
StreamFactory = Callable[[CaptureFormat, Any, Callable[..., None], Callable[[], None]], Stream]


def list_input_devices() -> list[InputDevice]:
    import sounddevice as sd

    devices = []
    for index, info in enumerate(sd.query_devices()):
        if info["max_input_channels"] > 0:
            devices.append(
                InputDevice(
                    index, str(info["name"]), int(info["max_input_channels"]), float(info["default_samplerate"])
                )
            )
    return devices


def negotiate(device: Any = None, *, channels: int = 1) -> CaptureFormat:
    """The best sample rate the device accepts, trying its own default first."""
    import sounddevice as sd

    try:
        info = sd.query_devices(device, "input")
    except (ValueError, sd.PortAudioError) as exc:
        raise BadInput(f"No usable input device ({exc}). Connect a microphone and try again.") from None
    channels = max(1, min(channels, int(info["max_input_channels"])))
    for rate in (int(info["default_samplerate"]), *PREFERRED_RATES):
        try:
            sd.check_input_settings(device=device, channels=channels, dtype="float32", samplerate=rate)
        except (ValueError, sd.PortAudioError):
            continue
        return CaptureFormat(rate, channels)
    raise BadInput(f"The input device {info['name']} accepts none of the usual sample rates.")


def sounddevice_stream(
    fmt: CaptureFormat, device: Any, callback: Callable[..., None], finished: Callable[[], None]
) -> Stream:
    import sounddevice as sd

    try:
        stream: Stream = sd.InputStream(
            samplerate=fmt.samplerate,
            channels=fmt.channels,
            dtype="float32",
            device=device,
            callback=callback,
            finished_callback=finished,
        )
    except sd.PortAudioError as exc:
        raise BadInput(f"The input device cannot be opened: {exc}.") from None
    return stream


def _dbfs(value: float) -> float:
    return 20 * math.log10(value) if value > 1e-10 else -200.0


class Recorder:
    """One recording. ``start``, ``pause``/``resume``, then ``stop`` (or it stops itself)."""

    def __init__(
        self,
        sink: Sink,
        fmt: CaptureFormat,
        *,
        device: Any = None,
        max_duration_s: float = 12 * 3600.0,
        on_level: Callable[[Level], None] | None = None,
        stream_factory: StreamFactory = sounddevice_stream,
        tap: Callable[[Any], None] | None = None,
    ) -> None:
        """``tap`` gets each block (interleaved float32 frames) on the writer thread, after it is written:
        live transcription's feed. It must not block; if it raises, the tap is dropped, never the audio."""
        self._sink = sink
        self.format = fmt
        self._device = device
        self._max_frames = int(max_duration_s * fmt.samplerate)
        self._on_level = on_level
        self._tap = tap
        self._factory = stream_factory
        self._blocks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self._frames = 0
        self._reason = "stopped"
        self._message = ""
        self._error: BaseException | None = None
        self._stream: Stream | None = None
        self._writer: threading.Thread | None = None
        self._level_acc = [0.0, 0.0, 0]  # sum of squares, peak, samples

    @property
    def frames(self) -> int:
        return self._frames

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def start(self) -> None:
        self._stream = self._factory(self.format, self._device, self._callback, self._finished)
        self._writer = threading.Thread(target=self._write_loop, name="vaultscribe-capture", daemon=True)
        self._writer.start()
        self._stream.start()

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def stop(self) -> CaptureResult:
        """Stop, write out everything captured, and say why it ended."""
        self._stopping.set()
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception as exc:  # noqa: BLE001 - a vanished device may fail to stop; the data is safe
                if self._reason == "stopped":
                    self._reason, self._message = "device_lost", f"The input device failed: {exc}"
        self._blocks.put(None)
        if self._writer is not None:
            self._writer.join()
        if self._error is not None:
            raise self._error
        return CaptureResult(self._frames, self.format.samplerate, self.format.channels, self._reason, self._message)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the recording ended by itself (limit reached, device lost)."""
        return self._stopping.wait(timeout_s)

    # -- PortAudio's thread ----------------------------------------------------

    def _callback(self, indata: Any, frames: int, _time: Any, _status: Any) -> None:
        if self._paused.is_set() or self._stopping.is_set():
            return
        self._blocks.put(bytes(indata))

    def _finished(self) -> None:
        if not self._stopping.is_set():
            self._end("device_lost", DEVICE_LOST)

    # -- our writer thread -------------------------------------------------------

    def _end(self, reason: str, message: str) -> None:
        if not self._stopping.is_set():
            self._reason, self._message = reason, message
            self._stopping.set()

    def _write_loop(self) -> None:
        import numpy as np

        frame_bytes = self.format.channels * BYTES_PER_SAMPLE
        level_samples = max(1, int(LEVEL_EVERY_S * self.format.samplerate))
        quiet_s = 0.0
        while True:
            try:
                block = self._blocks.get(timeout=0.25)
            except queue.Empty:
                if not self._paused.is_set() and not self._stopping.is_set():
                    quiet_s += 0.25
                    if quiet_s >= STALL_S:
                        self._end("device_lost", DEVICE_LOST)
                continue
            if block is None:
                return
            quiet_s = 0.0
            room = (self._max_frames - self._frames) * frame_bytes
            if room <= 0:
                continue
            block = block[:room]
            try:
                self._sink.write(block)
            except Exception as exc:  # noqa: BLE001 - the disk is full, say: stop() re-raises it
                self._error = exc
                self._stopping.set()
                return
            samples = np.frombuffer(block, dtype="<f4")
            self._frames += len(block) // frame_bytes
            self._level(samples, level_samples)
            self._feed_tap(samples)
            if self._frames >= self._max_frames:
                self._end("max_duration", "The recording reached its maximum length.")

    def _feed_tap(self, samples: Any) -> None:
        if self._tap is None:
            return
        try:
            self._tap(samples)
        except Exception:  # noqa: BLE001 - live text is a view; the recording must go on without it
            self._tap = None

    def _level(self, samples: Any, every: int) -> None:
        acc = self._level_acc
        acc[0] += float((samples.astype("f8") ** 2).sum())
        acc[1] = max(acc[1], float(abs(samples).max(initial=0.0)))
        acc[2] += len(samples) // self.format.channels
        if acc[2] >= every and self._on_level is not None:
            rms = math.sqrt(acc[0] / max(1, acc[2] * self.format.channels))
            self._on_level(Level(_dbfs(rms), _dbfs(acc[1]), self._frames / self.format.samplerate))
            self._level_acc = [0.0, 0.0, 0]
