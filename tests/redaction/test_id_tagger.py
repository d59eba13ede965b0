"""The trained identifier tagger (issue 23, round 8): its tokens and features, the shipped model verified and
loaded as the product loads it, and what it adds to the rules. Every sentence here was written for these tests
(none from an evaluation set)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.errors import ModelError, ModelMismatch
from core.redaction.detect import load_detector
from core.redaction.id_tagger import (
    ID_TAGGER,
    CrfIdRecognizer,
    IdTagger,
    _veto,
    runs,
    sentence_features,
    token_class,
    tokenize,
    windows,
)
from core.redaction.overlaps import combine
from core.redaction.spoken import SpokenView
from core.redaction.types import Detector, Entity
from models.manifest import ID_TAGGER_MODEL, REDACTION_ARTEFACTS
from models.name_tagger import ARTEFACTS_DIR, load_id_tagger, load_name_tagger, product_detector, read_verified


@pytest.fixture(scope="module")
def tagger() -> IdTagger:
    return load_id_tagger()


@pytest.fixture(scope="module")
def product() -> Detector:
    return product_detector()


@pytest.fixture(scope="module")
def rules_only() -> Detector:
    return load_detector(name_tagger=load_name_tagger())  # the product as it was before the identifier tagger


def test_tokens_keep_digit_groups_apart_and_words_whole() -> None:
    assert [t.text for t in tokenize("x-ray 4, XLW1-2345 driver's 123-45-6789")] == [
        "x-ray", "4", ",", "XLW1", "-", "2345", "driver's", "123", "-", "45", "-", "6789",
    ]  # fmt: skip
    assert [token_class(w) for w in ("4471", "oh", "double", "tango", "q", "b12", "uh", "march", "-", "plan")] == [
        "D", "S", "R", "N", "L", "M", "F", "T", "P", "W",
    ]  # fmt: skip


def test_a_hyphenated_number_word_is_a_digit_word_and_a_month_before_digits_opens_a_window() -> None:
    assert token_class("twenty-eight") == "S" and token_class("x-ray") == "N" and token_class("well-known") == "W"
    text = "Thanks. And the expiry? It's good through April of twenty-eight."
    assert windows(tokenize(text), text) != []
    assert windows(tokenize("We met in April of last year."), "We met in April of last year.") == []


def test_a_run_counts_its_digits_however_it_is_grouped_or_said() -> None:
    def run_of(text: str) -> tuple[int, int]:
        words = [t.text for t in tokenize(text)]
        found = runs(words, [token_class(w) for w in words])
        return max((r[0], r[1]) for r in found)

    assert run_of("card 4111 1111 1111 1111 thanks") == (16, 0)
    assert run_of("card four one double one, 1111 dash 1111 - 1111 thanks") == (16, 0)
    assert run_of("ssn one two three forty five sixty seven eighty nine") == (9, 0)
    assert run_of("plate seven b as in boy x-ray k 2 2") == (3, 3)


def test_the_cue_window_reaches_past_a_long_value_to_its_cue() -> None:
    # A read-back after a spoken card number: the cue is 20 tokens back, but the value's tokens count for nothing.
    text = "the card number is four one one one one one one one one one one one one one one one so " + "four"
    feats = sentence_features(tokenize(text), text)
    assert "near=card" in feats[-1] and "lw=card" in feats[-1]
    # and nothing is seen past ten words
    far = "card " + "the word went on and on and on for a while " + "4471"
    assert "lf=card" not in sentence_features(tokenize(far), far)[-1]


def test_only_sentences_with_a_code_and_a_cue_are_tagged() -> None:
    for text in ("Take 20 mg at 9:30 and call me.", "The patient is well, and so is her sister.",
                 "Room 412, bed 3.", "Order number 5512 9981 shipped."):  # fmt: skip
        assert windows(tokenize(text), text) == [], text
    text = "Thanks. What's your member ID? Hold on. It's W 4 4 7 2 9. Great, anything else?"
    tokens = tokenize(text)
    [(a, b)] = windows(tokens, text)
    assert tokens[a].text == "What's" and tokens[b - 1].text == "."


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (
            "can you confirm the pacemaker serial number | it's p m two dash four four eight one two",
            "DEVICE_ID",
            "p m two dash four four eight one two",
        ),
        (
            "what's the member ID on the back of the card? uh sure, it's W as in whiskey 4 4 7 2 9 1 8 8.",
            "HEALTH_PLAN_ID",
            "W as in whiskey 4 4 7 2 9 1 8 8",
        ),
        ("and the three digits on the back? six oh two.", "CREDIT_DEBIT_CVV", "six oh two"),
        (
            "her chart number is oh oh four seven seven one nine",
            "MEDICAL_RECORD_NUMBER",
            "oh oh four seven seven one nine",
        ),
        # Round 9: the weak types' other phrasings and value forms.
        ("the card is good through April of twenty-nine, thanks.", "CREDIT_DEBIT_EXPIRY", "April of twenty-nine"),
        ("when does your card expire? three slash thirty one.", "CREDIT_DEBIT_EXPIRY", "three slash thirty one"),
        ("can I have the last four of your social? sure, eight one oh six.", "SSN", "eight one oh six"),
        ("and the CID on the front of the Amex? 4 4 0 9.", "CREDIT_DEBIT_CVV", "4 4 0 9"),
        ("what's the PIN on the debit card? it's seven, three, oh, nine.", "PIN", "seven, three, oh, nine"),
        ("the tag on her car is seven k as in kilo r nine two two.", "VEHICLE_ID", "seven k as in kilo r nine two two"),
        # one plate in two groups: the comma between them decides nothing
        (
            "license plate is kilo lima nine one, x-ray bravo mike, from Maine.",
            "VEHICLE_ID",
            "kilo lima nine one, x-ray bravo mike",
        ),
    ],
)
def test_the_tagger_finds_identifiers_after_their_cues(tagger: IdTagger, text: str, kind: str, value: str) -> None:
    text = text.replace(" | ", " ")
    found = [(text[a:b], k) for a, b, k, _ in tagger.spans(text)]
    assert (value, kind) in found, found
    lower = text.lower()
    assert (value.lower(), kind) in [(lower[a:b], k) for a, b, k, _ in tagger.spans(lower)]


@pytest.mark.parametrize(
    "text",
    [
        "The order number is 5512 9981 0042, it shipped Tuesday.",
        "Claim number 77 120 4491 was denied, the copay is $40.",
        "Plan: increase the dose to 40 mg and recheck in 2 weeks.",
        "Patient is a 67 year old with back pain for three weeks, pressure 142 over 88.",
        "She paid with her credit card, the total was $212.40.",
        "The insulin pump is running at 1.2 units per hour since 6:30.",
        # the vetoes: a name spelled, an amount in hundreds, a model year
        "Member name is Dana Kowalczyk, that's K O W A L C Z Y K, and the ID is on the card.",
        "Your account balance is three hundred twelve dollars and ten cents.",
        "The insured vehicle is a 2019 Outback, garaged at home, plate on file.",
        # Round 9: the weak types' cue words beside extensions, doses, times and group numbers
        "Take twenty milligrams four times a day and dial extension 4410 if it gets worse.",
        "The group number is 88120 and the claim number is 4471 9920.",
        "Her appointment is at nine thirty, and the card expires next month.",
        "The social worker is at extension two two three one, room 418.",
    ],
)
def test_numbers_after_other_cues_are_no_identifiers(tagger: IdTagger, text: str) -> None:
    assert tagger.spans(text) == []
    assert tagger.spans(text.lower().replace(",", "")) == []


def test_the_recognizer_names_its_finds_and_the_product_adds_what_the_rules_miss(
    tagger: IdTagger, product: Detector, rules_only: Detector
) -> None:
    text = "okay and what's the pump's serial | sure it's k z nine dash oh four four one seven".replace(" | ", " ")
    found = CrfIdRecognizer(tagger).find(text, SpokenView(text))
    assert [(e.type, e.detector) for e in found] == [("DEVICE_ID", ID_TAGGER)]
    value = "k z nine dash oh four four one seven"
    assert not any(e.type == "DEVICE_ID" for e in rules_only.detect(text))
    assert [(e.type, text[e.start : e.end]) for e in product.detect(text)] == [("DEVICE_ID", value)]


def test_the_rules_other_types_win_over_the_tagger(product: Detector) -> None:
    # A date the rules find stays a date, whatever the tagger thinks of the number after "expires".
    text = "My passport expires on March 3, 2031, and my Visa card number is 4111 1111 1111 1111."
    kinds = {text[e.start : e.end]: e.type for e in product.detect(text)}
    assert kinds.get("4111 1111 1111 1111") == "CREDIT_DEBIT_NUMBER"
    assert "DATE" in kinds.values()


def test_the_tagger_gives_way_to_other_types_and_the_longest_identifier_wins() -> None:
    text = "expires 04/27 and account 5512 9981 0042"
    date = Entity("DATE", 8, 13, 0.9, "date")
    expiry = Entity("CREDIT_DEBIT_EXPIRY", 0, 13, 0.7, ID_TAGGER)  # longer than the date, yet it gives way
    rule_account = Entity("ACCOUNT_NUMBER", 26, 35, 0.9, "context:account")
    tagged_account = Entity("ACCOUNT_NUMBER", 26, 40, 0.7, ID_TAGGER)
    assert combine([date, expiry, rule_account, tagged_account], text) == [date, tagged_account]


def test_an_expiry_with_a_slash_needs_a_month() -> None:
    assert _veto(tokenize("49/51"), "CREDIT_DEBIT_EXPIRY")
    assert not _veto(tokenize("04/27"), "CREDIT_DEBIT_EXPIRY")
    assert not _veto(tokenize("49/51"), "ACCOUNT_NUMBER")


def test_a_damaged_model_is_refused() -> None:
    with pytest.raises(ModelError, match="could not be opened"):
        IdTagger(model=b"not a crfsuite model")


def test_a_tampered_model_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    for spec in REDACTION_ARTEFACTS:
        shutil.copy(ARTEFACTS_DIR / spec.file_name, tmp_path / spec.file_name)
    target = tmp_path / ID_TAGGER_MODEL.file_name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only the hash can tell
    target.write_bytes(bytes(data))
    with pytest.raises(ModelMismatch, match=f"sha256 {ID_TAGGER_MODEL.sha256}"):
        product_detector(folder=tmp_path)


def test_the_shipped_model_matches_the_manifest() -> None:
    assert len(read_verified(ID_TAGGER_MODEL)) == ID_TAGGER_MODEL.size_bytes
