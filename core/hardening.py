"""Process hardening applied at start-up by every entry point (CLI and GUI)."""

from __future__ import annotations

import contextlib


def disable_core_dumps() -> None:
    """A crash must not write the process's memory (keys, audio, text) to disk."""
    try:
        import resource
    except ImportError:  # Windows: no core files to disable
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
