"""The speech engine in a child process, so the app's own process never imports NeMo or torch.

Why: importing NeMo and restoring a model holds Python's GIL for long stretches
(dlopen of the CUDA and torch libraries, unpickling): measured here, the GUI's
event loop stalled for over 500 ms while a thread of the same process loaded the
test model. In a child, the app's threads only wait on a pipe.

Also: a crash or an out-of-memory kill of the model takes the child down, not the
app; cancelling can end the child at once; and the child is the one place to
sandbox later. The child never touches the vault: it asks the parent for audio a
range at a time (decrypted in the parent, sent over the pipe, never to disk) and
sends back the transcript.

Protocol (tuples over a ``multiprocessing`` pipe):
    child -> parent: ("progress", f) | ("loaded", model_id, DeviceInfo) | ("read", start, count)
                     | ("done", AsrTranscript) | ("error", exception or None, class name)
                     | ("update", StreamUpdate)
    parent -> child: ("transcribe", num_samples, options) | ("audio", ndarray) | ("quit",)
                     | ("stream_open", StreamOptions) | ("stream_feed", ndarray) | ("stream_finish",)
                     | ("stream_close",)

Live text shares the child's one model with transcription jobs: the child keeps the stream's state
between messages, and a lock in the parent lets one exchange use the pipe at a time. While a job
runs, the live feed waits (its tap drops what does not fit, and the offline pass covers it).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from core import errors
from core.asr.engine import AsrTranscript, AudioSource, DeviceInfo, EngineFactory, TranscribeOptions
from core.asr.live import LiveStream, StreamingEngine, StreamOptions, StreamUpdate
from core.jobs import CancelToken, Progress

#: After a cancel, the child gets this long to stop at its next batch before it is killed.
CANCEL_GRACE_S = 2.0
_POLL_S = 0.05
_DIED = "The speech engine stopped unexpectedly (exit code {code}); the computer may be short of memory."


class ProcessEngine:
    """An ``Engine`` whose model lives in a child process. ``alive`` turns False once the child is gone
    (killed on cancel, crashed, or closed); the ``EngineHolder`` then loads a new one."""

    def __init__(
        self,
        factory: EngineFactory,
        model: str | None,
        device: str,
        progress: Progress,
        *,
        cancel: CancelToken | None = None,
    ) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that has Qt threads
        self._conn, child_conn = context.Pipe()
        self._cancel_event = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(child_conn, self._cancel_event, factory, model, device),
            name="vaultscribe-asr",
            daemon=True,
        )
        self._process.start()
        child_conn.close()
        self._model_id = ""
        self._device: DeviceInfo | None = None
        self._pipe = threading.Lock()  # one exchange on the pipe at a time: a job, or a live step
        try:
            reply = self._await(progress, cancel or CancelToken(), expect="loaded", failure=errors.ModelError)
        except BaseException:
            self.close()
            raise
        self._model_id, self._device = reply[1], reply[2]

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        assert self._device is not None
        return self._device

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        if not self.alive:
            raise errors.TranscriptionFailed(_DIED.format(code=self._process.exitcode))
        with self._pipe:
            self._cancel_event.clear()
            self._conn.send(("transcribe", audio.num_samples, options))
            reply = self._await(progress, cancel, expect="done", failure=errors.TranscriptionFailed, audio=audio)
        result: AsrTranscript = reply[1]
        return result

    def open_stream(self, options: StreamOptions) -> LiveStream:
        """A live stream decoded in the child; see ``core.asr.live``."""
        self._exchange(("stream_open", options))
        return _ProcessStream(self)

    def _exchange(self, message: tuple[Any, ...]) -> StreamUpdate:
        if not self.alive:
            raise errors.TranscriptionFailed(_DIED.format(code=self._process.exitcode))
        with self._pipe:
            self._conn.send(message)
            reply = self._await(lambda _f: None, CancelToken(), expect="update", failure=errors.TranscriptionFailed)
        update: StreamUpdate = reply[1]
        return update

    def close(self) -> None:
        """Ask the child to quit, and kill it if it does not within a second."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(("quit",))
        self._process.join(1.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(1.0)
        self._conn.close()

    def _await(
        self,
        progress: Progress,
        cancel: CancelToken,
        *,
        expect: str,
        failure: type[errors.VaultScribeError],
        audio: AudioSource | None = None,
    ) -> tuple[Any, ...]:
        """Serve the child's requests until it sends ``expect``; cancel, errors and death end it early."""
        cancelled_at: float | None = None
        while True:
            if cancel.cancelled and cancelled_at is None:
                self._cancel_event.set()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > CANCEL_GRACE_S:
                self._kill()
                raise errors.Cancelled("Cancelled.")
            try:
                ready = self._conn.poll(_POLL_S)
                message = self._conn.recv() if ready else None
            except (EOFError, OSError):
                message = None
                ready = True
            if message is None:
                if ready or not self._process.is_alive():
                    self._process.join(1.0)
                    if cancelled_at is not None:
                        raise errors.Cancelled("Cancelled.")
                    raise failure(_DIED.format(code=self._process.exitcode))
                continue
            kind = message[0]
            if kind == expect:
                return tuple(message)
            if kind == "progress":
                try:
                    progress(message[1])
                except errors.Cancelled:
                    cancel.cancel()
            elif kind == "read" and audio is not None:
                self._conn.send(("audio", np.ascontiguousarray(audio.read(message[1], message[2]), dtype=np.float32)))
            elif kind == "error":
                exc, name = message[1], message[2]
                if isinstance(exc, errors.Cancelled) or cancelled_at is not None:
                    raise errors.Cancelled("Cancelled.")
                if isinstance(exc, errors.VaultScribeError):
                    raise exc
                raise failure(f"{name}: the speech engine stopped with an error.")

    def _kill(self) -> None:
        self._process.kill()
        self._process.join(2.0)


class _ProcessStream:
    def __init__(self, engine: ProcessEngine) -> None:
        self._engine = engine

    def feed(self, samples: np.ndarray) -> StreamUpdate:
        return self._engine._exchange(("stream_feed", np.ascontiguousarray(samples, dtype=np.float32)))

    def finish(self) -> StreamUpdate:
        return self._engine._exchange(("stream_finish",))

    def close(self) -> None:
        if self._engine.alive:
            self._engine._exchange(("stream_close",))


class _PipeSource:
    """The child's view of the recording: each range is asked of the parent when the engine reads it."""

    def __init__(self, conn: Connection, num_samples: int) -> None:
        self._conn = conn
        self._num_samples = num_samples

    @property
    def num_samples(self) -> int:
        return self._num_samples

    def read(self, start: int, count: int) -> np.ndarray:
        self._conn.send(("read", start, count))
        message = self._conn.recv()
        if message[0] != "audio":
            raise EOFError("the parent stopped serving audio")
        samples: np.ndarray = message[1]
        return samples


def _portable(exc: BaseException) -> tuple[str, BaseException | None, str]:
    """Our own errors cross as they are (their messages are written for the user); others by class name
    only, since their text may quote content."""
    keep = exc if isinstance(exc, errors.VaultScribeError) else None
    return ("error", keep, type(exc).__name__)


def _serve(conn: Connection, cancel_event: Any, factory: EngineFactory, model: str | None, device: str) -> None:
    """The child's main loop. It ends when the parent says quit or goes away (the pipe closes)."""
    from core.hardening import disable_core_dumps

    disable_core_dumps()
    send: Callable[[tuple[Any, ...]], None] = conn.send
    cancel = CancelToken(cancel_event)
    try:
        engine = factory(model, device, lambda f: send(("progress", f)))
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of every failure
        send(_portable(exc))
        return
    send(("loaded", engine.model_id, engine.device))
    stream: LiveStream | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0].startswith("stream_"):
            stream = _serve_stream(send, engine, stream, message)
            continue
        if message[0] != "transcribe":
            return
        try:
            result = engine.transcribe(
                _PipeSource(conn, message[1]), message[2], progress=lambda f: send(("progress", f)), cancel=cancel
            )
        except (EOFError, OSError):
            return
        except BaseException as exc:  # noqa: BLE001 - the parent must hear of every failure
            send(_portable(exc))
        else:
            send(("done", result))


def _serve_stream(
    send: Callable[[tuple[Any, ...]], None], engine: Any, stream: LiveStream | None, message: tuple[Any, ...]
) -> LiveStream | None:
    """One live-text message; returns the stream to keep for the next one."""
    from core.asr.live import EMPTY_UPDATE

    try:
        kind = message[0]
        if kind == "stream_open":
            if stream is not None:
                stream.close()
            if not isinstance(engine, StreamingEngine):
                raise errors.ModelError("This speech model cannot show live text.")
            stream = engine.open_stream(message[1])
            send(("update", EMPTY_UPDATE))
        elif stream is None:
            raise errors.UsageError("No live stream is open.")
        elif kind == "stream_feed":
            send(("update", stream.feed(message[1])))
        elif kind == "stream_finish":
            send(("update", stream.finish()))
        else:
            stream.close()
            stream = None
            send(("update", EMPTY_UPDATE))
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of every failure
        send(_portable(exc))
    return stream
