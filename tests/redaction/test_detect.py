"""The rule detector: every type written and spoken, cased and lowercase, offsets exact, hard negatives."""

from __future__ import annotations

import itertools

import pytest

from core.redaction.detect import RuleDetector, default_detector, redact
from core.redaction.overlaps import resolve_overlaps
from core.redaction.recognizers import TermList, luhn_ok
from core.redaction.types import ENTITY_TYPES, Entity

DETECTOR = default_detector()


def found(text: str) -> list[tuple[str, str]]:
    entities = DETECTOR.detect(text)
    return [(e.type, text[e.start : e.end]) for e in entities]


CASES = [
    # (text, expected (type, original substring))
    ("My number is 555-1212.", ("PHONE", "555-1212")),
    ("my number is five five five one two one two", ("PHONE", "five five five one two one two")),
    ("Call me at (415) 555-0123 today.", ("PHONE", "(415) 555-0123")),
    (
        "call me at four one five five five five zero one two three",
        ("PHONE", "four one five five five five zero one two three"),
    ),
    ("Send it to fax 415.555.0199.", ("FAX", "415.555.0199")),
    (
        "my fax number is four one five double five five oh one nine nine",
        ("FAX", "four one five double five five oh one nine nine"),
    ),
    ("My SSN is 123-45-6789.", ("SSN", "123-45-6789")),
    (
        "my social security number is one two three four five six seven eight nine",
        ("SSN", "one two three four five six seven eight nine"),
    ),
    (
        "it is one two three dash four five dash six seven eight nine",
        ("SSN", "one two three dash four five dash six seven eight nine"),
    ),
    ("Card 4111 1111 1111 1111, thanks.", ("CREDIT_DEBIT_NUMBER", "4111 1111 1111 1111")),
    (
        "card four one one one one one one one one one one one one one one one",
        ("CREDIT_DEBIT_NUMBER", "four one one one one one one one one one one one one one one one"),
    ),
    ("The CVV is 123.", ("CREDIT_DEBIT_CVV", "123")),
    ("the security code is four five six", ("CREDIT_DEBIT_CVV", "four five six")),
    ("It expires 04/26.", ("CREDIT_DEBIT_EXPIRY", "04/26")),
    ("it expires oh four twenty six", ("CREDIT_DEBIT_EXPIRY", "oh four twenty six")),
    ("My PIN is 4821.", ("PIN", "4821")),
    ("my pin is four eight two one", ("PIN", "four eight two one")),
    ("Email John.Smith@gmail.com please.", ("EMAIL", "John.Smith@gmail.com")),
    ("email john dot smith at gmail dot com please", ("EMAIL", "john dot smith at gmail dot com")),
    ("It's John dot Smith at Gmail dot com.", ("EMAIL", "John dot Smith at Gmail dot com")),
    ("Visit https://example.org/path.", ("URL", "https://example.org/path")),
    ("go to www dot example dot com", ("URL", "www dot example dot com")),
    ("Server 192.168.1.10 is down.", ("IP_ADDRESS", "192.168.1.10")),
    (
        "the ip is one nine two dot one six eight dot one dot one",
        ("IP_ADDRESS", "one nine two dot one six eight dot one dot one"),
    ),
    ("Host fe80::1ff:fe23:4567:890a responded.", ("IP_ADDRESS", "fe80::1ff:fe23:4567:890a")),
    ("MRN 00456789 on file.", ("MEDICAL_RECORD_NUMBER", "00456789")),
    (
        "medical record number four five six seven eight nine",
        ("MEDICAL_RECORD_NUMBER", "four five six seven eight nine"),
    ),
    ("Member ID XJ4452198.", ("HEALTH_PLAN_ID", "XJ4452198")),
    (
        "my policy number is seven seven one two three four five",
        ("HEALTH_PLAN_ID", "seven seven one two three four five"),
    ),
    ("Account number 12345678.", ("ACCOUNT_NUMBER", "12345678")),
    (
        "the routing number is zero two one zero zero zero zero two one",
        ("ACCOUNT_NUMBER", "zero two one zero zero zero zero two one"),
    ),
    ("Driver's license D1234567.", ("LICENSE_NUMBER", "D1234567")),
    ("my license number is four four five five six six", ("LICENSE_NUMBER", "four four five five six six")),
    ("VIN 1HGCM82633A004352.", ("VEHICLE_ID", "1HGCM82633A004352")),
    ("License plate 7ABC123.", ("VEHICLE_ID", "7ABC123")),
    ("Serial number SN-99812-X.", ("DEVICE_ID", "SN-99812-X")),
    (
        "the imei is four nine zero one five four two zero three two three seven five one eight",
        ("DEVICE_ID", "four nine zero one five four two zero three two three seven five one eight"),
    ),
    ("Born March 3rd, 1958.", ("DATE", "March 3rd, 1958")),
    ("Seen on 03/04/1958.", ("DATE", "03/04/1958")),
    ("born march third nineteen fifty eight", ("DATE", "march third nineteen fifty eight")),
    ("on the fifth of june", ("DATE", "the fifth of june")),  # covered whole (issue 23)
    ("Moved in June 2019.", ("DATE", "June 2019")),
    ("she is 93 years old", ("AGE", "93")),
    ("a ninety three year old man", ("AGE", "ninety three")),
    ("Aged 91, she lives alone.", ("AGE", "91")),
    ("I live at 123 Main Street, Apt 4B.", ("ADDRESS", "123 Main Street, Apt 4B")),
    ("i live at one two three main street", ("ADDRESS", "one two three main street")),
    ("Springfield, IL 62704 is home.", ("ADDRESS", "Springfield, IL 62704")),
    ("the zip code is nine oh two one oh", ("ADDRESS", "nine oh two one oh")),
    ("My name is John Smith.", ("NAME", "John Smith")),
    ("my name is john smith", ("NAME", "john smith")),
    ("I spoke with Dr. Okafor yesterday.", ("NAME", "Okafor")),
    ("i spoke with doctor okonkwo yesterday", ("NAME", "okonkwo")),
    ("this is maria garcia calling", ("NAME", "maria garcia")),
    ("Priya Patel arrived.", ("NAME", "Priya Patel")),
    ("Then Nguyen Van Anh arrived.", ("NAME", "Nguyen Van Anh")),
    ("my daughter aisha will come", ("NAME", "aisha")),
    # spoken digit groups split by commas
    (
        "his social is three one two, four four, five six seven eight",
        ("SSN", "three one two, four four, five six seven eight"),
    ),
    (
        "reach me at three one two, five five five, oh one four seven",
        ("PHONE", "three one two, five five five, oh one four seven"),
    ),
    (
        "the card is four one one one, one one one one, one one one one, one one one one",
        ("CREDIT_DEBIT_NUMBER", "four one one one, one one one one, one one one one, one one one one"),
    ),
    # a card number that fails Luhn, vouched for by a card cue and "number"
    ("Her debit card was lost, card number 5123 4567 8901 2345.", ("CREDIT_DEBIT_NUMBER", "5123 4567 8901 2345")),
    ("The last four of his social are 4321.", ("SSN", "4321")),
    (
        "ring him on oh two oh seven nine four six oh eight eight one",
        ("PHONE", "oh two oh seven nine four six oh eight eight one"),
    ),
    (
        "the medical record number again is five five two dash one nine nine",
        ("MEDICAL_RECORD_NUMBER", "five five two dash one nine nine"),
    ),
    ("his d o b is three twenty one forty four", ("DATE", "three twenty one forty four")),
    ("my license number is k four four one two three nine", ("LICENSE_NUMBER", "k four four one two three nine")),
    ("card expiry is june twenty twenty seven", ("CREDIT_DEBIT_EXPIRY", "june twenty twenty seven")),
    # addresses outside the US
    ("She moved to 12 Rue de la Paix, 75002 Paris last year.", ("ADDRESS", "12 Rue de la Paix, 75002 Paris")),
    ("he lives on ulica kwiatowa nine, poznan now", ("ADDRESS", "ulica kwiatowa nine, poznan")),
    (
        "The clinic is at 45 Le Loi Street, District 3, Da Nang City.",
        ("ADDRESS", "45 Le Loi Street, District 3, Da Nang City"),
    ),
    # names: diacritics, particles, surname first, everyday given names before a surname, name cues
    ("Patient Zoë Ramírez was seen.", ("NAME", "Zoë Ramírez")),
    ("patient andrés jiménez was seen", ("NAME", "andrés jiménez")),
    ("then omar bin hassan arrived", ("NAME", "omar bin hassan")),
    ("Her nephew Seamus Ó Doherty called.", ("NAME", "Seamus Ó Doherty")),
    ("pham thi lan and her son came in", ("NAME", "pham thi lan")),
    ("Faith Okonkwo signed the consent.", ("NAME", "Faith Okonkwo")),
    ("And your surname? Wiśniewski.", ("NAME", "Wiśniewski")),
    ("nadia al-hassan is the proxy", ("NAME", "nadia al-hassan")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[1][0] + ":" + c[0][:30] for c in CASES])
def test_detects_written_and_spoken(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "blood pressure 120 over 80",
        "take 5 milligrams twice a day",
        "you may go now",
        "I will call you back",
        "i will call you back",
        "we moved in 2019",
        "he is 45 years old",
        "she is forty five years old",
        "the grace period and hope for the best",
        "I walked 5 miles down the road",
        "oh I see",
        "at 10:30:45 the alarm rang",
        "she counted one, two, three and jumped",
        "I sent 2 via the portal",
        "he walked 3 avenue blocks",
        "Victoria sponge was served.",
    ],
)
def test_hard_negatives(text: str) -> None:
    assert found(text) == []


def test_spoken_web_path_is_not_an_email() -> None:
    assert [t for t, _ in found("the page posted at example dot com slash help was down")] == ["URL"]


def test_types_are_known_and_offsets_exact() -> None:
    text = "Hi, I'm Maria Lopez, MRN 884421, phone 555-867-5309, born 03/04/1958, at 9 Elm Road."
    entities = DETECTOR.detect(text)
    assert {e.type for e in entities} <= set(ENTITY_TYPES)
    assert [(e.type, text[e.start : e.end]) for e in entities] == [
        ("NAME", "Maria Lopez"),
        ("MEDICAL_RECORD_NUMBER", "884421"),
        ("PHONE", "555-867-5309"),
        ("DATE", "03/04/1958"),
        ("ADDRESS", "9 Elm Road"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(entities))


def test_entities_filter() -> None:
    text = "My name is John Smith, call 555-867-5309."
    assert [e.type for e in DETECTOR.detect(text, entities={"PHONE"})] == ["PHONE"]
    with pytest.raises(ValueError, match="unknown entity types"):
        DETECTOR.detect(text, entities={"NOPE"})


def test_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_custom_terms_ignore_case_and_spacing() -> None:
    detector = default_detector(terms=["Acme  Clinic", "project   NIGHTINGALE"])
    text = "Visit the acme   CLINIC about Project\nNightingale today."
    got = [(e.type, text[e.start : e.end], e.detector) for e in detector.detect(text)]
    assert ("NAME", "acme   CLINIC", "terms:user") in got
    assert ("NAME", "Project\nNightingale", "terms:user") in got
    assert TermList([]).find("anything", None) == []  # type: ignore[arg-type]


def test_term_list_other_type() -> None:
    terms = TermList(["Ward 7B"], entity_type="ADDRESS")
    detector = RuleDetector([terms])
    assert [(e.type, e.start, e.end) for e in detector.detect("moved to ward  7b")] == [("ADDRESS", 9, 17)]


def test_redact() -> None:
    text = "My name is John Smith, call 555-867-5309."
    assert redact(text, DETECTOR.detect(text)) == "My name is [NAME], call [PHONE]."
    assert redact("nothing here", []) == "nothing here"
    with pytest.raises(ValueError, match="overlapping"):
        redact("abcdef", [Entity("NAME", 0, 3, 1.0, "x"), Entity("NAME", 2, 4, 1.0, "x")])


def test_overlaps_longest_then_score() -> None:
    a = Entity("PHONE", 0, 8, 0.5, "a")
    b = Entity("ACCOUNT_NUMBER", 0, 8, 0.9, "b")
    c = Entity("DATE", 5, 20, 0.1, "c")
    d = Entity("NAME", 21, 25, 0.1, "d")
    assert resolve_overlaps([a, b, c, d]) == [c, d]
    assert resolve_overlaps([a, b, d]) == [b, d]


def test_unknown_recognizer_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown entity types"):
        RuleDetector([TermList(["x"], entity_type="COLOUR")])


def test_empty_text() -> None:
    assert DETECTOR.detect("") == []


def test_nine_thousand_words_run() -> None:
    """Not timed (benchmarks live in bench/): a long transcript goes through and keeps offsets exact."""
    chunk = (
        "this is maria garcia calling about my mother she is ninety three years old and her number is "
        "five five five one two one two we saw doctor okafor on march third nineteen fifty eight "
        "blood pressure 120 over 80 and I will call you back at 555-867-5309 from 123 Main Street "
    )
    text = chunk * (9000 // len(chunk.split()) + 1)
    assert len(text.split()) >= 9000
    entities = DETECTOR.detect(text)
    assert len(entities) > 100
    for e in entities[:50]:
        assert text[e.start : e.end].strip() == text[e.start : e.end]
