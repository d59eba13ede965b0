"""The vault worker: the only thread that touches the Session, and the way back to the GUI thread.

The session is stateful and not thread-safe, and unlocking runs Argon2 for
about a second, so every session call runs here, one at a time, and never on
the GUI thread. Results and errors come back through ``run_on_main``.

    worker.op(parent, lambda s: s.unlock(p, code)).success(on_ok).failure(on_err).run()
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from queue import SimpleQueue
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QWidget

from app.errors import show_error
from core.errors import Cancelled
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
        self._pending: dict[int, Callable[[Future[Any]], None]] = {}
        self._tickets = itertools.count()
        self._closed = False

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` later on the GUI thread; callable from any thread."""
        self._main.post(fn)

    def submit(self, fn: Callable[[Session], T], on_done: Callable[[Future[T]], None]) -> None:
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
        future = self._pool.submit(fn, self._session)
        future.add_done_callback(lambda f: self.run_on_main(lambda: self._deliver(ticket, f)))

    def _deliver(self, ticket: int, future: Future[Any]) -> None:
        on_done = self._pending.pop(ticket, None)
        if on_done is not None and not self._closed:  # after shutdown the windows are going away
            on_done(future)

    def op(self, parent: QWidget | None, fn: Callable[[Session], T]) -> VaultOp[T]:
        return VaultOp(parent, fn, worker=self)

    def shutdown(self) -> None:
        """Lock the vault, which wipes its keys, and wait for the thread to end."""
        if self._closed:
            return
        self._closed = True
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
