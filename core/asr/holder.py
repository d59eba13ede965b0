"""The one loaded speech engine, shared by every transcription in the process.

Loading imports NeMo and restores the model: seconds on a GPU machine, up to a minute on a laptop.
So it happens once, on whichever worker thread first needs it, reporting progress to whoever is
waiting; the GUI shows that as "Loading the speech model…" off its own thread. Asking for another
model or device drops the old engine before loading the new one: two Parakeets may not fit in memory.
"""

from __future__ import annotations

import threading

from core.asr.engine import DEFAULT_MODEL_ID, Engine, EngineFactory
from core.progress import Progress, no_progress


class EngineHolder:
    def __init__(self, factory: EngineFactory) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        #: ((model, device), engine), replaced whole, never changed in place: `loaded` reads it unlocked.
        self._held: tuple[tuple[str, str], Engine] | None = None

    def get(self, model: str | None, device: str, progress: Progress = no_progress) -> Engine:
        """The engine for (model, device), loading it if it is not the one held. Thread-safe: a second
        caller waits for the first load instead of starting another."""
        with self._lock:
            engine = self.loaded(model, device)
            if engine is None:
                self._close()
                engine = self._factory(model, device, progress)
                self._held = ((model or DEFAULT_MODEL_ID, device), engine)
            progress(1.0)
            return engine

    @property
    def current(self) -> Engine | None:
        held = self._held
        return None if held is None else held[1]

    def loaded(self, model: str | None, device: str) -> Engine | None:
        """The engine for (model, device) if it is loaded and alive now, else None. Never waits, never
        loads: the GUI thread asks it what the model can do while another thread may be loading one."""
        held = self._held
        if held is None or held[0] != (model or DEFAULT_MODEL_ID, device) or not held[1].alive:
            return None
        return held[1]

    def release(self) -> None:
        """Forget the engine (at exit, or to free GPU memory); the next `get` loads again."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        engine, self._held = self.current, None
        if engine is not None:
            engine.close()  # a ProcessEngine ends its child process
