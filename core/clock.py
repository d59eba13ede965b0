"""Injected time and randomness. Nothing in the core reads the wall clock or
``secrets`` directly, so tests can pin both."""

from __future__ import annotations

import secrets
import time
from typing import Protocol


class Clock(Protocol):
    def now_ms(self) -> int: ...

    def monotonic_s(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def monotonic_s(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Random(Protocol):
    def bytes(self, n: int) -> bytes: ...


class SystemRandom:
    def bytes(self, n: int) -> bytes:
        return secrets.token_bytes(n)


class FakeClock:
    """A clock for tests: time moves only when told to."""

    def __init__(self, now_ms: int = 1_700_000_000_000) -> None:
        self._now_ms = now_ms

    def now_ms(self) -> int:
        return self._now_ms

    def monotonic_s(self) -> float:
        return self._now_ms / 1000.0

    def advance(self, seconds: float) -> None:
        self._now_ms += int(seconds * 1000)

    def sleep(self, seconds: float) -> None:
        """Waiting is time passing, at once."""
        self.advance(seconds)
