"""Round three of general rules: answers given a sentence after the question, cued socials outside the
issued ranges, months that name a time, lists of identifiers after one cue, licences and plates a few words
after their cue, street names and corners, and the precision side (software versions are not IP
addresses; "the site at example.org" is not an email). Every sentence was written for these tests, none is
taken from an evaluation set; each is checked cased and as lowercase ASR output without punctuation.
"""

from __future__ import annotations

import pytest

from core.redaction.spoken import SpokenView
from tests.redaction.general import DETECTOR as _DETECTOR
from tests.redaction.general import both as _both
from tests.redaction.general import found as _found

POSITIVES: list[tuple[str, str, str]] = [
    # A prompt, then the answer as its own sentence.
    ("PIN", "Go ahead and key in your PIN now. It's two two eight five.", "two two eight five"),
    ("PIN", "I'll need the phone banking passcode. Nine oh nine one six.", "Nine oh nine one six"),
    ("CREDIT_DEBIT_EXPIRY", "What's the expiration? Eleven slash twenty eight.", "Eleven slash twenty eight"),
    # A social given after the question, even in a range never issued.
    ("SSN", "Can I get your social? It's 000-45-7781.", "000-45-7781"),
    ("SSN", "SSN on the form reads 666 40 1123.", "666 40 1123"),
    # Bare seven-digit numbers after any call verb.
    ("PHONE", "She phoned from 5550187 around noon.", "5550187"),
    ("PHONE", "He texted me from five five five, zero one six two, last night.", "five five five, zero one six two"),
    # A birthday read as one run of digits.
    ("DATE", "Her birthday is eleven three seventy two.", "eleven three seventy two"),
    # Months that point at a time: the end of a range, and the month of an appointment.
    ("DATE", "She was out on leave from June through August.", "August"),
    ("DATE", "We need to move his October surgery.", "October"),
    ("DATE", "Please confirm the February follow-up with the front desk.", "February"),
    # Two identifiers after one cue.
    ("DEVICE_ID", "The pump serial numbers are MX 40221 and MX 40229.", "MX 40229"),
    ("MEDICAL_RECORD_NUMBER", "The twins' MRN numbers are 8812045 and 8812046.", "8812046"),
    # Letters glued to digits inside a member number.
    ("HEALTH_PLAN_ID", "The member ID is QR7 5512 0098 on the front.", "QR7 5512 0098"),
    # A licence or a partial VIN a few words after the cue.
    ("LICENSE_NUMBER", "Her driving licence was in the glovebox, number K 580 221 904.", "K 580 221 904"),
    ("LICENSE_NUMBER", "I want to update the driver's license on my file, it's W442-1180-5536.", "W442-1180-5536"),
    ("VEHICLE_ID", "I only saw the tag as it left, it ended in seven one nine.", "seven one nine"),
    ("VEHICLE_ID", "The VIN on the title ends with 55209.", "55209"),
    # Ages said as the result of a birth year.
    ("AGE", "She was born in nineteen thirty, which makes her ninety four.", "ninety four"),
    # Street names without a number, and corners.
    ("ADDRESS", "The bakery is on Harrow Walk near the canal.", "Harrow Walk"),
    ("ADDRESS", "They live on Delmont Avenue with her sister.", "Delmont Avenue"),
    ("ADDRESS", "The crash was at Fifth and Juniper around midnight.", "Fifth and Juniper"),
]


@pytest.mark.parametrize(("etype", "sentence", "span"), POSITIVES)
def test_identifier_is_found(etype: str, sentence: str, span: str) -> None:
    for text, want in zip(_both(sentence), _both(span), strict=True):
        assert want in _found(text, etype), (text, _DETECTOR.detect(text))


NEGATIVES: list[tuple[str, str]] = [
    # Software versions and builds that look like dotted quads.
    ("IP_ADDRESS", "The tablet runs firmware version 6.1.0.22 since the update."),
    ("IP_ADDRESS", "Please install build 12.4.0.8 before Friday."),
    ("IP_ADDRESS", "We upgraded to release 3.2.1.5 of the scheduling app."),
    # A thing at a web address is not an email.
    ("EMAIL", "You can pay the bill on the website at billing.example.com anytime."),
    ("EMAIL", "Sign in to our portal at records.example.org with your code."),
    # "may" is a verb as often as a month.
    ("DATE", "She said the kids may visit and the twins may stay."),
    ("DATE", "The May deadline is the one the board cares about."),
    # Doses, vitals, lab values, money, room and order numbers, ICD codes and years alone.
    ("PIN", "Enter your PIN. Then wait 30 seconds."),
    ("PHONE", "She called at 3:15 and took 500 mg of amoxicillin."),
    ("SSN", "Her social worker logged claim 4452199871 for the order."),
    ("DATE", "Potassium was 4.1 and the birthday party is next week."),
    ("VEHICLE_ID", "The plate was cracked and the dent ended in a scrape."),
    ("LICENSE_NUMBER", "His driver's license was suspended, so he walked 180 days."),
    ("DEVICE_ID", "The serial port and the USB port were both broken."),
    ("ADDRESS", "He went on a long morning walk and felt fine."),
    ("ADDRESS", "Room 412 is on the fourth floor, bed 2."),
    ("AGE", "That makes him 89 this year and her 74."),
    ("HEALTH_PLAN_ID", "The group number is 55120 and the copay is 40 dollars, ICD code E11.9."),
]


@pytest.mark.parametrize(("etype", "sentence"), NEGATIVES)
def test_look_alike_is_not_marked(etype: str, sentence: str) -> None:
    for text in _both(sentence):
        assert _found(text, etype) == [], (text, _DETECTOR.detect(text))


def test_the_word_before_at_with_a_determiner_is_a_thing() -> None:
    assert "@" not in SpokenView("log in to the portal at clinic dot example dot org").text
    assert SpokenView("email is ana dot ruiz at example dot org").text == "email is ana.ruiz@example.org"


def test_an_address_is_still_found_after_a_version() -> None:
    sentence = "The gateway is at 198.51.100.7 and runs version 2.0.1.4."
    assert _found(sentence, "IP_ADDRESS") == ["198.51.100.7"]
