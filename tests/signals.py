"""Signal dispositions for the processes that tests start and then signal.

A shell that starts the suite in the background (``make test &``, a CI step, ``nohup``) sets SIGINT and
SIGQUIT to "ignored" in it, and every process the suite starts inherits that: a Ctrl-C a test sends
would then be ignored, and a test that checks what Ctrl-C does would fail, or pass without testing
anything. So a test that signals a process sets that process's dispositions itself.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals a test sends to ask a process to stop; restored to the system default in the child.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def default_dispositions() -> None:
    """``preexec_fn`` for ``subprocess``: the child starts with the default action for each stop signal
    (a Python child then installs its KeyboardInterrupt handler, as it does when started from a terminal)."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)


@contextmanager
def spawned_with_default_sigint() -> Iterator[None]:
    """For children that ``multiprocessing`` spawns, which take no ``preexec_fn``: while the block runs,
    this (main) thread handles SIGINT with Python's own handler, which exec() turns into the default
    action in the child, whatever this process inherited. The previous handler is put back after."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
