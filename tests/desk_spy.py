"""Counts the calls a front end makes into the core: each of the session's desks (``session.jobs``,
``session.recordings``…) is swapped for a stand-in that notes ``"desk.method"`` and forwards the call.

The desks keep their references to each other, so what a desk does inside the core is not counted: only
what the front end asked for. Issue 24: a user action is one call into the core.
"""

from __future__ import annotations

from typing import Any

from core.session import Session


class _DeskSpy:
    def __init__(self, name: str, desk: object, calls: list[str]) -> None:
        self._name, self._desk, self._calls = name, desk, calls

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._desk, attr)
        if attr.startswith("_") or not callable(value) or isinstance(value, type):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(f"{self._name}.{attr}")
            return value(*args, **kwargs)

        return call


def spy_on_desks(session: Session) -> list[str]:
    """Swap every desk of ``session`` for a spy; returns the list the calls are noted in, in order."""
    calls: list[str] = []
    desks = [name for name, value in vars(session).items() if not name.startswith("_") and _is_desk(value)]
    assert {"recordings", "jobs", "review", "transcripts"} <= set(desks), desks
    for name in desks:
        setattr(session, name, _DeskSpy(name, getattr(session, name), calls))
    return calls


def _is_desk(value: object) -> bool:
    return type(value).__name__.endswith("Desk")
