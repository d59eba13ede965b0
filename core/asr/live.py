"""Live text while recording: the tap on the recorder, and the thread that feeds a streaming engine.

What it owns: a bounded queue of 16 kHz mono blocks (``LiveTap``) that the recorder's writer thread
fills without ever waiting, and a ``LiveTranscriber`` thread that drains it into an engine's stream
and keeps the latest ``LiveText`` for the GUI to poll. What it must never do: block capture, or
write anything to disk. The live text is for display only; the stored transcript is always the
offline pass that the normal job queue runs after the recording stops (it replaces the live text,
so the saved words are exactly what an offline transcription gives).

When the model falls behind, the tap drops blocks from the live feed only (the encrypted blob has
every sample) and the text says it fell behind; the offline pass then fills in what was missed.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from core import errors
from core.asr.engine import SAMPLE_RATE, AsrWord, Engine

log = logging.getLogger(__name__)

#: Parakeet's model-card settings for buffered streaming (NeMo's speech_to_text_streaming_infer_rnnt).
CHUNK_S = 2.0
LEFT_CONTEXT_S = 10.0
RIGHT_CONTEXT_S = 2.0
#: Audio that may wait for the model; past that the live feed drops blocks (the blob keeps them).
MAX_BACKLOG_S = 30.0
#: After this much audio, a model that needs more than GIVE_UP_RTF seconds per audio second stops
#: live text (Parakeet on a 2-core CPU: bench/RESULTS.md); the offline pass then does all the work.
GIVE_UP_AFTER_S = 10.0
GIVE_UP_RTF = 1.5
TOO_SLOW = "This computer is too slow for live text with this model; the transcript is made when you stop."


@dataclass(frozen=True)
class StreamOptions:
    """How a stream chunks its audio. A context setting left None is the engine's own default: NeMo's
    are Parakeet's model-card settings above, the ONNX engine's those measured to keep up on a 2-core
    CPU (core.asr.onnx_engine)."""

    chunk_s: float | None = None
    left_context_s: float | None = None
    right_context_s: float | None = None
    max_backlog_s: float = MAX_BACKLOG_S

    def seconds(self, defaults: tuple[float, float, float]) -> tuple[float, float, float]:
        """(chunk, left context, right context) in seconds, each left None taken from ``defaults``."""
        given = (self.chunk_s, self.left_context_s, self.right_context_s)
        chunk, left, right = (d if g is None else g for g, d in zip(given, defaults, strict=True))
        return chunk, left, right


#: Parakeet's model-card settings (chunk, left, right context): NeMo's defaults.
MODEL_CARD = (CHUNK_S, LEFT_CONTEXT_S, RIGHT_CONTEXT_S)


@dataclass(frozen=True)
class StreamUpdate:
    """What one step of a stream settled, and its current guess at the audio after that.

    ``final`` words are new since the last update and will not change; ``partial`` replaces the
    previous partial words (they come from the right context and may still change)."""

    final: tuple[AsrWord, ...]
    partial: tuple[AsrWord, ...]
    decoded_s: float  # audio the stream has seen, in seconds from its start


EMPTY_UPDATE = StreamUpdate((), (), 0.0)


class LiveStream(Protocol):
    def feed(self, samples: np.ndarray) -> StreamUpdate: ...

    def finish(self) -> StreamUpdate:
        """Decode what is left (no right context to wait for): every word becomes final."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class StreamingEngine(Protocol):
    """An engine that may also decode a stream: ``NemoEngine``, ``OnnxTdtEngine``, ``ProcessEngine``,
    ``DiarizingEngine``.

    Having ``open_stream`` is not enough: a wrapper or a child process streams only when the model it
    holds can, and says so in ``can_stream`` (``open_stream`` then raises ``ModelError``)."""

    @property
    def can_stream(self) -> bool: ...

    def open_stream(self, options: StreamOptions) -> LiveStream: ...


CANNOT_STREAM = "This speech model cannot show live text."


def can_stream(engine: object) -> bool:
    """Whether ``engine``, as loaded, can decode a live stream."""
    return isinstance(engine, StreamingEngine) and engine.can_stream


@dataclass(frozen=True)
class LiveText:
    """What the record view shows: settled words, then the guess at the newest audio."""

    final: tuple[AsrWord, ...] = ()
    partial: tuple[AsrWord, ...] = ()
    #: The tap dropped audio (the model could not keep up) or the engine failed: the saved
    #: transcript will come from the offline pass when the recording stops.
    behind: bool = False
    #: Why there is no live text, in words the user can read ("" while it works).
    unavailable: str = ""
    #: Seconds of audio the model has decoded, and seconds the tap has received.
    decoded_s: float = 0.0
    heard_s: float = 0.0
    version: int = 0  # grows with every change, so a poller repaints only when needed


class LiveTap:
    """A bounded queue between the recorder's writer thread and the live transcriber.

    ``put`` takes interleaved float32 frames at the capture rate, down-mixes and resamples them to
    16 kHz mono and enqueues them without waiting; when the queue is full the block is dropped from
    the live feed only, and ``dropped_s`` counts it."""

    def __init__(self, *, samplerate: int, channels: int, max_backlog_s: float = MAX_BACKLOG_S) -> None:
        self._rate = samplerate
        self._channels = channels
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._max_samples = int(max_backlog_s * SAMPLE_RATE)
        self._queued = 0
        self._count = threading.Lock()
        self._resampler: Any = None
        self._pts = 0
        self.dropped_s = 0.0
        self.heard_s = 0.0

    def put(self, interleaved: np.ndarray) -> None:
        """Called on the recorder's writer thread. Never blocks."""
        mono = interleaved.reshape(-1, self._channels).mean(axis=1, dtype=np.float32)
        block = self._to_16k(mono)
        if block.size == 0:
            return
        self.heard_s += block.size / SAMPLE_RATE
        with self._count:
            if self._queued + block.size > self._max_samples:
                self.dropped_s += block.size / SAMPLE_RATE
                return
            self._queued += block.size
        self._queue.put(block)

    def get(self, timeout_s: float) -> np.ndarray | None:
        """The next block, or None at the end (after ``end``) or after ``timeout_s`` of nothing."""
        try:
            block = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return None
        if block is not None:
            with self._count:
                self._queued -= block.size
        return block

    def drain(self) -> list[np.ndarray]:
        """Every block waiting now, without waiting for more."""
        out = []
        while (block := self.get(0)) is not None:
            out.append(block)
        return out

    def end(self) -> None:
        self._queue.put(None)

    def _to_16k(self, mono: np.ndarray) -> np.ndarray:
        if self._rate == SAMPLE_RATE:
            return mono.astype(np.float32, copy=True)
        import av

        if self._resampler is None:
            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
        frame.rate = self._rate
        frame.pts = self._pts
        self._pts += mono.size
        frames = self._resampler.resample(frame)
        parts = [np.frombuffer(bytes(f.planes[0]), dtype=np.float32)[: f.samples] for f in frames]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)


class LiveTranscriber:
    """A thread that feeds the tap's audio to a streaming engine, a chunk at a time, and keeps the text.

    ``engine`` is called on this thread (loading a model may take a minute); an engine that cannot
    stream, or fails, leaves the recording untouched and says so in ``text().unavailable``."""

    def __init__(
        self,
        tap: LiveTap,
        engine: Callable[[], Engine],
        *,
        options: StreamOptions | None = None,
        feed_every_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tap = tap
        self._engine = engine
        self._options = options or StreamOptions()
        self._feed_samples = int(feed_every_s * SAMPLE_RATE)
        self._clock = clock
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._final: list[AsrWord] = []
        self._text = LiveText()
        self._stream: LiveStream | None = None
        self._thread = threading.Thread(target=self._run, name="vaultscribe-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def text(self) -> LiveText:
        """The latest live text; safe from any thread."""
        with self._lock:
            return self._text

    def stop(self, timeout_s: float = 5.0) -> LiveText:
        """End the feed. Does not wait for the model to catch up: the offline pass does that."""
        self._stop.set()
        self._tap.end()
        self._thread.join(timeout_s)
        return self.text()

    # -- the live thread ----------------------------------------------------------

    def _run(self) -> None:
        try:
            engine = self._engine()
            if not isinstance(engine, StreamingEngine) or not engine.can_stream:
                self._publish(unavailable=CANNOT_STREAM)
                return
            self._stream = engine.open_stream(self._options)
        except errors.VaultScribeError as exc:
            self._publish(unavailable=str(exc), behind=True)
            return
        except Exception as exc:  # noqa: BLE001 - live text is a view; the recording must go on
            log.warning("live transcription could not start: %s", type(exc).__name__)
            self._publish(unavailable="Live text is not available.", behind=True)
            return
        try:
            self._feed_loop(self._stream)
        except Exception as exc:  # noqa: BLE001 - as above: the offline pass will transcribe it all
            log.warning("live transcription stopped: %s", type(exc).__name__)
            self._publish(unavailable="Live text stopped; the recording goes on.", behind=True)
        finally:
            with contextlib.suppress(Exception):
                self._stream.close()

    def _feed_loop(self, stream: LiveStream) -> None:
        """Feed at most one chunk plus right context per call, so a stop is heard between steps and a
        slow model holds the child's pipe for one step at a time, never for a whole backlog."""
        chunk_s, _, right_s = self._options.seconds(MODEL_CARD)  # an engine's own may be smaller: several steps a call
        most = int((chunk_s + right_s) * SAMPLE_RATE)
        pending = np.zeros(0, np.float32)
        compute_s = fed_s = 0.0
        while not self._stop.is_set():
            if pending.size < most:
                block = self._tap.get(0.1)
                if block is not None:
                    pending = np.concatenate([pending, block])
            if pending.size < self._feed_samples:
                if self._tap.dropped_s > 0 and not self._text.behind:
                    self._publish(behind=True)
                continue
            part, pending = pending[:most], pending[most:]
            started = self._clock()
            update = stream.feed(part)
            compute_s += self._clock() - started
            fed_s += part.size / SAMPLE_RATE
            self._apply(update)
            if fed_s >= GIVE_UP_AFTER_S and compute_s > GIVE_UP_RTF * fed_s:
                self._publish(unavailable=TOO_SLOW, behind=True)  # leave the CPU to the recording
                return

    def _apply(self, update: StreamUpdate) -> None:
        with self._lock:
            self._final.extend(update.final)
            old = self._text
            self._text = LiveText(
                final=tuple(self._final),
                partial=update.partial,
                behind=old.behind or self._tap.dropped_s > 0,
                decoded_s=update.decoded_s,
                heard_s=self._tap.heard_s,
                version=old.version + 1,
            )

    def _publish(self, *, unavailable: str | None = None, behind: bool | None = None) -> None:
        with self._lock:
            old = self._text
            self._text = LiveText(
                final=old.final,
                partial=old.partial,
                behind=old.behind if behind is None else behind,
                unavailable=old.unavailable if unavailable is None else unavailable,
                decoded_s=old.decoded_s,
                heard_s=self._tap.heard_s,
                version=old.version + 1,
            )

