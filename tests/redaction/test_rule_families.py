"""Issue 23's rule families, each a grammar over spoken and written forms, tested on forms it was not written
from. Every sentence was written for these tests (none is taken from an evaluation set). The first cases of
each family were written with the grammar; those under "written after" were written once the grammar was
done, without changing it. Each sentence is checked cased and as lowercase ASR output without punctuation.
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR as _DETECTOR
from tests.redaction.general import both as _both
from tests.redaction.general import found as _found

POSITIVES: list[tuple[str, str, str]] = [
    # Spoken numeric dates: month, day, year in words or digits.
    ("DATE", "Date of birth eleven four nineteen sixty.", "eleven four nineteen sixty"),
    ("DATE", "She was born oh four oh nine nineteen ninety.", "oh four oh nine nineteen ninety"),
    ("DATE", "The date of service was twelve thirty one twenty twenty two.", "twelve thirty one twenty twenty two"),
    ("DATE", "DOB 03 13 1956, allergies none.", "03 13 1956"),
    # written after
    ("DATE", "His birthday is seven twenty two nineteen eighty five.", "seven twenty two nineteen eighty five"),
    ("DATE", "She was admitted six fifteen oh two with chest pain.", "six fifteen oh two"),
    ("DATE", "Born one one two thousand three at home.", "one one two thousand three"),
    ("DATE", "Seen on ten twenty eight twenty nineteen for a cough.", "ten twenty eight twenty nineteen"),
    # Ordinal dates with their year.
    ("DATE", "Born on the first of May 2005.", "the first of May 2005"),
    ("DATE", "It happened on the twenty third of June nineteen ninety.", "the twenty third of June nineteen ninety"),
    # written after
    ("DATE", "Her surgery was the ninth of March two thousand twelve.", "the ninth of March two thousand twelve"),
    # Addresses: USPS suffixes with unit, city, state and zip tails.
    (
        "ADDRESS",
        "She lives at 14 Willow Bend, Apt 3, Springfield, IL 62704.",
        "14 Willow Bend, Apt 3, Springfield, IL 62704",
    ),
    ("ADDRESS", "Send it to 221 Ocean Vista, Unit 9.", "221 Ocean Vista, Unit 9"),
    ("ADDRESS", "The office is Suite 400, 88 Harbour Street, on the second floor.", "Suite 400, 88 Harbour Street"),
    # written after
    ("ADDRESS", "Mail goes to 9 Heron Isle, Naples, Florida 34102.", "9 Heron Isle, Naples, Florida 34102"),
    ("ADDRESS", "We moved to 4410 Quarry Motorway last spring.", "4410 Quarry Motorway"),
    ("ADDRESS", "The farmhouse is 77 Cedar Plain, Apt B.", "77 Cedar Plain, Apt B"),
    ("ADDRESS", "He stays at 3050 Elm Terrace in the back unit.", "3050 Elm Terrace"),
    # Rural routes, county roads, state highways, lots; street-first forms; spoken house numbers.
    ("ADDRESS", "Her address is rural route two box one forty seven.", "rural route two box one forty seven"),
    ("ADDRESS", "He lives out on county road 12 past the church.", "county road 12"),
    ("ADDRESS", "The farm is on state highway 9 near the river.", "state highway 9"),
    ("ADDRESS", "We're at lot 42 in the trailer park by the lake.", "lot 42"),
    ("ADDRESS", "She lives on calle del sol near the school.", "calle del sol"),
    ("ADDRESS", "The address is twenty three forty one Maple Street.", "twenty three forty one Maple Street"),
    # written after
    ("ADDRESS", "Send the letter to RR 3 Box 88 and it will find her.", "RR 3 Box 88"),
    ("ADDRESS", "They live at 5120 County Road 40 now.", "5120 County Road 40"),
    # Spelled identifiers after ID cues: "x as in word", NATO letters, letter runs, MBIs, IBANs, licences.
    (
        "HEALTH_PLAN_ID",
        "My member ID is h as in hotel seven seven two four nine one.",
        "h as in hotel seven seven two four nine one",
    ),
    (
        "HEALTH_PLAN_ID",
        "The Medicare number is one e g four t e five m k seven three.",
        "one e g four t e five m k seven three",
    ),
    ("ACCOUNT_NUMBER", "My IBAN is GB82 WEST 1234 5698 7654 32, thanks.", "GB82 WEST 1234 5698 7654 32"),
    # written after
    ("MEDICAL_RECORD_NUMBER", "The MRN is j k m four four eight one two.", "j k m four four eight one two"),
    (
        "HEALTH_PLAN_ID",
        "Policy number is bravo kilo seven seven one nine zero.",
        "bravo kilo seven seven one nine zero",
    ),
    (
        "LICENSE_NUMBER",
        "Driver's license is d as in david four four one two nine eight.",
        "d as in david four four one two nine eight",
    ),
    # Spelled names, after "spell" or next to a name.
    ("NAME", "The last name is Wojcik, that's w o j c i k.", "w o j c i k"),
    ("NAME", "Her surname, it spells k a c z m a r e k.", "k a c z m a r e k"),
    # E-mail addresses spoken in pieces.
    ("EMAIL", "My email is k underscore lee 88 at example dot com.", "k underscore lee 88 at example dot com"),
    (
        "EMAIL",
        "It's pepe dot hernandez seventy one at example dot org.",
        "pepe dot hernandez seventy one at example dot org",
    ),
    # written after
    (
        "EMAIL",
        "Write to maria underscore g 2001 at example dot net please.",
        "maria underscore g 2001 at example dot net",
    ),
    # Card numbers in any grouping that passes Luhn; 15-16 digits next to a card word even when it fails.
    ("CREDIT_DEBIT_NUMBER", "My card number is 4111 1111 1111 111 thanks.", "4111 1111 1111 111"),
    ("CREDIT_DEBIT_NUMBER", "The Amex is 3782 822463 10005.", "3782 822463 10005"),
    ("CREDIT_DEBIT_NUMBER", "Card 4111 1111 1111 1112 is declined.", "4111 1111 1111 1112"),
    # written after
    ("CREDIT_DEBIT_NUMBER", "Use the visa, 4012-8888-8888-1881, for the copay.", "4012-8888-8888-1881"),
    # International phone numbers and self-corrections.
    (
        "PHONE",
        "Call me on plus three one six one two three four five six seven eight.",
        "plus three one six one two three four five six seven eight",
    ),
    (
        "PHONE",
        "My number is five five five oh one two three, no sorry, oh one three two.",
        "five five five oh one two three, no sorry, oh one three two",
    ),
    # written after
    ("PHONE", "Her mobile is +44 7700 900123 if you need it.", "+44 7700 900123"),
    # Cue conflicts: the member number on the back of the card is a member ID.
    ("HEALTH_PLAN_ID", "The member number on the back of the card is 4471 2209.", "4471 2209"),
    ("CREDIT_DEBIT_CVV", "The code on the back of the card is 318.", "318"),
]

#: A second round, written after every grammar above was done: 37 forms, of which 32 passed as written.
#: Three of the five misses were whole categories and were fixed as such (a space or pad in a park of mobile
#: homes, "let me spell it," before a spelling, "dash" inside a spoken mailbox name). Two are left out and
#: still missed: a bare spoken seven-digit number with no phone cue at all (kept out for precision), and an
#: "ID number on the front of the card" that names no kind of identifier.
SECOND_ROUND: list[tuple[str, str, str]] = [
    ("DATE", "Her DOB is two fourteen nineteen seventy one.", "two fourteen nineteen seventy one"),
    ("DATE", "Patient born 9 30 1948 in the county hospital.", "9 30 1948"),
    ("DATE", "Last seen oh one oh two twenty twenty three.", "oh one oh two twenty twenty three"),
    ("DATE", "Date of injury was five five two thousand nine.", "five five two thousand nine"),
    ("DATE", "The note is dated eight nine oh seven.", "eight nine oh seven"),
    ("DATE", "She came in on the third of August twenty twenty.", "the third of August twenty twenty"),
    ("DATE", "Born the 14th of February, 1962.", "the 14th of February, 1962"),
    ("ADDRESS", "He rents at 17 Maple Knoll, Unit 2B.", "17 Maple Knoll, Unit 2B"),
    (
        "ADDRESS",
        "The clinic moved to 3400 Lakeshore Parkway, Suite 210, Austin, TX 78701.",
        "3400 Lakeshore Parkway, Suite 210, Austin, TX 78701",
    ),
    (
        "ADDRESS",
        "deliver to 82 birch hollow apt 6 rutland vermont 05701",
        "82 birch hollow apt 6 rutland vermont 05701",
    ),
    ("ADDRESS", "We found her at 610 Crescent Expressway.", "610 Crescent Expressway"),
    ("ADDRESS", "Her place is 1220 W Cactus Trl in Tucson.", "1220 W Cactus Trl"),
    ("ADDRESS", "It's rural route five box twenty two, out past the silo.", "rural route five box twenty two"),
    ("ADDRESS", "Turn at 800 FM 1960 by the feed store.", "800 FM 1960"),
    ("ADDRESS", "She's in space 31 at the Sunny Acres mobile home park.", "space 31"),
    ("ADDRESS", "the house is nineteen oh five sycamore lane", "nineteen oh five sycamore lane"),
    ("ADDRESS", "He lives on rua das flores near the market.", "rua das flores"),
    (
        "HEALTH_PLAN_ID",
        "Medicaid ID is m as in mary four four two one eight seven.",
        "m as in mary four four two one eight seven",
    ),
    (
        "MEDICAL_RECORD_NUMBER",
        "Chart number tango romeo five five one nine zero.",
        "tango romeo five five one nine zero",
    ),
    (
        "LICENSE_NUMBER",
        "His licence number is s as in sam one two three four five six seven.",
        "s as in sam one two three four five six seven",
    ),
    ("ACCOUNT_NUMBER", "The IBAN reads DE89 3704 0044 0532 0130 00.", "DE89 3704 0044 0532 0130 00"),
    ("ACCOUNT_NUMBER", "account number p q r seven seven one two nine", "p q r seven seven one two nine"),
    ("NAME", "Her last name, let me spell it, z b i g n i e w.", "z b i g n i e w"),
    ("NAME", "It's Nguyen, spelled n g u y e n.", "n g u y e n"),
    ("EMAIL", "Reach me at dana dash ruiz 12 at example dot com.", "dana dash ruiz 12 at example dot com"),
    ("EMAIL", "It's j dot p dot okafor at example dot org.", "j dot p dot okafor at example dot org"),
    (
        "EMAIL",
        "My email is tomas underscore b at example dot co dot uk.",
        "tomas underscore b at example dot co dot uk",
    ),
    ("CREDIT_DEBIT_NUMBER", "The card is 5555 5555 5555 4444, expiry next year.", "5555 5555 5555 4444"),
    (
        "CREDIT_DEBIT_NUMBER",
        "Visa four one one one one one one one one one one one one one one one.",
        "four one one one one one one one one one one one one one one one",
    ),
    ("CREDIT_DEBIT_NUMBER", "My debit card is 6011-0009-9013-9424.", "6011-0009-9013-9424"),
    (
        "CREDIT_DEBIT_NUMBER",
        "The Mastercard number is 5105 1051 0510 5101 but one digit may be off.",
        "5105 1051 0510 5101",
    ),
    (
        "PHONE",
        "Her cell is plus four four seven seven zero zero nine zero zero one two three.",
        "plus four four seven seven zero zero nine zero zero one two three",
    ),
    ("PHONE", "Call +33 1 23 45 67 89 after six.", "+33 1 23 45 67 89"),
    ("PHONE", "The number is 617 555 0182, sorry, 0183.", "617 555 0182, sorry, 0183"),
]


#: A third round, written after the second: 10 forms, 4 passed as written; the misses were two categories,
#: both fixed as such (street-first names with a two-word name or a Spanish or Italian street type and
#: particle; a self-correction after any cued identifier or social, not only after a phone number).
THIRD_ROUND: list[tuple[str, str, str]] = [
    ("ADDRESS", "She lives at 1450 Avenida de los Insurgentes.", "1450 Avenida de los Insurgentes"),
    ("ADDRESS", "He moved to calle mayor near the plaza.", "calle mayor"),
    ("ADDRESS", "The address is twelve oh nine Rue Saint Denis.", "twelve oh nine Rue Saint Denis"),
    ("ADDRESS", "I'm at forty one twenty Juniper Way, unit four.", "forty one twenty Juniper Way, unit four"),
    ("ADDRESS", "we live at one oh one oak ridge road", "one oh one oak ridge road"),
    ("ADDRESS", "it's seventeen hundred pennsylvania avenue", "seventeen hundred pennsylvania avenue"),
    ("ADDRESS", "Her house is at 55 Via Roma.", "55 Via Roma"),
    ("HEALTH_PLAN_ID", "My member ID is 4471 2209, sorry, 4471 2290.", "4471 2209, sorry, 4471 2290"),
    ("SSN", "My social is 123 45 6789, no wait, 123 45 6798.", "123 45 6789, no wait, 123 45 6798"),
    ("PHONE", "The customer service number on the back of the card is 1 800 555 0199.", "1 800 555 0199"),
]


#: A fourth round, written after the third: 13 forms, 8 passed as written; the five misses were four
#: categories, fixed as such (a two-digit year after "the Nth of Month"; a name spelled with "x as in word"
#: letters and commas; a mailbox spelled letter by letter; "x as in x-ray", a hyphenated word).
FOURTH_ROUND: list[tuple[str, str, str]] = [
    ("DATE", "Born the thirteenth of March fifty six.", "the thirteenth of March fifty six"),
    ("DATE", "DOB oh four slash oh nine slash ninety.", "oh four slash oh nine slash ninety"),
    # The box with its town and state is one address (round 2 of issue 23 covers them whole).
    ("ADDRESS", "Mail to p o box one two three, Dayton, Ohio.", "p o box one two three, Dayton, Ohio"),
    (
        "ADDRESS",
        "She lives at 12 Elm Street, Beverly Hills, California nine oh two one oh.",
        "12 Elm Street, Beverly Hills, California nine oh two one oh",
    ),
    ("NAME", "Spell that for me? W as in William, O J C I K.", "W as in William, O J C I K"),
    ("PHONE", "Call 555-0100 extension 22.", "555-0100"),
    (
        "CREDIT_DEBIT_NUMBER",
        "The card is four one one one dash one one one one dash one one one one dash one one one one.",
        "four one one one dash one one one one dash one one one one dash one one one one",
    ),
    ("EMAIL", "it's a l i at example dot com", "a l i at example dot com"),
    (
        "HEALTH_PLAN_ID",
        "Subscriber ID: W as in whiskey, 2 2 9, X as in x-ray, 4 4 1.",
        "W as in whiskey, 2 2 9, X as in x-ray, 4 4 1",
    ),
    (
        "LICENSE_NUMBER",
        "My driver's license is Texas one two three four five six seven eight.",
        "one two three four five six seven eight",
    ),
    (
        "DATE",
        "Her appointment is on the second of next month, June second twenty twenty five.",
        "June second twenty twenty five",
    ),
    ("DATE", "Date of birth: 7-4-76.", "7-4-76"),
    ("DATE", "born in june of nineteen eighty", "june of nineteen eighty"),
]


@pytest.mark.parametrize(("etype", "sentence", "span"), POSITIVES + SECOND_ROUND + THIRD_ROUND + FOURTH_ROUND)
def test_family_form_is_found(etype: str, sentence: str, span: str) -> None:
    for text, want in zip(_both(sentence), _both(span), strict=True):
        assert want in _found(text, etype), (text, _DETECTOR.detect(text))


NEGATIVES: list[tuple[str, str]] = [
    # Doses, vitals, amounts, order/case numbers and rooms are never PII.
    ("PHONE", "Your order number is 4471983 and it shipped yesterday."),
    ("PHONE", "The case number is 8842019, keep it for your records."),
    ("DATE", "Give one two milligram tablets at nine and ten."),
    ("DATE", "Blood pressure one twenty over eighty, pulse seventy two."),
    ("DATE", "Some days she does five six two thousand steps."),
    ("DATE", "The shift ends at nineteen hundred, report at twelve one nineteen hundred hours."),
    ("ADDRESS", "She had 2 bad falls last winter."),
    ("ADDRESS", "Walk 3 blocks to the park and rest."),
    ("ADDRESS", "Give 10 units per ml in the morning."),
    ("ADDRESS", "RR 18, heart rate 96, sats 94 percent."),
    ("ADDRESS", "Call 617 555 0100 ext 22 after lunch."),
    ("ADDRESS", "I sent 2 letters via the mail room."),
    ("ADDRESS", "Give 1 via IV push and 2 via mouth."),
    ("ADDRESS", "The results came 2 via email and 1 via fax."),
    ("CREDIT_DEBIT_NUMBER", "The MRNs are 8812045 and 8812046 for the twins."),
    ("CREDIT_DEBIT_CVV", "The member number on the back of the card is 4471 2209."),
    ("ACCOUNT_NUMBER", "The ratio was gb12 abcd 1234 5678 in the report."),
]


@pytest.mark.parametrize(("etype", "sentence"), NEGATIVES)
def test_family_negative_is_not_marked(etype: str, sentence: str) -> None:
    for text in _both(sentence):
        assert _found(text, etype) == [], (text, _DETECTOR.detect(text))


def test_a_saturday_in_november_stays_a_date() -> None:
    """ "november" is a NATO letter only inside an identifier, never after a day of the month."""
    for text in _both("Admitted on Saturday, 2 November, with a fracture."):
        assert any("ovember" in s for s in _found(text, "DATE")), _DETECTOR.detect(text)


def test_a_city_after_the_street_in_cased_text() -> None:
    """A comma and a capital set off a city outside the US; lowercase text has neither, so there the city is
    taken from the town gazetteer right after the street (issue 23, round 4), its unit still in the span."""
    assert _found("Its office is Suite 400, 88 Harbour Street, Toronto, on paper.", "ADDRESS") == [
        "Suite 400, 88 Harbour Street, Toronto"
    ]
    assert _found("its office is suite 400 88 harbour street toronto on paper", "ADDRESS") == [
        "suite 400 88 harbour street toronto"
    ]


def test_a_lot_named_after_its_park_is_the_lot_alone() -> None:
    for text in _both("The mobile home park office said lot 17 is vacant."):
        assert _found(text, "ADDRESS") == ["lot 17"], _DETECTOR.detect(text)


def test_a_spoken_ip_with_oh_for_zero() -> None:
    for text in _both("The camera's IP is ten dot oh dot four dot nine, on the guest network."):
        assert _found(text, "IP_ADDRESS") == [text[text.index("ten") : text.index("nine") + 4]]


def test_plate_pieces_set_off_by_commas() -> None:
    for text in _both("The van's plate was R T Y, four four one, Nevada."):
        assert _found(text, "VEHICLE_ID")[0].startswith(("R T Y", "r t y")), _DETECTOR.detect(text)


def test_release_numbers_are_not_ip_addresses_in_the_product_detector() -> None:
    """Presidio's own IP recognizer gets the same veto as ours: a version word just before the number."""
    from core.redaction.detect import load_detector

    product = load_detector()
    for text in _both("The tablet runs build 6.1.0.22 and the router is at 192.0.2.40."):
        ips = [text[e.start : e.end] for e in product.detect(text) if e.type == "IP_ADDRESS"]
        assert ips == ["192.0.2.40"], ips


@pytest.mark.parametrize(
    ("sentence", "spelled"),
    [
        ("The patient is Anna Wojcik, W O J C I K, seen today.", "W O J C I K"),
        ("Mr. Kaczmarek, k a c z m a r e k, called back.", "k a c z m a r e k"),
        ("I spoke with Dr. Tomasz Zielinski z i e l i n s k i about it.", "z i e l i n s k i"),
    ],
)
def test_a_spelling_right_after_a_found_name_is_a_name(sentence: str, spelled: str) -> None:
    """No cue needed: the letters come right after a name the detector found."""
    for text, want in zip(_both(sentence), _both(spelled), strict=True):
        assert want in _found(text, "NAME"), _DETECTOR.detect(text)


def test_a_spelled_drug_is_not_a_name() -> None:
    for text in _both("The drug is Xarelto x a r e l t o."):
        assert _found(text, "NAME") == [], _DETECTOR.detect(text)


def test_a_corrected_card_number_is_redacted_with_its_correction() -> None:
    sentence = "The visa is 4111 1111 1111 1111, sorry, the last group is 1112."
    for text in _both(sentence):
        found = _found(text, "CREDIT_DEBIT_NUMBER")
        assert len(found) == 1 and found[0].startswith("4111") and found[0].endswith("1112"), _DETECTOR.detect(text)
