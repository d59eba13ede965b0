"""Exponential back-off over the failure history: 1 s, 2 s, 4 s … capped at 300 s."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.security.backoff import CAP_S, BackoffState, delay_after


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (-1, 0.0),
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
        (3, 4.0),
        (4, 8.0),
        (5, 16.0),
        (6, 32.0),
        (7, 64.0),
        (8, 128.0),
        (9, 256.0),
    ],
)
def test_delays_double_from_one_second(failures: int, delay: float) -> None:
    assert delay_after(failures) == delay


@pytest.mark.parametrize("failures", [10, 11, 17, 18, 100, 10_000, 10**9])
def test_delay_is_capped_at_five_minutes(failures: int) -> None:
    assert CAP_S == 300.0
    assert delay_after(failures) == 300.0


@given(st.integers(min_value=0, max_value=10**6))
def test_delay_is_monotonic_and_bounded(failures: int) -> None:
    assert 0.0 <= delay_after(failures) <= delay_after(failures + 1) <= CAP_S


def test_no_failure_means_no_wait() -> None:
    state = BackoffState(failures=0, last_failure_ms=None, limit=10)
    assert state.retry_after_s(1_000) == 0.0
    assert not state.recovery_only


@pytest.mark.parametrize(
    ("failures", "elapsed_ms", "expected"),
    [
        (1, 0, 1.0),
        (1, 250, 0.75),
        (1, 999, 0.001),
        (1, 1000, 0.0),
        (1, 5000, 0.0),
        (3, 0, 4.0),
        (3, 1500, 2.5),
        (3, 4000, 0.0),
        (12, 0, 300.0),
        (12, 299_000, 1.0),
        (12, 300_000, 0.0),
    ],
)
def test_retry_after_counts_down_from_the_last_failure(failures: int, elapsed_ms: int, expected: float) -> None:
    last = 1_700_000_000_000
    state = BackoffState(failures=failures, last_failure_ms=last, limit=100)
    assert state.retry_after_s(last + elapsed_ms) == pytest.approx(expected)


def test_retry_after_never_goes_negative_and_handles_clock_going_back() -> None:
    state = BackoffState(failures=2, last_failure_ms=10_000, limit=10)
    assert state.retry_after_s(10**12) == 0.0
    # a clock set back makes the wait longer, never shorter
    assert state.retry_after_s(5_000) == pytest.approx(7.0)


@pytest.mark.parametrize(
    ("failures", "limit", "only"), [(0, 3, False), (2, 3, False), (3, 3, True), (4, 3, True), (1, 1, True)]
)
def test_recovery_only_at_the_limit(failures: int, limit: int, only: bool) -> None:
    assert BackoffState(failures=failures, last_failure_ms=0, limit=limit).recovery_only is only
