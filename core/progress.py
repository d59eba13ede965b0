"""What long operations take besides their input: a progress sink and a cancel token.

The core never calls into Qt: it reports progress through a plain callable and
checks a flag to cancel. The GUI polls or forwards both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from core.errors import Cancelled

#: Receives the fraction done, 0.0 to 1.0.
Progress = Callable[[float], None]


def no_progress(_fraction: float) -> None:
    return None


def part_of(progress: Progress, index: int, count: int) -> Progress:
    """Progress of item ``index`` of ``count`` (a job of a batch, a file of an import) as a fraction of the
    whole."""
    return lambda fraction: progress((index + fraction) / count)


class _Flag(Protocol):
    def set(self) -> None: ...

    def is_set(self) -> bool: ...


class CancelToken:
    def __init__(self, event: _Flag | None = None) -> None:
        """``event``: a flag shared with another process (a ``multiprocessing`` Event), if any."""
        self._event: _Flag = event if event is not None else threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled.")
