"""Issue 23, round 16: a national phone number whose last group holds six digits (a British mobile said 5-6,
"07700 900123"), read off heldout12's misses. Sentences written for this test, numbers from Ofcom's drama range."""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, both, covered, found


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("Text me on 07700 900456 when you land.", "07700 900456"),
        ("Her mobile, 07700-900817, goes to voicemail.", "07700-900817"),
        ("The surgery's line is 01632 960123, not the old one.", "01632 960123"),
    ],
)
def test_a_national_number_with_six_last_digits_is_a_phone(sentence: str, span: str) -> None:
    for text in both(sentence):
        assert covered(text, span, "PHONE"), (text, DETECTOR.detect(text))


def test_too_many_digits_is_no_phone() -> None:
    for text in both("The batch code is 07700 9004561 on the box."):
        assert not found(text, "PHONE"), (text, DETECTOR.detect(text))
