"""The vault worker: the threads that call the Session, and the way back to the GUI thread.

No session call runs on the GUI thread. Short calls (unlock, which runs Argon2
for about a second, lists, searches, reviews) run one at a time on the "vault"
thread. Long work (import, transcription, audio redaction) runs as a ``Task``
on the "jobs" thread, with progress, an ETA and a cancel token, so the library
stays usable meanwhile; the session serialises their database use. Results and
errors come back through ``run_on_main``.

    worker.op(parent, lambda s: s.unlock(p, code)).success(on_ok).failure(on_err).run()
    worker.task("Importing a.wav", lambda s, rep, cancel: s.recordings.import_audio(path, cancel=cancel, progress=rep))
"""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from queue import SimpleQueue
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QWidget

from app.errors import show_error
from core.errors import Cancelled
from core.progress import CancelToken
from core.session import Session

T = TypeVar("T")


class _MainThreadCaller(QObject):
    """Lives on the GUI thread. Callables wait in a queue; a queued call of ``_run_next`` runs each there.

    Not a signal emitted from Python: PySide6 6.12's ``SignalInstance.emit``
    returns ``True`` without a reference, and on CPython 3.11 every call
    drains ``True``'s refcount until the interpreter aborts.
    """

    def __init__(self) -> None:
        super().__init__()
        self._queue: SimpleQueue[Callable[[], None]] = SimpleQueue()

    def post(self, fn: Callable[[], None]) -> None:
        self._queue.put(fn)
        QMetaObject.invokeMethod(self, "_run_next", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _run_next(self) -> None:
        self._queue.get_nowait()()  # calls and queue are both FIFO: one call, one callable


def settle_heap() -> None:
    """Sets every object alive now aside from the cyclic collector (`gc.freeze`).

    Call it once what it holds will live as long as the app: Qt and the app's modules after
    start-up, Presidio and spaCy after they first load. A full collection walks every tracked
    object, and it runs on the GUI thread (`MainThreadGC`): with Presidio loaded it took about
    90 ms on a 2-core machine, enough to stall the window. Frozen objects are still freed by
    reference counting; only cycles among them stay, and modules are not garbage.
    """
    gc.freeze()


class MainThreadGC:
    """Runs Python's cyclic garbage collector on the GUI thread only, while started.

    Left automatic, the collector runs in whichever thread happens to allocate,
    often the vault worker. If it frees a Qt wrapper there, shiboken deletes
    the C++ object from that thread and Qt crashes. So automatic collection is
    off while worker threads live, and a timer collects here instead, by the
    same per-generation thresholds.
    """

    def __init__(self, *, interval_ms: int = 500) -> None:
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def collect(self) -> None:
        thresholds, counts = gc.get_threshold(), gc.get_count()
        if counts[0] > thresholds[0]:
            gc.collect(2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0)

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()


class VaultWorker:
    """One single-thread executor that owns the session. Create it on the GUI thread."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault")
        self._main = _MainThreadCaller()
        self._jobs_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        self._pending: dict[int, Callable[[Future[Any]], None]] = {}
        self._tickets = itertools.count()
        self._closed = False
        self.tasks: list[Task[Any]] = []  # every task of this run, oldest first; the jobs view shows them
        self._task_listeners: list[Callable[[], None]] = []

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` later on the GUI thread; callable from any thread."""
        self._main.post(fn)

    def submit(self, fn: Callable[[Session], T], on_done: Callable[[Future[T]], None], *, long: bool = False) -> None:
        """Run ``fn(session)`` on the worker, then ``on_done(future)`` on the GUI thread. Call on the GUI thread.

        ``fn`` must capture plain values, never widgets, and ``on_done`` stays
        on this side, found again by a ticket: if the last reference to a
        widget were dropped on the worker thread, shiboken would delete it
        from there and crash.
        """
        if self._closed:
            raise RuntimeError("the vault worker was shut down")
        ticket = next(self._tickets)
        self._pending[ticket] = on_done
        future = (self._jobs_pool if long else self._pool).submit(fn, self._session)
        future.add_done_callback(lambda f: self.run_on_main(lambda: self._deliver(ticket, f)))

    def _deliver(self, ticket: int, future: Future[Any]) -> None:
        on_done = self._pending.pop(ticket, None)
        if on_done is not None and not self._closed:  # after shutdown the windows are going away
            on_done(future)

    def op(self, parent: QWidget | None, fn: Callable[[Session], T]) -> VaultOp[T]:
        return VaultOp(parent, fn, worker=self)

    # -- long work -------------------------------------------------------------------

    def task(self, title: str, fn: Callable[[Session, Callable[..., None], CancelToken], T]) -> Task[T]:
        """Queue long work on the jobs thread; ``fn(session, report, cancel)`` calls ``report(fraction,
        phase=None)`` as it goes. Connect the returned task's callbacks before control returns to Qt."""
        task: Task[T] = Task(title, fn, worker=self)
        self.tasks.append(task)
        self.tasks_changed()
        self.submit(task.run_in_worker, task.finish, long=True)
        return task

    def on_tasks_changed(self, listener: Callable[[], None]) -> None:
        self._task_listeners.append(listener)

    def remove_tasks_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._task_listeners:
            self._task_listeners.remove(listener)

    def tasks_changed(self) -> None:
        for listener in list(self._task_listeners):
            listener()

    @property
    def busy(self) -> bool:
        return any(not t.done for t in self.tasks)

    def cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()

    def after_tasks(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the GUI thread once every task queued so far has ended."""
        self.submit(lambda _s: None, lambda _f: fn(), long=True)

    def clear_finished(self) -> None:
        self.tasks = [t for t in self.tasks if not t.done]
        self.tasks_changed()

    def shutdown(self) -> None:
        """Cancel long work, lock the vault (which wipes its keys), and wait for the threads to end."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        self._jobs_pool.shutdown(wait=True, cancel_futures=True)
        self._pool.submit(self._session.lock)
        self._pool.shutdown(wait=True)
        self._pending.clear()


class VaultOp(Generic[T]):
    """A session call on the worker, with callbacks on the GUI thread.

    Callbacks are dropped if ``parent`` was deleted meanwhile. Without a
    failure callback the error is shown in a message box; ``Cancelled`` is
    ignored quietly.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[Session], T], *, worker: VaultWorker) -> None:
        self._parent = parent
        self._fn = fn
        self._worker = worker
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[Exception], Any] | None = None

    def success(self, callback: Callable[[T], Any]) -> VaultOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], Any]) -> VaultOp[T]:
        self._on_failure = callback
        return self

    def run(self) -> None:
        self._worker.submit(self._fn, self._finish)

    def _finish(self, future: Future[T]) -> None:
        if self._parent is not None and not shiboken6.isValid(self._parent):
            return
        exc = future.exception()
        if exc is None:
            if self._on_success is not None:
                self._on_success(future.result())
        elif isinstance(exc, Cancelled):
            return
        elif not isinstance(exc, Exception):
            raise exc
        elif self._on_failure is not None:
            self._on_failure(exc)
        else:
            show_error(self._parent, exc)


#: Progress crosses to the GUI thread at most this often, so a chatty job cannot flood the event loop.
REPORT_EVERY_S = 0.1


class Task(Generic[T]):
    """Long work on the jobs thread: progress with an ETA, a phase line, and cancel.

    ``state`` is queued, running, done, failed or cancelled. ``on_done`` and
    ``on_failed`` callbacks run on the GUI thread; a failure with no callback is
    shown in a message box. Listeners of the worker hear of every change.
    """

    def __init__(
        self,
        title: str,
        fn: Callable[[Session, Callable[..., None], CancelToken], T],
        *,
        worker: VaultWorker,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.title = title
        self._fn = fn
        self._worker = worker
        self._monotonic = monotonic
        self.cancel_token = CancelToken()
        self.state = "queued"
        self.fraction = 0.0
        self.phase = ""
        self.error: Exception | None = None
        self.result: T | None = None
        self._started_s: float | None = None
        self._posted_s = 0.0
        self._on_done: list[Callable[[T], Any]] = []
        self._on_failed: list[Callable[[Exception], Any]] = []

    @property
    def done(self) -> bool:
        return self.state in ("done", "failed", "cancelled")

    def on_done(self, callback: Callable[[T], Any]) -> Task[T]:
        self._on_done.append(callback)
        return self

    def on_failed(self, callback: Callable[[Exception], Any]) -> Task[T]:
        self._on_failed.append(callback)
        return self

    def cancel(self) -> None:
        if not self.done:
            self.cancel_token.cancel()
            self.phase = "Cancelling…"
            self._worker.tasks_changed()

    def eta_s(self) -> float | None:
        """Seconds left, from the pace so far; None until there is a pace to go by."""
        if self.state != "running" or self._started_s is None or self.fraction < 0.02:
            return None
        elapsed = self._monotonic() - self._started_s
        return max(0.0, elapsed * (1.0 - self.fraction) / self.fraction)

    # -- on the jobs thread ------------------------------------------------------------

    def run_in_worker(self, session: Session) -> T:
        self.cancel_token.raise_if_cancelled()
        self._worker.run_on_main(self._started)
        return self._fn(session, self._report, self.cancel_token)

    def _report(self, fraction: float, phase: str | None = None) -> None:
        self.cancel_token.raise_if_cancelled()
        now = self._monotonic()
        if phase is None and now - self._posted_s < REPORT_EVERY_S and fraction < 1.0:
            self.fraction = fraction  # read by the next post; a float store is atomic
            return
        self._posted_s = now
        self._worker.run_on_main(lambda: self._progressed(fraction, phase))

    # -- on the GUI thread -------------------------------------------------------------

    def _started(self) -> None:
        if self.state == "queued":
            self.state = "running"
            self._started_s = self._monotonic()
            self._worker.tasks_changed()

    def _progressed(self, fraction: float, phase: str | None) -> None:
        if self.done:
            return
        self.fraction = max(self.fraction, min(1.0, fraction))
        if phase is not None:
            self.phase = phase
            if fraction == 0.0:  # a new phase starts its own clock, so the ETA is of this phase
                self.fraction, self._started_s = 0.0, self._monotonic()
        self._worker.tasks_changed()

    def finish(self, future: Future[T]) -> None:
        exc = future.exception()
        if exc is None:
            self.state, self.fraction, self.phase, self.result = "done", 1.0, "", future.result()
            self._worker.tasks_changed()
            for callback in self._on_done:
                callback(future.result())
            return
        if isinstance(exc, (Cancelled, KeyboardInterrupt)) or (
            self.cancel_token.cancelled and not isinstance(exc, Exception)
        ):
            self.state, self.phase = "cancelled", ""
            self._worker.tasks_changed()
            return
        if not isinstance(exc, Exception):
            raise exc
        self.state, self.error, self.phase = "failed", exc, ""
        self._worker.tasks_changed()
        if self._on_failed:
            for fail in self._on_failed:
                fail(exc)
        else:
            show_error(None, exc)
