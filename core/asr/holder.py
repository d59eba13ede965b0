"""The one loaded speech engine, shared by every transcription in the process.

Loading imports NeMo and restores the model: seconds on a GPU machine, up to a minute on a laptop.
So it happens once, on whichever worker thread first needs it, reporting progress to whoever is
waiting; the GUI shows that as "Loading the speech model…" off its own thread. Asking for another
model or device drops the old engine before loading the new one: two Parakeets may not fit in memory.
"""

from __future__ import annotations

import threading

from core.asr.engine import DEFAULT_MODEL_ID, Engine, EngineFactory
from core.jobs import Progress, no_progress


class EngineHolder:
    def __init__(self, factory: EngineFactory) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None
        self._engine: Engine | None = None

    def get(self, model: str | None, device: str, progress: Progress = no_progress) -> Engine:
        """The engine for (model, device), loading it if it is not the one held. Thread-safe: a second
        caller waits for the first load instead of starting another."""
        key = (model or DEFAULT_MODEL_ID, device)
        with self._lock:
            if self._engine is None or self._key != key or not getattr(self._engine, "alive", True):
                self._close()
                self._engine = self._factory(model, device, progress)
                self._key = key
            progress(1.0)
            return self._engine

    @property
    def current(self) -> Engine | None:
        return self._engine

    def release(self) -> None:
        """Forget the engine (at exit, or to free GPU memory); the next `get` loads again."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        engine, self._engine, self._key = self._engine, None, None
        close = getattr(engine, "close", None)  # a ProcessEngine ends its child process
        if close is not None:
            close()
