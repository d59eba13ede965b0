"""The speech engine in a child process, so the app's own process never imports NeMo or torch.

Why: importing NeMo and restoring a model holds Python's GIL for long stretches
(dlopen of the CUDA and torch libraries, unpickling): measured here, the GUI's
event loop stalled for over 500 ms while a thread of the same process loaded the
test model. In a child, the app's threads only wait on a pipe.

Also: a crash or an out-of-memory kill of the model takes the child down, not the
app; and cancelling can end the child at once. The child never touches the vault: it
asks the parent for audio a range at a time (decrypted in the parent, sent over the
pipe, never to disk) and sends back the transcript.

A model file is pickled code, so the child is sandboxed (core.security.sandbox)
once the model file is verified and before it is unpickled: it may read Python,
its packages and that one file, write only a private temp dir the parent made for
it, and reach no network. What it sends back is JSON (core.asr.wire): the parent
never unpickles anything from the child.

Protocol:
    child -> parent (JSON): ("progress", f) | ("loaded", model_id, DeviceInfo, SandboxReport, can_stream)
                     | ("read", start, count) | ("done", AsrTranscript) | ("error", exception or None, class name)
                     | ("update", StreamUpdate)
    parent -> child (pickle): ("transcribe", num_samples, options) | ("audio", ndarray) | ("quit",)
                     | ("stream_open", StreamOptions) | ("stream_feed", ndarray) | ("stream_finish",)
                     | ("stream_close",)

Live text shares the child's one model with transcription jobs: the child keeps the stream's state
between messages, and a lock in the parent lets one exchange use the pipe at a time. While a job
runs, the live feed waits (its tap drops what does not fit, and the offline pass covers it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.asr import wire
from core.asr.engine import AsrTranscript, AudioSource, ConfinedEngineFactory, DeviceInfo, TranscribeOptions
from core.asr.live import CANNOT_STREAM, LiveStream, StreamOptions, StreamUpdate, can_stream
from core.progress import CancelToken, Progress
from core.security import sandbox
from core.security.sandbox import NOT_CONFINED, SandboxReport

#: After a cancel, the child gets this long to stop at its next batch before it is killed.
CANCEL_GRACE_S = 2.0
_POLL_S = 0.05
#: How long a silent child may go before the caller's progress is asked again (to hear a cancel).
_HEARTBEAT_S = 0.25
_DIED = "The speech engine stopped unexpectedly (exit code {code}); the computer may be short of memory."
_GARBLED = "The speech engine sent a message it should not send; it was stopped."
#: Where libraries under NeMo keep caches (numba's compiled librosa functions, matplotlib's fonts, CUDA's
#: kernels, Hugging Face's and NeMo's downloads, which stay off): the sandbox leaves them only the child's
#: private dir, and joblib no semaphores (so no warning that says so).
_CHILD_ENV = {
    "XDG_CACHE_HOME": "cache",
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "HF_HOME": "cache/huggingface",
    "NEMO_CACHE_DIR": "cache/nemo",
    "NUMBA_CACHE_DIR": "cache/numba",
    "MPLCONFIGDIR": "cache/matplotlib",
    "TORCH_HOME": "cache/torch",
    "TRITON_CACHE_DIR": "cache/triton",
    "CUDA_CACHE_PATH": "cache/nv",
}
log = logging.getLogger(__name__)


class ProcessEngine:
    """An ``Engine`` whose model lives in a sandboxed child process. ``alive`` turns False once the child
    is gone (killed on cancel, crashed, or closed); the ``EngineHolder`` then loads a new one."""

    def __init__(
        self,
        factory: ConfinedEngineFactory,
        model: str | None,
        device: str,
        progress: Progress,
        *,
        cancel: CancelToken | None = None,
        temp_root: Path | None = None,
    ) -> None:
        """``factory`` runs in the child and must call its ``confine`` argument with the verified model
        file before reading the file as code; the child confines itself after the factory otherwise.
        ``temp_root``: where the child's private temp dir is made (default: the system's)."""
        # Made here, not in the child, so it is removed even when the child is killed.
        self._temp_dir = Path(tempfile.mkdtemp(prefix="vaultscribe-asr-", dir=temp_root))
        context = multiprocessing.get_context("spawn")  # never fork a process that has Qt threads
        self._conn, child_conn = context.Pipe()
        self._cancel_event = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(child_conn, self._cancel_event, factory, model, device, str(self._temp_dir)),
            name="vaultscribe-asr",
            daemon=True,
        )
        self._model_id = ""
        self._device: DeviceInfo | None = None
        self._sandbox = NOT_CONFINED
        self._can_stream = False
        self._pipe = threading.Lock()  # one exchange on the pipe at a time: a job, or a live step
        try:
            self._process.start()
            child_conn.close()
            reply = self._await(progress, cancel or CancelToken(), expect="loaded", failure=errors.ModelError)
        except BaseException:
            self.close()
            raise
        self._model_id, self._device, self._sandbox, self._can_stream = reply[1], reply[2], reply[3], reply[4]
        log.info("speech engine sandbox: %s", self._sandbox.summary())

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        assert self._device is not None
        return self._device

    @property
    def sandbox(self) -> SandboxReport:
        """Which sandbox layers confine the child, as it reported them once confined."""
        return self._sandbox

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

    @property
    def can_stream(self) -> bool:
        """Whether the child's model can decode a live stream, as the child reported it once loaded."""
        return self._can_stream

    def open_stream(self, options: StreamOptions) -> LiveStream:
        """A live stream decoded in the child; see ``core.asr.live``."""
        if not self._can_stream:
            raise errors.ModelError(CANNOT_STREAM)
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
        """Ask the child to quit, and kill it if it does not within a second; then remove its temp dir."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(("quit",))
        if self._process.pid is not None:
            self._process.join(1.0)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(1.0)
        self._conn.close()
        shutil.rmtree(self._temp_dir, ignore_errors=True)

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
        last, heard_at = 0.0, time.monotonic()
        while True:
            if cancel.cancelled and cancelled_at is None:
                self._cancel_event.set()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > CANCEL_GRACE_S:
                self._kill()
                raise errors.Cancelled("Cancelled.")
            try:
                ready = self._conn.poll(_POLL_S)
                message = wire.decode(self._conn.recv_bytes(wire.MAX_MESSAGE_BYTES)) if ready else None
            except (EOFError, OSError):
                message = None
                ready = True
            except wire.WireError:
                self._kill()
                raise failure(_GARBLED) from None
            if message is None and not ready and cancelled_at is None and time.monotonic() - heard_at > _HEARTBEAT_S:
                # A child busy in one long step (NeMo's ONNX export) sends no progress: the caller's
                # progress is asked again, so a cancel it raises stops the child all the same.
                heard_at = time.monotonic()
                try:
                    progress(last)
                except errors.Cancelled:
                    cancel.cancel()
            if message is None:
                if ready or not self._process.is_alive():
                    self._process.join(1.0)
                    if cancelled_at is not None:
                        raise errors.Cancelled("Cancelled.")
                    raise failure(_DIED.format(code=self._process.exitcode))
                continue
            kind = message[0]
            if kind == expect and cancelled_at is not None:  # it finished within the grace: cancelled all the same
                self._kill()
                raise errors.Cancelled("Cancelled.")
            if kind == expect:
                return tuple(message)
            if kind == "progress":
                last, heard_at = message[1], time.monotonic()
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
            else:
                self._kill()
                raise failure(_GARBLED)

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
        self._conn.send_bytes(wire.encode(("read", start, count)))
        message = self._conn.recv()
        if message[0] != "audio":
            raise EOFError("the parent stopped serving audio")
        samples: np.ndarray = message[1]
        return samples


class _Confiner:
    """The ``confine`` the factory gets: sandboxes the child once, reading only the model file given."""

    def __init__(self, temp_dir: Path, device: str) -> None:
        self.temp_dir = temp_dir
        self.device = device
        self.report: SandboxReport | None = None

    def __call__(self, model_file: Path | None, /, *readable: Path, writable: tuple[Path, ...] = ()) -> None:
        if self.report is not None:
            return
        read, read_write = [*([] if model_file is None else [model_file]), *readable], [self.temp_dir, *writable]
        if self.device != "cpu":  # a GPU may be used: its driver's device nodes and /proc, /sys entries
            gpu_read, gpu_devices = sandbox.gpu_paths()
            read += gpu_read
            read_write += gpu_devices
        self.report = sandbox.confine(read=read, read_write=read_write)
        # From here on HOME is the private dir too: libraries that make folders under it when NeMo imports
        # them (lhotse's ~/.lhotse/tools) make them there. Not before: the sandbox reads the real HOME
        # to keep it out of what the child may read.
        home = self.temp_dir / "home"
        home.mkdir(exist_ok=True)
        os.environ["HOME"] = str(home)


def _portable(exc: BaseException) -> tuple[str, BaseException | None, str]:
    """Our own errors cross as their class and message (written for the user); others by class name
    only, since their text may quote content."""
    keep = exc if isinstance(exc, errors.VaultScribeError) else None
    return ("error", keep, type(exc).__name__)


def _alone(conn: Connection) -> None:
    """Go on in a fork of this process: it has this one thread only. This process waits for it and
    exits as it does; the fork dies with this process, which the parent kills on cancel.

    Why: threads that are already running stay outside a Landlock domain, and unpickling our
    arguments imported numpy, whose OpenBLAS starts threads. fork() copies the calling thread alone.
    """
    middle = os.getpid()
    pid = os.fork()
    if pid == 0:
        sandbox.die_with_parent(signal.SIGKILL)
        if os.getppid() != middle:  # the middle process died before that took effect
            os._exit(1)
        return
    conn.close()  # so the parent sees the pipe close when the fork ends
    # Ctrl-C reaches the whole process group: the fork hears it as the child always did; this waiter must
    # not die of it (and kill the fork with it) or print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed by a signal: die of the same one, so the parent sees the same exit code
        signal.signal(-code, signal.SIG_DFL)
        os.kill(middle, -code)
    os._exit(code)


def _serve(
    conn: Connection, cancel_event: Any, factory: ConfinedEngineFactory, model: str | None, device: str, temp_dir: str
) -> None:
    """The child's main loop. It ends when the parent says quit or goes away (the pipe closes)."""
    from core.hardening import disable_core_dumps
    from core.logs import silence_child_output

    disable_core_dumps()
    silence_child_output()  # NeMo's "telemetry" line and the like: only with --verbose (core.logs)
    if sys.platform == "linux":
        _alone(conn)
    private = Path(temp_dir)
    tempfile.tempdir = temp_dir  # NeMo unpacks the model with tempfile
    os.environ["TMPDIR"] = temp_dir
    os.environ.update({key: str(private / sub) for key, sub in _CHILD_ENV.items()}, JOBLIB_MULTIPROCESSING="0")
    sys.dont_write_bytecode = True  # the package folders are read-only from here on
    send: Callable[[tuple[Any, ...]], None] = lambda message: conn.send_bytes(wire.encode(message))  # noqa: E731
    cancel = CancelToken(cancel_event)
    confine = _Confiner(private, device)
    try:
        engine = factory(model, device, lambda f: send(("progress", f)), confine=confine)
        confine(None)  # a factory that loaded no model file: confined all the same, before any audio
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of every failure
        send(_portable(exc))
        return
    assert confine.report is not None
    send(("loaded", engine.model_id, engine.device, confine.report, can_stream(engine)))
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
        # The vault's temp dir is out of the sandbox's reach: the engine works in the child's own.
        options = dataclasses.replace(message[2], temp_dir=private)
        try:
            result = engine.transcribe(
                _PipeSource(conn, message[1]), options, progress=lambda f: send(("progress", f)), cancel=cancel
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
            if not can_stream(engine):
                raise errors.ModelError(CANNOT_STREAM)
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
