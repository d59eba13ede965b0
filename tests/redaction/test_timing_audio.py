"""Character spans to time spans, interval merging, and the audio mask, without a vault."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Cancelled
from core.progress import CancelToken
from core.redaction.audio import TONE_HZ, TONE_LEVEL, mask
from core.redaction.timing import WordMap, merge_intervals
from core.types import Word

TEXT = "Call Maria Gonzalez, at 555-0147."
WORDS = [Word("call", 0, 300), Word("Maria", 400, 800), Word("Gonzalez,", 900, 1400), Word("at", 1500, 1600),
         Word("555-0147.", 1700, 2900)]  # fmt: skip


def test_a_span_takes_the_times_of_every_word_it_touches() -> None:
    wm = WordMap.build(TEXT, WORDS)
    assert wm.time_span(TEXT.index("Maria"), TEXT.index(",")) == (400, 1400)
    assert wm.time_span(TEXT.index("555"), TEXT.index("555") + 3) == (1700, 2900)  # part of a word: all of it
    assert wm.time_span(TEXT.index("ria"), TEXT.index("ria") + 2) == (400, 800)
    assert wm.time_span(4, 5) is None  # the space between two words


def test_words_the_text_no_longer_holds_are_skipped() -> None:
    edited = "Call Gonzalez at 555-0147."
    wm = WordMap.build(edited, WORDS)
    assert wm.time_span(edited.index("Gonzalez"), edited.index(" at")) == (900, 1400)
    assert wm.time_span(edited.index("555"), len(edited) - 1) == (1700, 2900)


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2_000)), max_size=30), st.integers(0, 300))
def test_merged_intervals_are_sorted_disjoint_and_cover_every_widened_span(
    raw: list[tuple[int, int]], margin: int
) -> None:
    spans = [(a, a + d) for a, d in raw]
    merged = merge_intervals(spans, margin_ms=margin, duration_ms=9_000)
    assert all(a < b <= 9_000 for a, b in merged)
    assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(merged))
    for a, b in spans:
        lo, hi = max(0, a - margin), min(b + margin, 9_000)
        if lo < hi:
            assert any(x <= lo and hi <= y for x, y in merged)


def test_a_negative_margin_is_refused() -> None:
    with pytest.raises(ValueError):
        merge_intervals([(0, 10)], margin_ms=-1)


class Source:
    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples

    @property
    def num_samples(self) -> int:
        return len(self.samples)

    def read(self, start: int, count: int) -> np.ndarray:
        return self.samples[start : start + count]


def test_the_tone_is_continuous_across_blocks_and_the_rest_is_untouched() -> None:
    rate = 16_000
    samples = np.full(25 * rate, 0.25, dtype=np.float32)  # three blocks of 10 s
    out: list[bytes] = []
    seen: list[float] = []
    written = mask(Source(samples), out.append, [(9_500, 10_500), (24_000, 30_000)], progress=seen.append)
    result = np.frombuffer(b"".join(out), dtype="<f4")
    assert written == len(result) == len(samples) and seen[-1] == 1.0
    span = result[9_500 * 16 : 10_500 * 16]
    expected = TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * np.arange(9_500 * 16, 10_500 * 16) / rate)
    assert np.allclose(span, expected, atol=1e-6)  # no phase jump at the 10 s block edge
    assert np.all(result[:9_500 * 16] == 0.25) and np.all(result[10_500 * 16 : 24_000 * 16] == 0.25)
    assert np.max(np.abs(result[24_000 * 16 :])) <= TONE_LEVEL + 1e-6  # clipped at the end of the audio


def test_mask_honours_cancel_and_refuses_an_unknown_mode() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        mask(Source(np.zeros(100, dtype=np.float32)), lambda _b: None, [], cancel=token)
    with pytest.raises(ValueError):
        mask(Source(np.zeros(100, dtype=np.float32)), lambda _b: None, [], mode="beep")


def test_a_short_word_is_not_found_inside_a_longer_one() -> None:
    text = "that cat sat at home"
    wm = WordMap.build(text, [Word("that", 0, 100), Word("at", 500, 600), Word("home", 700, 900)])
    assert wm.starts == (0, text.index(" at ") + 1, text.index("home"))
