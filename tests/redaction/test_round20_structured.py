"""Issue 23, round 20 (every type but names, read in scenes): sentences written for this file (none from a set),
cased and as lowercase ASR output without punctuation.

1. A card's expiry and code asked for together ("the expiry and the three digits on the back?", "confirm the
   expiration and security code"): the answer is the month and year, then the code (`core.redaction.expiry`),
   said in any of the ways a month and year are ("oh four, twenty-nine", "twelve thirty", "seven twenty-eight",
   "03/31"), with or without "and" before the code, the code maybe named after the expiry instead.
2. A value said again later in the recording, with other words between: read back, confirmed, checked, or read
   back with the rest of the card (`core.redaction.echoes`); it takes the type of the find it repeats.
3. A new PIN chosen a clause or a turn after the PIN is named, the code the object of the choice ("make it ...",
   "set it to ...", "I'll say it, ..."), wherever the sentence ends.
"""

from __future__ import annotations

import pytest

from core.redaction.echoes import echoes
from core.redaction.id_tagger import ID_TAGGER
from core.redaction.types import Detector, Entity
from models.name_tagger import product_detector
from tests.data.redaction_eval import normalise
from tests.redaction.general import DETECTOR, assert_marked_found, assert_nothing_structured


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


# 2. A value said again later in the recording, with other words between (`core.redaction.echoes`).
ECHOES: list[str] = [
    "The serial on the pump is [DEVICE_ID|7730 2291 48], can you check the sticker? Hang on, yes, it says "
    "[DEVICE_ID|seven seven three oh, two two nine one, four eight] too.",
    "Her new passcode is [PIN|6 0 3 8], she wrote it on a card, which I told her not to do. So [PIN|6038], "
    "and she'll change it.",
    "The IMEI is [DEVICE_ID|49 015420 323751 8], does it match the one on the box? Let me look, the box says "
    "[DEVICE_ID|490154203237518].",
    "Account [ACCOUNT_NUMBER|3390 1127 4406], give me a second to pull it up, okay, "
    "[ACCOUNT_NUMBER|three three nine oh, one one two seven, four four oh six], got it.",
    "The card is 4539 1488 0343 6467, expires [CREDIT_DEBIT_EXPIRY|10/29], security code [CREDIT_DEBIT_CVV|557]. "
    "Reading that back, ending [CREDIT_DEBIT_NUMBER|6467], [CREDIT_DEBIT_EXPIRY|ten twenty-nine], "
    "[CREDIT_DEBIT_CVV|five five seven].",
]


@pytest.mark.parametrize("line", ECHOES)
def test_round20_a_value_said_again_later(line: str) -> None:
    assert_marked_found(line)


def test_round20_a_fax_read_back_stays_a_fax() -> None:
    text = "Please fax the referral to (415) 555-0182. So four one five, five five five, oh one eight two? Yes."
    for version in (text, normalise(text)):
        types = {e.type for e in DETECTOR.detect(version) if e.type in ("PHONE", "FAX")}
        assert types == {"FAX"}, version


def test_round20_a_guess_retypes_nothing_said_again() -> None:
    """The identifier tagger's type for the first saying is a guess: it marks an unfound repeat but does not overrule
    another type found on it, and a month and year that is no month ("61 27") is no expiry's key."""
    text = "mine is 61 27 and hers is 40 88, reading back six one two seven and four oh eight eight"
    first = Entity("CREDIT_DEBIT_EXPIRY", 8, 13, 0.6, ID_TAGGER)
    second = Entity("SSN", 26, 31, 0.6, ID_TAGGER)
    again = Entity("SSN", 46, 63, 0.6, ID_TAGGER)
    assert text[again.start : again.end] == "six one two seven"
    out = echoes([first, second, again], text)
    assert [(e.type, text[e.start : e.end]) for e in out] == [
        ("CREDIT_DEBIT_EXPIRY", "61 27"),
        ("SSN", "40 88"),
        ("SSN", "six one two seven"),
        ("SSN", "four oh eight eight"),
    ]


def test_round20_a_read_back_list_the_tagger_took_whole_is_split() -> None:
    """The identifier tagger takes a card read back as one code ("6467, ten twenty-nine, five five seven"): the rules'
    finds it repeats split it into the card's end, its expiry and its code."""
    text = "card 4539 1488 0343 6467, exp 10/29, code 557. ending 6467, ten twenty-nine, five five seven, thanks"
    card = Entity("CREDIT_DEBIT_NUMBER", 5, 24, 0.95, "pattern:credit_card")
    expiry = Entity("CREDIT_DEBIT_EXPIRY", 30, 35, 0.9, "context:expiry")
    code = Entity("CREDIT_DEBIT_CVV", 42, 45, 0.9, "context:cvv")
    guess = Entity("CREDIT_DEBIT_CVV", 54, 92, 0.7, ID_TAGGER)
    assert text[guess.start : guess.end] == "6467, ten twenty-nine, five five seven"
    out = echoes([card, expiry, code, guess], text)
    assert [(e.type, text[e.start : e.end]) for e in out][3:] == [
        ("CREDIT_DEBIT_NUMBER", "6467"),
        ("CREDIT_DEBIT_EXPIRY", "ten twenty-nine"),
        ("CREDIT_DEBIT_CVV", "five five seven"),
    ]


ECHO_NOTHING: list[str] = [
    # The same digits said as an amount or a count are a part of a longer run, or no key is found.
    "She paid 4 0 2 dollars at the desk, and later 402 more for the room.",
    "We counted 1 1 2 9 boxes on Monday and 1129 again on Friday.",
]


@pytest.mark.parametrize("sentence", ECHO_NOTHING)
def test_round20_a_repeated_number_alone_is_no_identifier(sentence: str) -> None:
    assert_nothing_structured(sentence)


# 3. A PIN chosen.
PIN_CHOSEN: list[str] = [
    "You'll need a PIN for the pharmacy line. It didn't take, so we'll set up a new one. Right, make it "
    "[PIN|six one four four]. [PIN|Six one four four], done.",
    "Choose the PIN you want for the card, or say it out loud. I'll say it, [PIN|double two, double nine].",
    "Your passcode is locked, I can reset it, what would you like instead? Set it to [PIN|3 0 5 8] please.",
]


@pytest.mark.parametrize("line", PIN_CHOSEN)
def test_round20_a_pin_chosen(line: str) -> None:
    assert_marked_found(line)


PIN_NOTHING: list[str] = [
    "The PIN pad at the clinic broke, so make it 2 tablets at 10 30 instead.",
    "Did you reset the PIN? Yes, and the dose, make it 1000 mg at night.",
    "He forgot his PIN again, so I said make it a habit to write it down by 2025.",
]


@pytest.mark.parametrize("sentence", PIN_NOTHING)
def test_round20_no_pin_is_invented(sentence: str) -> None:
    assert_nothing_structured(sentence)
