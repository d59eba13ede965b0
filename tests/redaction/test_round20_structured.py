"""Issue 23, round 20 (every type but names, read in scenes): sentences written for this file (none from a set),
cased and as lowercase ASR output without punctuation.

1. A card's expiry and code asked for together ("the expiry and the three digits on the back?", "confirm the
   expiration and security code"): the answer is the month and year, then the code (`core.redaction.expiry`),
   said in any of the ways a month and year are ("oh four, twenty-nine", "twelve thirty", "seven twenty-eight",
   "03/31"), with or without "and" before the code, the code maybe named after the expiry instead.
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.data.redaction_eval import normalise
from tests.redaction.general import assert_marked_found, assert_nothing_structured


@pytest.fixture(scope="module")
def product() -> Detector:
    return product_detector()


PAIRS: list[str] = [
    "Can I get the expiry and the three digits on the back? [CREDIT_DEBIT_EXPIRY|Oh four, twenty-nine], and "
    "[CREDIT_DEBIT_CVV|seven one six].",
    "Please confirm the expiration and security code. [CREDIT_DEBIT_EXPIRY|Twelve thirty], then "
    "[CREDIT_DEBIT_CVV|two two eight].",
    "I just need the card's expiry and CVV. It's [CREDIT_DEBIT_EXPIRY|seven twenty-eight], "
    "[CREDIT_DEBIT_CVV|nine oh four].",
    "What's the expiry date and the code? [CREDIT_DEBIT_EXPIRY|03/31] and [CREDIT_DEBIT_CVV|5 5 9].",
    "Expiry and security code, please. Um, [CREDIT_DEBIT_EXPIRY|zero one thirty-two], and the code is "
    "[CREDIT_DEBIT_CVV|one four four].",
    "The expiration date, the code, and the last four of your card? [CREDIT_DEBIT_EXPIRY|Eleven, twenty-nine], "
    "[CREDIT_DEBIT_CVV|six zero two], and 3318.",
]


@pytest.mark.parametrize("line", PAIRS)
def test_round20_an_expiry_and_code_asked_together(line: str) -> None:
    assert_marked_found(line)


@pytest.mark.parametrize(
    ("text", "expiry", "code"),
    [
        (
            "Visa, right, expiry and the three digits on the back? Oh six, twenty-nine, and four one eight.",
            "Oh six, twenty-nine",
            "four one eight",
        ),
        (
            "Just confirm the expiration and security code for me. Nine thirty-one, and two oh seven.",
            "Nine thirty-one",
            "two oh seven",
        ),
    ],
)
def test_round20_the_pair_stands_against_the_taggers_one_number(
    product: Detector, text: str, expiry: str, code: str
) -> None:
    for version in (text, normalise(text)):
        found = [(e.type, normalise(version[e.start : e.end])) for e in product.detect(version)]
        assert ("CREDIT_DEBIT_EXPIRY", normalise(expiry)) in found, (version, found)
        assert ("CREDIT_DEBIT_CVV", normalise(code)) in found, (version, found)


NOTHING: list[str] = [
    # Not an expiry's month and year: a count, a time, an amount, a day.
    "The expiry and the code on the back were smudged, so we waited 45 minutes.",
    "Check the expiration and security code rules in section 12 before the audit.",
    "The expiry and code review starts at 10 30 on Monday.",
    "The milk's expiry and the code on the lid say nothing useful, it cost 2 dollars.",
]


@pytest.mark.parametrize("sentence", NOTHING)
def test_round20_no_identifier_is_invented(sentence: str) -> None:
    assert_nothing_structured(sentence)
