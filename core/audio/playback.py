"""Playing a recording: decrypted and decoded in memory, a block at a time.

A feeder thread reads 16 kHz mono float32 from a decrypting blob reader,
changes its tempo with FFmpeg's ``atempo`` (0.5-2x, pitch kept) when asked,
and queues blocks; PortAudio's callback only takes what is queued and plays
silence if the queue runs dry. Nothing is written to disk. ``sounddevice`` is
imported lazily and the stream is injected, so tests need no sound card.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Protocol

from core.audio.importer import BYTES_PER_SAMPLE, SAMPLE_RATE_HZ
from core.errors import BadInput, NoAudioOutput

log = logging.getLogger(__name__)

BLOCK = 2048
QUEUE_BLOCKS = 8
MIN_SPEED, MAX_SPEED = 0.5, 2.0


class PcmSource(Protocol):
    @property
    def size(self) -> int: ...

    def read_at(self, offset: int, size: int) -> bytes: ...


class OutStream(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


#: Builds an output stream at ``rate`` that calls ``callback(outdata, frames, time, status)``.
OutStreamFactory = Callable[[int, Any, Callable[..., None]], OutStream]


def sounddevice_output(rate: int, device: Any, callback: Callable[..., None]) -> OutStream:
    import sounddevice as sd

    try:
        stream: OutStream = sd.OutputStream(
            samplerate=rate, channels=1, dtype="float32", device=device, callback=callback, blocksize=BLOCK
        )
    except sd.PortAudioError as exc:
        # PortAudio's own words ("Error querying device -1") are for the log, not for the person listening.
        log.info("the audio output could not be opened: %s", exc)
        try:
            sd.query_devices(device, kind="output")
        except (sd.PortAudioError, ValueError):
            raise NoAudioOutput() from None
        raise BadInput("The audio output device cannot be opened: it may be in use by another program.") from None
    return stream


class _Tempo:
    """FFmpeg's atempo filter, fed and drained block by block."""

    def __init__(self, speed: float) -> None:
        import av

        self._av = av
        self._graph = av.filter.Graph()
        source = self._graph.add_abuffer(
            format="flt", sample_rate=SAMPLE_RATE_HZ, layout="mono", time_base=Fraction(1, SAMPLE_RATE_HZ)
        )
        tempo = self._graph.add("atempo", f"{speed:.4f}")
        sink = self._graph.add("abuffersink")
        source.link_to(tempo)
        tempo.link_to(sink)
        self._graph.configure()
        self._pts = 0

    def process(self, samples: Any, *, last: bool = False) -> list[Any]:
        """Stretch one block; ``last`` drains what the filter still holds at the end."""
        import numpy as np

        frame = self._av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.rate, frame.pts, frame.time_base = SAMPLE_RATE_HZ, self._pts, Fraction(1, SAMPLE_RATE_HZ)
        self._pts += len(samples)
        self._graph.push(frame)
        if last:
            self._graph.push(None)
        out = []
        while True:
            try:
                out.append(self._graph.pull().to_ndarray().reshape(-1).astype(np.float32))
            except (BlockingIOError, self._av.EOFError):
                return out


class Player:
    def __init__(
        self, source: PcmSource, *, device: Any = None, stream_factory: OutStreamFactory = sounddevice_output
    ) -> None:
        self._source = source
        self._total = source.size // BYTES_PER_SAMPLE
        self._position = 0  # in source samples: what has been handed to the device
        self._read_at = 0  # in source samples: what the feeder has read
        self._speed = 1.0
        self._tempo: _Tempo | None = None
        self._queue: queue.Queue[tuple[int, int, Any]] = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._lock = threading.Lock()
        self._playing = threading.Event()
        self._closed = threading.Event()
        self._generation = 0  # bumped by seek and speed changes: queued blocks of an older one are dropped
        self._carry: tuple[int, Any] | None = None  # the unplayed rest of the last block
        self._stream = stream_factory(SAMPLE_RATE_HZ, device, self._callback)
        self._feeder = threading.Thread(target=self._feed, name="vaultscribe-playback", daemon=True)
        self._feeder.start()
        self._stream.start()

    @property
    def duration_s(self) -> float:
        return self._total / SAMPLE_RATE_HZ

    @property
    def position_s(self) -> float:
        return self._position / SAMPLE_RATE_HZ

    @property
    def playing(self) -> bool:
        return self._playing.is_set()

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def finished(self) -> bool:
        return self._position >= self._total

    def play(self) -> None:
        if self.finished:
            self.seek(0.0)
        self._playing.set()

    def pause(self) -> None:
        self._playing.clear()

    def seek(self, seconds: float) -> None:
        with self._lock:
            target = max(0, min(self._total, int(seconds * SAMPLE_RATE_HZ)))
            self._restart(target)

    def set_speed(self, speed: float) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise BadInput(f"Playback speed must be between {MIN_SPEED}x and {MAX_SPEED}x.")
        with self._lock:
            self._speed = speed
            self._restart(self._position)

    def close(self) -> None:
        self._closed.set()
        self._playing.clear()
        self._stream.stop()
        self._stream.close()
        self._feeder.join(timeout=5)
        close_source = getattr(self._source, "close", None)
        if close_source is not None:
            close_source()

    def _restart(self, at: int) -> None:
        self._generation += 1
        self._position = self._read_at = at
        self._tempo = None if self._speed == 1.0 else _Tempo(self._speed)
        self._carry = None
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    # -- feeder thread ---------------------------------------------------------

    def _feed(self) -> None:
        import numpy as np

        while not self._closed.is_set():
            with self._lock:
                generation, start = self._generation, self._read_at
                item = None
                if start < self._total:
                    raw = self._source.read_at(start * BYTES_PER_SAMPLE, int(BLOCK * self._speed) * BYTES_PER_SAMPLE)
                    samples = np.frombuffer(raw, dtype="<f4")
                    self._read_at = start + len(samples)
                    if self._tempo is not None:  # atempo may hold samples back: the block can come out empty
                        parts = self._tempo.process(samples.copy(), last=self._read_at >= self._total)
                        samples = np.concatenate(parts) if parts else np.empty(0, np.float32)
                    item = (generation, len(raw) // BYTES_PER_SAMPLE, samples)
            if item is None:
                self._closed.wait(0.05)
                continue
            while not self._closed.is_set():
                try:
                    self._queue.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue

    # -- PortAudio's thread --------------------------------------------------------

    def _callback(self, outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        outdata.fill(0)
        if not self._playing.is_set():
            return
        filled = 0
        while filled < frames:
            if self._carry is None or self._carry[0] != self._generation:
                try:
                    generation, consumed, samples = self._queue.get_nowait()
                except queue.Empty:
                    break
                if generation != self._generation:
                    continue
                self._position = min(self._total, self._position + consumed)
                self._carry = (generation, samples)
            generation, samples = self._carry
            take = samples[: frames - filled]
            outdata[filled : filled + len(take), 0] = take
            filled += len(take)
            self._carry = (generation, samples[len(take) :]) if len(take) < len(samples) else None
        if self.finished and self._carry is None and self._queue.empty():
            self._playing.clear()
