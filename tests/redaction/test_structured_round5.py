"""Issue 23, round 5: the structured families behind the misses of the unsealed set `heldout5`, each written as
a family (spoken and written, cased and lowercase) and tested here on sentences written for these tests, none
taken from an evaluation set. Each is checked cased and as lowercase ASR output without punctuation, with the
benchmark's matching rule: a find of the type over at least half of the marked span.

Left out, known gaps: districts and towns named with no street type and no gazetteer entry ("raised in Oak
Cliff", "a camp called Ban Vinai"), two bare street names at a corner ("found at Grand and Twelfth"), and a
place named after "that's" following a phone number or a ZIP.
"""

from __future__ import annotations

import pytest

from core.redaction.overlaps import join_address_pieces
from core.redaction.types import Entity
from tests.data.redaction_eval import parse_line
from tests.redaction.general import DETECTOR, assert_marked_found, marked_cases

SENTENCES: list[str] = [
    # Spoken numeric dates with a two-digit year after the event a date heading names.
    "Date of surgery [DATE|four nineteen twenty five], no complications.",
    "Onset of symptoms [DATE|oh two fourteen twenty four] per the daughter.",
    "Date of injury: [DATE|ten oh six twenty three].",
    "date of discharge [DATE|seven thirty one twenty two] home with services",
    # A month alone after a preposition of time.
    "Her pain flared up around [DATE|February] and has not settled.",
    "The bill was unusually large for [DATE|December].",
    "We scheduled the roof repair for [DATE|October].",
    "symptoms worsened throughout [DATE|July] per the wife",
    # A licence's or a passport's expiry is a date.
    "Passport number 548812093, expires [DATE|March 2031].",
    "His permit is class B and it expires [DATE|June 2029].",
    # A corrected last four of a card.
    "Visa ending in 4410, sorry, I mean [CREDIT_DEBIT_NUMBER|4401].",
    "the card ending in two eight eight one no wait [CREDIT_DEBIT_NUMBER|two eight one eight]",
    # A social's last four given in the next turn.
    "Agent: I need your social security number. Caller: Only the last four? Agent: Yes, the last four. "
    "Caller: [SSN|six six zero three].",
    "Q. And your social? A. Uh, the last four? Q. The last four. A. [SSN|4 4 7 1].",
    # Nine digits read out one by one, with no cue.
    "Okay, [SSN|five two seven, three three, one nine eight four].",
    "Sure, it's [SSN|six one eight two two four four oh nine], got it?",
    # A numbered street said as an ordinal.
    "The pharmacy is on [ADDRESS|Third Street] next to the bank.",
    "she was found walking along [ADDRESS|ninth avenue] at midnight",
    "They live up on [ADDRESS|Forty Second Street West].",
    "Turn left onto [ADDRESS|Eighth Ave] and park behind the church.",
    # A short street type, cased anywhere after a locative; "way" in lowercase after a name-like word.
    "The shelter on [ADDRESS|Heron Loop] has two beds open.",
    "Drop it off at [ADDRESS|Willow Bend Way], the gray house.",
    "the new clinic on [ADDRESS|chickadee way] opens monday",
    "The daycare off [ADDRESS|Sandpiper Cove] called back.",
    # The second street of a crossing.
    "The crash was at [ADDRESS|Mercer Road] and [ADDRESS|Quail Run Drive], in the left lane.",
    "the bus stopped at [ADDRESS|harmon avenue] and [ADDRESS|cedar crest boulevard] for ten minutes",
    # A county or a parish by its name.
    "She was booked into the [ADDRESS|Otero County] jail on Friday.",
    "the family farm is in [ADDRESS|lafourche parish] near the bayou",
    "He works for the sheriff of [ADDRESS|Coconino County].",
    # A house number, a compass point and a street named without its type.
    "Service is scheduled for [ADDRESS|2207 West Alameda] on the eighth.",
    "we mailed the notice to [ADDRESS|four fifteen north juniper] last week",
    # A street type after "into".
    "They moved into [ADDRESS|Maple Court Plaza] last winter.",
    # A town after a person who is in it, comes from it, or a building or a street in it (lowercase too).
    "I'm in [ADDRESS|Kalamazoo] right now, can you hear me?",
    "Her grandfather came from [ADDRESS|Tulsa] with nothing.",
    "He worked at the cannery in [ADDRESS|Ketchikan] for years.",
    "we buried him at the cemetery in [ADDRESS|lafayette] last spring",
    "The crash on Route 9 near Hudson Avenue in [ADDRESS|Poughkeepsie] closed the bridge.",
    # A place given to explain a ZIP or a phone number's code.
    "The ZIP is 78702, that's [ADDRESS|East Austin].",
    "my zip is 60614 that's um [ADDRESS|lincoln park]",
    "Area code 907, that's [ADDRESS|Anchorage].",
    # Identifiers: a hesitation after the cue's verb; a spelled DEA cue; the issuing state after "plate".
    "Her certificate number is, um, [LICENSE_NUMBER|C T 4409187].",
    "The N P I is [LICENSE_NUMBER|1 4 4 7 2 0 9 3 8 1].",
    "Plate Ohio [VEHICLE_ID|Hotel Charlie Xray seven two two one], white sedan.",
    # Whose record it is between the cue and the number ("per the carrier").
    "The serial per the manufacturer is [DEVICE_ID|77 4410 9921].",
    # A long run after an IBAN cue; a four-letter prefix; a side between two serials.
    "IBAN [ACCOUNT_NUMBER|D E 44 500105175407324931].",
    "The pump's serial is [DEVICE_ID|TRXQ 5512 0073].",
    "Implant serials IM-L-3301 left and [DEVICE_ID|IM-R-3302] right.",
    # A card holder's ID on a pharmacy card.
    "Card holder ID [HEALTH_PLAN_ID|QRX-55120098-02], group 44.",
    # The account's kind after its number; another number "on the account" is not the account's.
    "Sure, it's [ACCOUNT_NUMBER|6 6 0 2 1 8 4 7 7 3], savings.",
    "The passcode on the account is [PIN|4821].",
    # The member ID given as an answer after an explanation.
    "Your member ID is printed under your name. Okay, it's [HEALTH_PLAN_ID|W Z R 55192034].",
    # The tail of a VIN by how many characters; a partial plate of letters only.
    "The VIN, just the last six, [VEHICLE_ID|118294], was on the title.",
    "Partial plate [VEHICLE_ID|KZT], dark SUV, headed west.",
    # A plate corrected in its written form.
    "The plate is GHT-4410, sorry, [VEHICLE_ID|GHT-4401].",
    # A toll-free number said "eight hundred" then digit by digit.
    "The helpline is [PHONE|eight hundred five five five oh one four two], open all night.",
    # A date of birth asked for and answered in the next turn.
    "Nurse: And your date of birth? Patient: [DATE|Nine twenty one fifty eight].",
    # A district called by name before "neighborhood", or set off after it.
    "She grew up in the [ADDRESS|Brightmoor] neighborhood.",
    # Address pieces said in a row are one address.
    "Mail it to [ADDRESS|P.O. Box 88, Tuba City, Arizona 86045] please.",
    "Ship it to [ADDRESS|Avenida Libertad 14, 2º derecha, 29001 Malaga].",
]

#: Forms only punctuation tells apart: checked in cased text alone.
CASED_ONLY: list[str] = [
    "The old neighborhood, [ADDRESS|Seven Corners], is all condos now.",
    "Officers arrested Dana Moyer, 34, of [ADDRESS|Pottsville], on Tuesday.",
]

#: PII-free sentences near the new cues: no structured find of these families may appear.
NEGATIVES: list[str] = [
    "She is on her way to the pharmacy now.",
    "We're on the way, about ten minutes out.",
    "He made it on his own way of thinking.",
    "Things went badly for a while.",
    "She ordered a case of Fifth Avenue perfume.",
    "He finished fourth in the race and fifth in the relay.",
    "Nine patients, four nurses and two aides were on the unit.",
    "The county fair is in August, and we go every year.",
    "That was a long way from home.",
    "I mean, four out of five days she feels fine.",
    "My zip code is on the form, that's all I know.",
    "Zip it up, that's the way.",
    "She is in pain and I'm in charge tonight.",
    "That's right, the area code is on the card, that's the main line.",
    "We were checking in at 8.",
    "The car was parked, and he saw the first two letters only.",
    "I got the first three right on the test.",
    "We moved to a quiet neighborhood near the school.",
    "It weighs two hundred five pounds.",
    "Room three hundred two is free.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_structured_family_is_found(line: str) -> None:
    assert_marked_found(line)


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_structured_find_near_the_new_cues(sentence: str) -> None:
    for case in marked_cases(sentence):
        found = [e for e in DETECTOR.detect(case.text) if e.type not in ("NAME",)]
        if "August" in case.text or "august" in case.text:  # a month after "in" is a date, as before
            assert [e.type for e in found] == ["DATE"], found
        else:
            assert found == [], (case.text, found)


@pytest.mark.parametrize("line", CASED_ONLY)
def test_cased_family_is_found(line: str) -> None:
    text, gold = parse_line(line)
    found = DETECTOR.detect(text)
    for g in gold:
        assert any(e.type == g.type and e.start <= g.start and g.end <= e.end for e in found), (line, found)


def test_a_count_with_commas_is_no_news_apposition() -> None:
    """Without a capitalised word before it, "12, of 30," is a count, not an age and a home town."""
    text = "Two of them, 12, of 30, were late."
    assert [e for e in DETECTOR.detect(text) if e.type == "ADDRESS"] == []


def test_address_pieces_join_only_across_a_comma_or_a_space() -> None:
    text = "Box 4, Kayenta, Arizona and Tuba City"
    pieces = [
        Entity("ADDRESS", 0, 5, 0.8, "a"),
        Entity("ADDRESS", 7, 24, 0.7, "b"),
        Entity("ADDRESS", 29, 38, 0.7, "c"),
    ]
    joined = join_address_pieces(text, pieces)
    assert [(e.start, e.end) for e in joined] == [(0, 24), (29, 38)]
    assert joined[0].score == 0.8
    # Another type between two addresses is never swallowed.
    mixed = [Entity("ADDRESS", 0, 5, 0.8, "a"), Entity("DATE", 7, 14, 0.8, "d")]
    assert join_address_pieces(text, mixed) == mixed
