"""Exponential back-off for failed unlocks: 1 s, 2 s, 4 s … capped at 5 min.

Pure functions over the failure history, which lives in the pre-unlock log and
so survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass

CAP_S = 300.0


def delay_after(failures: int) -> float:
    if failures <= 0:
        return 0.0
    return min(CAP_S, float(2 ** min(failures - 1, 16)))


@dataclass(frozen=True)
class BackoffState:
    failures: int
    last_failure_ms: int | None
    limit: int

    def retry_after_s(self, now_ms: int) -> float:
        if self.last_failure_ms is None:
            return 0.0
        ready_ms = self.last_failure_ms + int(delay_after(self.failures) * 1000)
        return max(0.0, (ready_ms - now_ms) / 1000.0)

    @property
    def recovery_only(self) -> bool:
        return self.failures >= self.limit
