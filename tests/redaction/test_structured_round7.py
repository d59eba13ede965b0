"""Issue 23, round 7: the general causes behind the structured misses of the unsealed set `heldout7`, each
written as a family and tested here on sentences written for these tests, none taken from an evaluation
set. Each is checked cased and as lowercase ASR output without punctuation, with the benchmark's matching
rule (a find of the type over at least half of the marked span).

Left out, known gaps: place names with no street type and no gazetteer entry ("grew up in Treme", "the
bakery on Delancey"), corners of two bare street names, postcodes spelled in NATO words, IDs read letter
by letter with no noun in the sentence, an age as an appositive after a lowercase name, and an age after
"oh" in lowercase text (the spoken view reads "oh ninety-three" as one number, 093).
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, assert_marked_found, marked_cases

SENTENCES: list[str] = [
    # The last four of a card, phone or account named earlier, however many words stand between.
    "She said the charge hit her credit card, the one that ends with [CREDIT_DEBIT_NUMBER|5521], last night.",
    "He used a card at the pump and I think it ended in [CREDIT_DEBIT_NUMBER|0388] or so.",
    "What are the last four digits on the card, sir? [CREDIT_DEBIT_NUMBER|Six one one two].",
    "We texted the mobile ending in [PHONE|8842] with the code.",
    "The savings account, the one finishing in [ACCOUNT_NUMBER|7301], is overdrawn.",
    "Your mortgage ending in [ACCOUNT_NUMBER|4119] has a payment due.",
    # A phone number in national format with a trunk zero, no phone word needed.
    "You can leave a message on [PHONE|07911 123 456] after six.",
    "The surgery is on [PHONE|0113 496 0728] and opens at eight.",
    "Her daughter in Sydney, [PHONE|02 9876 5432], wants updates.",
    "Ring the ward clerk, [PHONE|0191 498 0655], before transfer.",
    # A phone number with an extension: the number, not an address ("EXT" is a street type).
    "Her office line is [PHONE|415 555 0182] extension 31, mornings only.",
    "call [PHONE|212 555 0147] extension 9 and ask for records",
    # Ages over 89 with fillers between the person and the number, and chains of guesses and corrections.
    "The neighbour says he's, um, [AGE|ninety-six], maybe older.",
    "Which makes her, well, [AGE|ninety-three] this spring.",
    "She was [AGE|ninety-one] or [AGE|ninety-two] when she moved in.",
    "He is [AGE|97] years old, no, sorry, [AGE|98], his birthday was last week.",
    "Born in 1931, so that's [AGE|ninety-four] now.",
    "She was widowed young and is now [AGE|102].",
    # An identifier by its shape, typed by the identifier noun before it.
    "The member card I have here, the one from the union plan, says [HEALTH_PLAN_ID|UHP558201-03].",
    "His dependent ID, I believe, is [HEALTH_PLAN_ID|KXR 41 7702 9].",
    "The serial on the insulin pump reads, hang on, [DEVICE_ID|TP4-88210-Q].",
    "The truck's VIN ends in, I think, [VEHICLE_ID|7720C9].",
    "That loan, for the boat, was set up as [ACCOUNT_NUMBER|BT 5510 2284 61].",
    # Card expiries in every spoken grouping.
    "Expires, uh, [CREDIT_DEBIT_EXPIRY|09 28], and the code on the back is 771.",
    "The expiry on that one is [CREDIT_DEBIT_EXPIRY|oh six slash twenty nine].",
    "the card expiry date is [CREDIT_DEBIT_EXPIRY|12/31] and the security code is 0 9 8",
]

#: Near the new cues and shapes, nothing structured may be found.
NEGATIVES: list[str] = [
    "The lease ended in 2019 and she moved in with her son.",
    "His shift ends at 0700 and the handover is at the nurses' station.",
    "Her sats were ninety-four on room air and the pressure was ninety over sixty.",
    "That's ninety-two percent of the dose, which is fine.",
    "He walked ninety-five metres with the frame, no, ninety-six.",
    "The plan covers the HbA1c test and the COVID-19 booster this year.",
    "The claim reference is CL-2027-44019 and the order is OR-551203.",
    "The meeting room is 0.5 miles away, 0 to 10 pain score 7.",
    "Dose reduced from 0 5 to 0 25 milligrams overnight.",
    "The clinic opens 08 00 to 17 30 on weekdays.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_structured_family_is_found(line: str) -> None:
    assert_marked_found(line)


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_structured_find_near_the_new_shapes(sentence: str) -> None:
    for case in marked_cases(sentence):
        found = [(e.type, case.text[e.start : e.end]) for e in DETECTOR.detect(case.text) if e.type != "NAME"]
        assert not found, (case.text, found)


def test_a_phone_number_and_its_extension_are_no_street() -> None:
    text = "The work line is 713 555 0116 extension 230."
    assert [(e.type, text[e.start : e.end]) for e in DETECTOR.detect(text)] == [("PHONE", "713 555 0116")]


def test_an_id_between_two_kinds_of_nouns_is_left_to_the_cued_rules() -> None:
    text = "Add my driving licence to the account, it's ZZ7-2210-9841."
    assert all(e.type != "ACCOUNT_NUMBER" for e in DETECTOR.detect(text))
