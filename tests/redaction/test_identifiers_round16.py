"""Issue 23, round 16 (identifiers and numbers): families written as grammars over the forms a speaker gives an
identifier in, tested on sentences written for this file (none from a set).

1. A card number read digit by digit and written so ("4 4 5 0 ..." or "4-5-3-9-..."), near a card word and
   passing Luhn (`pattern:credit_card`).
2. A card's code after its expiry said any way a month and year are ("expiration ten twenty seven", "expires 09
   29", "March of 28"), named ("and the code is ...") or bare ("..., and 7 1 2", "then 5 1 8")
   (`context:cvv_after_card`, `context:cvv_after_expiry`).
3. A card's code said before its name ("7 7 1 is the CVV", "four one nine, that's the security code on the back"),
   after the cue's "'s", or up to ten words after its cue (`context:cvv_before`, `context:cvv`).
4. A British driving licence in its own shape after any licence word, run together or spaced at its joins; a US
   licence (one letter, seven to thirteen digits) with its state said beside it and no licence word
   (`context:license_later`, `context:license_state`); an identifier's cue and what it is for ("the licence
   number for the locum agency list is ...") with up to four words.
5. A value disowned in a clause of its own ("no wait, that's his old one, it's ...") or said with a hesitation
   inside it ("..., uh, oh one, ...") takes the type of its correction; a phone corrected by a phone of another
   length (`restated`).
6. A PIN named, then a code that closes the sentence but for an afterthought ("..., she told me", "... he says"),
   the PIN's own debit card being no other number (`context:pin_later`).
7. An account named by its kind (savings, checking) before "ends in" (`context:account_ending`).
8. A zero said as "oh" among figures ("3 oh 7 7") is a digit of the number (`spoken`).
9. A national patient number (NHS, CHI, NHI, IHI), said as a word or letter by letter, is a record number; a
   province's health card (OHIP) a plan's (`context:mrn`, `context:health_plan`), as the sets mark them.

Left out, because one sentence cannot tell them: a bare code answering a question asked in the sentence before
("It's eight eight three one.", "Four one six."), and a code corrected with no cue in the sentence at all.
"""

from __future__ import annotations

import pytest

from core.redaction.spoken import SpokenView
from tests.redaction.general import DETECTOR, assert_marked_found

SENTENCES: list[str] = [
    # 1. A card number digit by digit, written.
    "The card they charged is [CREDIT_DEBIT_NUMBER|5 4 2 5 2 3 3 4 3 0 1 0 9 9 0 3], not mine.",
    "Her visa, [CREDIT_DEBIT_NUMBER|4-5-3-9-1-4-8-8-0-3-4-3-6-4-6-7], was declined twice.",
    "Use the debit card for the deposit, [CREDIT_DEBIT_NUMBER|4 4 5 0 6 1 2 3 1 0 0 7 1].",
    # 2. The code after an expiry said any way.
    "The expiration is [CREDIT_DEBIT_EXPIRY|ten twenty seven] and the code is [CREDIT_DEBIT_CVV|four four two].",
    "Expires [CREDIT_DEBIT_EXPIRY|oh four, twenty eight], and [CREDIT_DEBIT_CVV|seven one two].",
    "It expires [CREDIT_DEBIT_EXPIRY|09 29], then [CREDIT_DEBIT_CVV|5 1 8].",
    "Expiry [CREDIT_DEBIT_EXPIRY|March of 28], and the code is [CREDIT_DEBIT_CVV|3 3 0].",
    # 3. The code before its name, after "'s", or far from its cue.
    "[CREDIT_DEBIT_CVV|Four one nine], that's the security code on the back.",
    "[CREDIT_DEBIT_CVV|7 7 1] is the CVV.",
    "[CREDIT_DEBIT_CVV|Five oh two], the three digits on the back.",
    "The card's good through [CREDIT_DEBIT_EXPIRY|08/29] and the CVV's [CREDIT_DEBIT_CVV|3 1 2].",
    "The code on the back of her Visa, which she read to me twice, is [CREDIT_DEBIT_CVV|5 5 2].",
    # 4. Licences by shape, by state, and a cue's purpose.
    "Her driving licence number is [LICENSE_NUMBER|MORGA 753116 SM9 IJ].",
    "The licence on file, as I read it, is [LICENSE_NUMBER|JONES 610128 AB4 XY], valid to 2031.",
    "He handed over his licence, it's [LICENSE_NUMBER|SMI99 804221 J9 2QT].",
    "[LICENSE_NUMBER|W two two one oh four eight eight seven one], from Ohio.",
    "[LICENSE_NUMBER|K 4 4 1 0 9 2 8 3 7], Texas, that's the one on the card.",
    "Her licence number for the locum agency list is [LICENSE_NUMBER|PT 449201].",
    # 5. Corrections disowned in a clause, hesitations inside, phones of another length.
    "His cell is [PHONE|07700 900 461], no wait, that's his old one, it's [PHONE|555-0132] now.",
    "The pharmacy's line is [PHONE|eight one eight, five five five, uh, oh one, four four], sorry,"
    " [PHONE|818-555-0146].",
    # 6. A PIN, then a code with an afterthought.
    "Her mobile banking passcode got changed by the branch last week, the new one is [PIN|6 0 6 1], she told me.",
    "The PIN on my debit card was locked, so they issued a temporary one, it's [PIN|eight two two four], I think.",
    "her mobile banking passcode got changed by the branch last week the new one is [PIN|6 0 6 1] she said",
    # 7. An account by its kind.
    "My checking one, the one ending in [ACCOUNT_NUMBER|4 4 1 9], please.",
    "No, the joint savings one, uh, ends with [ACCOUNT_NUMBER|seven oh two two].",
    # 9. National patient numbers and a province's health card.
    "Her N H S number is [MEDICAL_RECORD_NUMBER|943 476 5919], and her GP is in Leeds.",
    "His CHI number, [MEDICAL_RECORD_NUMBER|120 455 1938], is on the letter.",
    "The N H I number is [MEDICAL_RECORD_NUMBER|ABC 1 2 3 4].",
    "Her health card number [HEALTH_PLAN_ID|5512 447 902 XQ], Ontario, version code on the back.",
    "The OHIP number is [HEALTH_PLAN_ID|7781 220 415 AB].",
    # 8. "oh" among figures.
    "The PIN, it's [PIN|3 oh 7 7].",
    "His PIN was set to [PIN|5 5 oh 2] by the branch.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_round16_family_is_found(line: str) -> None:
    assert_marked_found(line)


def _found(text: str) -> dict[str, str]:
    return {text[e.start : e.end]: e.type for e in DETECTOR.detect(text)}


#: (sentence, a type that must not be found in it, cased or lowercased): the families' negatives.
NOT_FOUND: list[tuple[str, str]] = [
    # 1. No card word, or Luhn fails: digits read out are no card.
    ("The tracking number is 5 4 2 5 2 3 3 4 3 0 1 0 9 9 0 3.", "CREDIT_DEBIT_NUMBER"),
    ("The card they charged is 5 4 2 5 2 3 3 4 3 0 1 0 9 9 0 4.", "CREDIT_DEBIT_NUMBER"),
    # 2. A shop's code after a food's date; a count after an expiry.
    ("The milk expires 04 28 and the store code 4 4 1 is on the tag.", "CREDIT_DEBIT_CVV"),
    ("The expiry is 11 27 and 30 boxes are left.", "CREDIT_DEBIT_CVV"),
    # 3. The tail of a longer number before a CVV cue; a cue with no code after it.
    ("I have 4 4 1 2 3 and the security code is wrong.", "CREDIT_DEBIT_CVV"),
    ("She read 4 4 1 2 3 2 0 9, the security code had worn off.", "CREDIT_DEBIT_CVV"),
    ("The security code on the back is faded, the card expires in 2 years.", "CREDIT_DEBIT_CVV"),
    # 4. A flight or a phone beside a state is no licence.
    ("Flight B 1234 leaves from Texas.", "LICENSE_NUMBER"),
    ("Call 5 5 5 0 1 4 3 2 in Ohio.", "LICENSE_NUMBER"),
    # 6. A count after a PIN's cue, with an afterthought.
    ("The PIN was wrong, I tried 4 times, she said.", "PIN"),
    ("I tried the PIN 3 times, then 2 more, she said.", "PIN"),
    # 9. A trust's phone line is no patient number.
    ("Her NHS trust number is 0161 555 0190.", "MEDICAL_RECORD_NUMBER"),
    # 7. A year after "ends in" is when a savings offer ends.
    ("The savings promo ends in 2027.", "ACCOUNT_NUMBER"),
]


@pytest.mark.parametrize(("line", "kind"), NOT_FOUND)
def test_round16_negative_is_not_found(line: str, kind: str) -> None:
    for text in (line, line.lower()):
        assert kind not in _found(text).values(), text


def test_gate_code_before_a_pin_is_not_restated() -> None:
    # A correction that names another thing ("my PIN is ...") restates nothing: the gate code stays unmarked.
    found = _found("The gate code is 4 4 1 2, no, that was the old one, my PIN is 7 7 0 1.")
    assert found == {"7 7 0 1": "PIN"}


@pytest.mark.parametrize(
    ("said", "view"),
    [
        ("it's 3 oh 7 7.", "it's 3 0 7 7."),
        ("set to 5 5 oh 2 by", "set to 5 5 0 2 by"),
        # "oh" alone, or not between figures, stays a word.
        ("oh 5 and 3 oh", "oh 5 and 3 oh"),
        ("Oh, 5 people came.", "Oh, 5 people came."),
    ],
)
def test_oh_among_figures_is_zero(said: str, view: str) -> None:
    assert SpokenView(said).text == view
