"""Issue 23, round 14 (identifiers, ages, dates): each family written as a grammar and tested on sentences
written for these tests (none from an evaluation set), cased and as lowercase ASR output, with the
benchmark's matching rule.

1. An age over 89 after a person's name, followed by any word that is no unit and no street
   (`core.redaction.age_named`), and said as "a hundred and one".
2. A weekday with a numeric date ("Saturday, 11/16"): the weekday is part of the date.
3. A card number read on into its expiry and code in one breath (`core.redaction.card_tail`).
4. A member number asked for by a bank or a credit union is an account number (`core.redaction.bank_members`).

Left out, known gaps: holidays as dates ("before Christmas": the tuned negatives leave "around Christmas"
unmarked), the last four of a social said after a date of birth, and a PIN said far from its cue.
"""

from __future__ import annotations

import pytest

from core.redaction.types import Entity
from tests.redaction.general import DETECTOR, assert_marked_found, assert_nothing_structured

SENTENCES: list[str] = [
    # 1. An age after a name, with no comma, "is" or "years old".
    "Patient Wilhelmina Osei [AGE|ninety-four] is asking for her glasses again.",
    "Welfare check on Cornelius Varga [AGE|ninety-six] regarding unpaid rent at the trailer park.",
    "Resident Ignatius Mbeki [AGE|ninety two] slept badly and refused breakfast.",
    "Oral testimony from Harriet Gallagher [AGE|ninety-eight] a former schoolteacher from Duluth.",
    "Client Perpetua Lindqvist [AGE|a hundred and three] walks with a frame.",
    "Home visit for Mrs. Evangeline Achebe [AGE|a hundred] and her son.",
    # 2. A weekday and a numeric date.
    "The refill went out on [DATE|Monday, 3/27] and arrived two days later.",
    "We rescheduled to [DATE|Wednesday 10-2-2025] because of the storm.",
    "She rang on [DATE|Thursday, 2/9] about the invoice, or [DATE|Friday 28/02/24].",
    # 3. A card, its expiry and its code in one breath.
    "Go ahead with the card. [CREDIT_DEBIT_NUMBER|4539 1488 0343 6467], [CREDIT_DEBIT_EXPIRY|oh seven, twenty nine],"
    " [CREDIT_DEBIT_CVV|three one two].",
    "Sure, it's [CREDIT_DEBIT_NUMBER|5425 2334 3010 9903], [CREDIT_DEBIT_EXPIRY|eleven, twenty eight], "
    "[CREDIT_DEBIT_CVV|four four one].",
    "Billing desk, go ahead. [CREDIT_DEBIT_NUMBER|6011 0009 9013 9424], [CREDIT_DEBIT_EXPIRY|oh four, forty], "
    "[CREDIT_DEBIT_CVV|seven seven oh].",
    # 4. A bank's or credit union's member number.
    "You've reached Pinecrest Federal Credit Union. What's your member ID? It's [ACCOUNT_NUMBER|5 5 1 9 0 3 8].",
    "Welcome to Harbor Savings Bank, what's your member number? It's [ACCOUNT_NUMBER|4 4 2 1 9 0 6].",
]

NEGATIVES: list[str] = [
    # A name, then a number that is a measure, a count or a house number.
    "We paid Harold ninety dollars for the fence.",
    "The lecture by Patricia Okafor ran ninety minutes.",
    "We met Mrs. Achterberg a hundred yards from the gate.",
    # A pronoun and everyday words before the number: a threshold, not a name and an age.
    "If she falls below ninety systolic, page the registrar.",
    # A weekday beside a score or a fraction.
    "The score on Sunday was 3-1 to the visitors.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_round14_family_is_found(line: str) -> None:
    assert_marked_found(line)


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_structured_find_near_the_round14_grammars(sentence: str) -> None:
    assert_nothing_structured(sentence)


def _spans(text: str) -> list[tuple[str, str]]:
    return [(e.type, text[e.start : e.end]) for e in DETECTOR.detect(text)]


def test_an_age_before_a_street_is_a_house_number() -> None:
    text = "please send the parcel to margaret hollis 95 juniper road by friday"
    assert ("AGE", "95") not in _spans(text)


def test_a_card_tail_splits_only_into_three_exact_parts() -> None:
    text = "gym billing go ahead 6011 7031 9138 6492 oh two thirty five five oh"
    spans = _spans(text)
    assert ("CREDIT_DEBIT_NUMBER", "6011 7031 9138 6492") in spans
    assert ("CREDIT_DEBIT_EXPIRY", "oh two thirty") in spans
    assert ("CREDIT_DEBIT_CVV", "five five oh") in spans


@pytest.mark.parametrize(
    "text",
    [
        "The card ends 4539 1488 0343 6467 forty two",  # no month first
        "the card is 4539 1488 0343 6467 oh seven twenty nine three one two four five",  # a code too long
        "the card is 4539 1488 0343 6467 thirteen twenty nine three one two",  # no month thirteen
    ],
)
def test_no_expiry_or_code_without_the_whole_reading(text: str) -> None:
    types = {t for t, _ in _spans(text)}
    assert not types & {"CREDIT_DEBIT_EXPIRY", "CREDIT_DEBIT_CVV"}, _spans(text)


def test_a_card_failing_luhn_keeps_its_tail() -> None:
    from core.redaction.card_tail import split_card_tails

    text = "card 4539 1488 0343 6468 oh seven twenty nine three one two"
    long = Entity("CREDIT_DEBIT_NUMBER", 5, len(text), 0.9, "crf:id")
    assert split_card_tails([long], text) == [long]


def test_a_health_plan_member_number_stays_a_health_plan_id() -> None:
    text = "Thanks for calling Blue Shield, what's your member number? It's XKP 449 201 8."
    types = {t for t, _ in _spans(text)}
    assert "HEALTH_PLAN_ID" in types
    assert "ACCOUNT_NUMBER" not in types


def test_a_tagged_name_running_on_into_the_age_ends_before_it() -> None:
    from core.redaction.age_named import names_clear_of_ages

    text = "memoir of winifred calloway ninety-five a retired nurse"
    start = text.index("winifred")
    age = text.index("ninety")
    name = Entity("NAME", start, age + len("ninety-five"), 0.9, "crf:name")
    out = names_clear_of_ages([name, Entity("AGE", age, age + 11, 0.8, "context:age_named")], text)
    assert [(e.type, text[e.start : e.end]) for e in out] == [("NAME", "winifred calloway"), ("AGE", "ninety-five")]
