"""Issue 23, round 19 (every type but names, read in scenes): cues said in forms the rules did not read; sentences
written for this file (none from a set), cased and as lowercase ASR output without punctuation.

1. A card's code: the cue's "'s" is "is" ("and the code's 4 1 2"), "numbers" as well as "digits" on the back ("the
   three numbers on the back, ..."), and the back read out ("the back of the card says ...") after a card is named.
2. A PIN keyed in by pressing ("on the keypad I pressed ..."), and a PIN changed to a new code a clause or a sentence
   after it is named ("it was 4 4 0 7, so I changed it last night to 9 1 3 6").
3. A phone read after a line's name ("the billing line, five five five, ...", "the nurse line is 555 0177") and a
   number being faxed ("I keep faxing the forms to ...").
4. An age over 89 after a death and its time ("passed away on the 4th of June at ninety two") or opening a clause
   about the person ("at 95 she still drives").
5. A clinician's licence after its credential ("Jae Park, RN 402 118"), cue or none.
6. An identifier asked for and read off the thing ("... the router? It says ...", "the screen shows ...").
7. A social read digit by digit with a pause at each join ("4 1 2, 0 7, 3 3 8 9"): its groups name it.
8. A spelled label ("N H S number") ends the identifier read before it, so it still names the number after it.
9. A British bank's sort code, which the sets mark as the account's.
10. Letters hyphened to their digits before more groups ("serial KT-31 4408 L") are the identifier's; the other
    one of a pair ("the first one is serial ... and the other one is ...") is the same kind of number
    (`core.redaction.restated`).
11. A plate's letters spelled with hyphens before its digits ("plate B-R-T five one eight").
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, assert_marked_found, assert_nothing_structured

FOUND: list[str] = [
    # 1. A card's code.
    "My Visa is 4539 1488 0343 6467, expiry 05/28, and the code's [CREDIT_DEBIT_CVV|four one two].",
    "Her debit card, 5105 1051 0510 5100, and the code's [CREDIT_DEBIT_CVV|3 0 9], she read it off.",
    "My Mastercard's 5105 1051 0510 5100, expires June twenty nine, and the three numbers on the back, "
    "[CREDIT_DEBIT_CVV|six two two].",
    "The card's 4539 1488 0343 6467 and the numbers on the back are [CREDIT_DEBIT_CVV|7 1 8].",
    "It's 4539 1488 0343 6467, expiry March thirty, and the back of the card says [CREDIT_DEBIT_CVV|two eight one].",
    "The Amex ends in 1002, expires 11/29, and the back reads [CREDIT_DEBIT_CVV|4 4 1].",
    # 2. A PIN.
    "The bank froze my debit card and asked me to pick a PIN, so on the keypad I pressed [PIN|7 7 2 1] and it worked.",
    "Did he ask for your PIN? He did, it was [PIN|4 4 0 7], so I changed it last night to [PIN|9 1 3 6].",
    "My PIN was stolen. The bank reset it to [PIN|3 0 0 8] for me.",
    "Is the passcode still the old one? No, I switched it on Friday to [PIN|six two six one].",
    # 3. A phone or a fax.
    "Any questions go to the billing line, [PHONE|five five five, oh two four one].",
    "For refills, the nurse line is [PHONE|555 0177], weekdays only.",
    "I keep faxing the forms to [FAX|five five five, oh three eight two] and nothing arrives.",
    # 4. An age.
    "Her mother passed away on the 4th of June at [AGE|ninety two], in her sleep.",
    "He died last spring at [AGE|94], the week after the wedding.",
    "At [AGE|95] she still drives to church on Sundays.",
    # 5. A licence after its credential.
    "The nurse for the night is Jae Park, [LICENSE_NUMBER|RN 402 118], and she starts Monday.",
    "I'll sign the form as the counsellor, my licence number is [LICENSE_NUMBER|LICSW 220 417].",
    "Her supervisor, [LICENSE_NUMBER|LPN 33-10482], countersigned the chart.",
    # 6. An identifier read off the thing.
    # 7. A social in its spoken groups (the lowercase version has the social named just before).
    "I need both socials for the return. And your wife's social? Hers is [SSN|4 1 2, 0 7, 3 3 8 9].",
    # 8. A spelled label after an identifier.
    "Hospital number [MEDICAL_RECORD_NUMBER|K 4 4 1 0 9 2], N H S number [MEDICAL_RECORD_NUMBER|612 448 9031]. The "
    "clinic will ring her.",
    # 9. A sort code.
    "Pay it into my Barclays account please, the sort code is [ACCOUNT_NUMBER|20-31-77], thanks.",
    "Can you confirm the sort code? It's [ACCOUNT_NUMBER|two oh, three one, seven seven].",
    # 10. Hyphened letters, and the other one of a pair.
    "The left one is serial [DEVICE_ID|KT-31 4408 L] and the right is [DEVICE_ID|KT-31 4409 R].",
    "Both pumps came back, the first one is serial [DEVICE_ID|PX-44 1093] and the other one is [DEVICE_ID|PX-44 1187].",
    # 11. A plate's letters spelled with hyphens.
    "Her car is the Mazda, plate [VEHICLE_ID|B-R-T five one eight], parked outside.",
    "The van's plates are [VEHICLE_ID|W-K 4471], the rental firm said.",
]


@pytest.mark.parametrize("line", FOUND)
def test_round19_cue_forms_are_found(line: str) -> None:
    assert_marked_found(line)


#: Read off the thing after a question mark (cased only: lowercase ASR writes no mark to answer after, and "it says"
#: alone also reads out a meter or a title, so it opens no answer there).
READ_OFF: list[tuple[str, str]] = [
    (
        "Could you read me the serial number on the bottom of the router, it's on a white label? It says 7Q4 4410 "
        "2297 K.",
        "7Q4 4410 2297 K",
    ),
    (
        "Can you give me the IMEI of the handset, under Settings and then General? The screen shows 490154203237518.",
        "490154203237518",
    ),
]


@pytest.mark.parametrize(("text", "value"), READ_OFF)
def test_round19_an_answer_read_off_the_thing(text: str, value: str) -> None:
    assert value in [text[e.start : e.end] for e in DETECTOR.detect(text) if e.type == "DEVICE_ID"]


#: Near the same words, nothing is an identifier.
NOTHING: list[str] = [
    "The line was busy for two hours, so I changed it to the afternoon slot.",
    "The numbers on the back of the jersey were faded, and the back says nothing else.",
    "I changed it to twelve dollars after the refund went through.",
    "The PIN pad was broken, so I pressed the green button three times.",
    "The hotline opened in 2019 and takes about 4000 calls a week.",
    "The shop closed at ninety five and he went home.",
    "We met at 9 and he left at 11, and at 40 she was still running marathons.",
    "The RN worked 12 hours and the LPN 8, so the RN 2 shift was short.",
    "What does the sign say? It says closed until 4.",
    "The scores were 4 1 2, 0 7 and 3 3 8, all three too low.",
    "The gas meter serial is on the box, and it says 04417 units this quarter.",
    "The sort code field was blank, so we sorted the codes by hand.",
    "My MRN is on the wristband and the other one is 4 doors down the hall.",
    "The plate was a B-R-T design, 5 inches wide.",
]

#: An identifier's letter and its digits are not a local phone, whatever "number" says ("her number with the
#: clinic is K 310 4427").
NOT_PHONE: list[str] = [
    "I think her number with the clinic is K 310 4427, it's on the letter.",
]


@pytest.mark.parametrize("sentence", NOT_PHONE)
def test_round19_an_identifiers_letter_and_digits_are_no_phone(sentence: str) -> None:
    for text in (sentence, sentence.lower().replace(",", "").replace(".", "")):
        assert not [e for e in DETECTOR.detect(text) if e.type in ("PHONE", "FAX")], text


@pytest.mark.parametrize("sentence", NOTHING)
def test_round19_no_identifier_is_invented(sentence: str) -> None:
    assert_nothing_structured(sentence)
