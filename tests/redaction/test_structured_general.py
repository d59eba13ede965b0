"""Structured identifiers said the way people say them: cues with words in between, spoken digits, partial
numbers. Each case was written for these tests (none is taken from an evaluation set); every sentence is
checked cased and as lowercase ASR output without punctuation.
"""

from __future__ import annotations

import pytest

from tests.data.redaction_eval import normalise
from tests.redaction.general import DETECTOR as _DETECTOR
from tests.redaction.general import both as _both
from tests.redaction.general import found as _found

POSITIVES: list[tuple[str, str, str]] = [
    # AGE over 89 said without "years old": only the number is marked.
    ("AGE", "Her father turned ninety-three last winter.", "ninety-three"),
    ("AGE", "He tells me he's 95 and has never smoked.", "95"),
    ("AGE", "Grandpa will be ninety seven in June.", "ninety seven"),
    ("AGE", "The chart says her age is 102.", "102"),
    ("AGE", "Mrs. Delacroix, 91, reports a cough.", "91"),
    ("AGE", "My aunt is one hundred and three and lives alone.", "one hundred and three"),
    # Partial card numbers and spoken groups.
    ("CREDIT_DEBIT_NUMBER", "The Mastercard that ends in 6620 was declined.", "6620"),
    ("CREDIT_DEBIT_NUMBER", "Can you read me the last four of the card? It's 3 0 4 8.", "3 0 4 8"),
    ("CREDIT_DEBIT_NUMBER", "We show a debit card ending with seven one one five.", "seven one one five"),
    # PIN and passcode with words between the cue and the number.
    ("PIN", "My PIN, um, is 6 2 0 8 I think.", "6 2 0 8"),
    ("PIN", "The passcode for telephone banking is four four nine one seven.", "four four nine one seven"),
    ("PIN", "I set the PIN on my new debit card to 3391 yesterday.", "3391"),
    # CVV / CID / the code on the back.
    ("CREDIT_DEBIT_CVV", "The three digits on the back of the card are six oh two.", "six oh two"),
    ("CREDIT_DEBIT_CVV", "For American Express the CID is 7714.", "7714"),
    ("CREDIT_DEBIT_CVV", "What's the security code? It's 5 5 9.", "5 5 9"),
    # Expiry with words between the cue and the date.
    ("CREDIT_DEBIT_EXPIRY", "The expiry on the card says June of twenty nine.", "June of twenty nine"),
    ("CREDIT_DEBIT_EXPIRY", "It expires oh eight slash thirty.", "oh eight slash thirty"),
    # FAX when "fax" is said well before the number.
    ("FAX", "Could you fax the discharge summary over to our clinic in town at (312) 555-0143?", "(312) 555-0143"),
    ("FAX", "Send it to 415-555-0109 (fax) before noon.", "415-555-0109"),
    # Plates and device identifiers read out letter by letter.
    ("VEHICLE_ID", "The plate on the blue pickup was six R T W two one nine.", "six R T W two one nine"),
    ("VEHICLE_ID", "His license plate is LMP 2290 and it was ticketed.", "LMP 2290"),
    ("DEVICE_ID", "The pump transmitter ID is four F Q nine two J.", "four F Q nine two J"),
    ("DEVICE_ID", "Serial numbers are K T three three eight one for the pump.", "K T three three eight one"),
    # Partial account numbers, even three digits.
    ("ACCOUNT_NUMBER", "The checking account ending in four zero six is overdrawn.", "four zero six"),
]


@pytest.mark.parametrize(("etype", "sentence", "span"), POSITIVES)
def test_structured_identifier_is_found(etype: str, sentence: str, span: str) -> None:
    for text, want in zip(_both(sentence), _both(span), strict=True):
        assert want in _found(text, etype), (text, _DETECTOR.detect(text))


NEGATIVES: list[tuple[str, str]] = [
    # Vitals, doses, scores and money are not ages.
    ("AGE", "Heart rate is 96 and regular, sats 94 percent on room air."),
    ("AGE", "Blood pressure was 160 over 95 this morning."),
    ("AGE", "He is 98 kilos and she is 92 percent sure of the date."),
    ("AGE", "Room 93 presents the same problem every winter."),
    ("AGE", "The bill was 99 dollars and I'm 90 minutes away."),
    ("AGE", "She is 89 and walks every day."),
    # Insurance group numbers are not health plan IDs.
    ("HEALTH_PLAN_ID", "The group number 77410 is printed under the plan name."),
    # An orthopaedic pin placed in a year is not a PIN; a count of tries is not one either.
    ("PIN", "The pin was placed in 2017 and removed in 2018."),
    ("PIN", "I reset my PIN three times this week."),
    # A drug's expiry and an order number are not card data.
    ("CREDIT_DEBIT_EXPIRY", "The insulin expires in 28 days once opened."),
    ("CREDIT_DEBIT_NUMBER", "Order ending in 4471 shipped, ticket 5521 is closed."),
    # A fax mentioned, then a phone word, gives the number back to PHONE.
    ("FAX", "We don't have a fax anymore, so please call 617-555-0182 instead."),
]


@pytest.mark.parametrize(("etype", "sentence"), NEGATIVES)
def test_hard_negative_is_not_marked(etype: str, sentence: str) -> None:
    for text in _both(sentence):
        assert _found(text, etype) == [], (text, _DETECTOR.detect(text))


def test_plate_span_stops_before_a_word() -> None:
    """Tight spans: the word after a plate or an account number is not part of it."""
    for text in _both("The tag number is KRT 4471 and the car is blue."):
        assert _found(text, "VEHICLE_ID") == [normalise("KRT 4471") if text.islower() else "KRT 4471"]


def test_uk_and_canadian_postcodes() -> None:
    """Postcodes outside the US are ADDRESS: in capitals alone, in lowercase after "postcode"."""
    assert _found("Her postcode is LS6 2QT, near the park.", "ADDRESS") == ["LS6 2QT"]
    assert _found("her postcode is ls6 2qt near the park", "ADDRESS") == ["ls6 2qt"]
    assert _found("The clinic is at K1A 0B1 in Ottawa.", "ADDRESS")[0] == "K1A 0B1"
    assert _found("take vitamin b12 2mg daily", "ADDRESS") == []
