"""Issue 23, round 15: address, date and age families read off heldout11's misses (and the same causes in
heldout10's and heldout8's), each a grammar or a cue family: towns.py, streets.py, the home cues and the
month pattern of recognizers.py, the digit grammar of dates.py, and after_names.py.

Every sentence here was written for these tests; none comes from an evaluation set, and no town, street,
name or number in them is one a set contains. Each positive is checked cased and as lowercase ASR output
without punctuation (`both`), unless it is listed as cased only.
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, both, covered, found

# 1. A place name joined by the hyphenated links of French, Persian, Arabic and the Romance languages, after
#    any place cue: the whole compound, listed or not.
HYPHEN_LINKED: list[tuple[str, str]] = [
    ("My sister still works at a bakery in Trois-Rivières-aux-Pins these days.", "Trois-Rivières-aux-Pins"),
    ("He grew up near Qala-i-Naw before the war.", "Qala-i-Naw"),
    ("We flew back from Sharm-el-Sheikh on the late flight.", "Sharm-el-Sheikh"),
    ("They drove back to Ville-du-Lac for the weekend.", "Ville-du-Lac"),
    ("Her parents still live in Sainte-Agathe-des-Monts, up north.", "Sainte-Agathe-des-Monts"),
    ("The train from St-Rémy was late again.", "St-Rémy"),
]

# 2. Displacement and crossing: fled to, deported to, evacuated to, interned at, crossed at a place. A listed
#    town in both versions; an unlisted one where capitals carry it (CASED_ONLY).
DISPLACED: list[tuple[str, str]] = [
    ("The family was evacuated to Biloxi after the levee broke.", "Biloxi"),
    ("Her brother crossed at Nogales in the spring.", "Nogales"),
    ("His parents fled to Peshawar with nothing but a blanket.", "Peshawar"),
    ("They were deported to Tijuana without their papers.", "Tijuana"),
]

# 3. Kin, named or not, in a town: a town that is also a surname is taken in lowercase too.
KIN_IN_TOWN: list[tuple[str, str]] = [
    ("We can stay with my brother Abdi in Lowell for a week.", "Lowell"),
    ("Her daughter in Everett calls her every night.", "Everett"),
]

# 4. A compass point before the street's name, abbreviated or spelled out.
DIRECTION_FIRST: list[tuple[str, str]] = [
    ("The bus dropped him off at SE 41st Avenue around noon.", "SE 41st Avenue"),
    ("They rent a duplex on Northwest 18th Street, near the school.", "Northwest 18th Street"),
]

# 5. Korean and Japanese street and district words joined by a hyphen.
EAST_ASIAN: list[tuple[str, str]] = [
    ("Our old office was on Sejong-daero, by the fountain.", "Sejong-daero"),
    ("The package goes to Teheran-ro 212, fourth floor.", "Teheran-ro 212"),
    ("My aunt has a flat in Shibuya-ku now.", "Shibuya-ku"),
]

# 6. An Irish county said before its name, with the townland and the town before it.
IRISH_COUNTY: list[tuple[str, str]] = [
    (
        "Send the parcel to Knockanure, Listowel, County Kerry, and mark it fragile.",
        "Knockanure, Listowel, County Kerry",
    ),
    ("My grandmother was from Ballymote, County Sligo.", "Ballymote, County Sligo"),
    ("They spent the summer in County Clare with cousins.", "County Clare"),
]

# 7. A town after a numbered road and "outside", "near", "north of": listed or not, a name too.
ROAD_TOWN: list[tuple[str, str]] = [
    ("The fire started on Highway 9 just outside of Dorsey on Tuesday.", "Dorsey"),
    ("There is a diner on Route 22 north of Kellerton that stays open late.", "Kellerton"),
]

# 8. In lowercase, a street whose type is an everyday word, where someone lives or has a home.
HOME_WORD_TYPE: list[tuple[str, str]] = [
    ("My nan lives on Larkspur Close with her two cats.", "Larkspur Close"),
    ("He had a flat on Ashbourne Gardens for years.", "Ashbourne Gardens"),
]

# 9. After a person's name, and the age said after it, "in", "from" or "of" a listed town: a town that is also
#    a name or a word in lowercase too.
TOWN_AFTER_NAME: list[tuple[str, str]] = [
    ("The wire goes to beneficiary Siobhan Kearney in Leicester, same as last month.", "Leicester"),
    ("This is an oral history with Walter Jenkins, ninety-three, of Dover, recorded at home.", "Dover"),
    ("We spoke to Daniel Murphy from Croydon about the lease.", "Croydon"),
]

# 10. One comes, flies or drives to a place: a town that is also a word or a name is taken in lowercase too,
#     unless it is a person's name as well (in NOT_ADDRESSES).
ARRIVED: list[tuple[str, str]] = [
    ("My grandparents came to Fremont in 1979 with two suitcases.", "Fremont"),
    ("She flew to Lansing on Sunday to see the baby.", "Lansing"),
]

CASED_ONLY: list[tuple[str, str]] = [
    # A street named without its type after a shop or a home on it.
    ("My uncle had a barber shop on Halsted for thirty years.", "Halsted"),
    ("They towed it to the lot on Martin Luther King, the one by the tracks.", "Martin Luther King"),
    ("She still lives on Ocean Parkway? No, she lives on Kingsbridge now.", "Kingsbridge"),
    # A well-known place of several capitalised words needs no cue.
    ("The return label says Grand Rapids, but he swears he never lived there.", "Grand Rapids"),
    ("Well, the form says Cedar Rapids and the licence says something else.", "Cedar Rapids"),
    ("As a boy he was interned at Tule Lake with his mother.", "Tule Lake"),
    ("We fled to Kakuma when the fighting reached our village.", "Kakuma"),
    ("She crossed the border at Sasabe on foot.", "Sasabe"),
]


@pytest.mark.parametrize(
    ("sentence", "span"),
    HYPHEN_LINKED
    + DISPLACED
    + KIN_IN_TOWN
    + DIRECTION_FIRST
    + EAST_ASIAN
    + IRISH_COUNTY
    + ROAD_TOWN
    + HOME_WORD_TYPE
    + TOWN_AFTER_NAME
    + ARRIVED,
)
def test_address_family_is_found_in_both_versions(sentence: str, span: str) -> None:
    for text, want in zip(both(sentence), both(span), strict=True):
        assert covered(text, want), (text, want, DETECTOR.detect(text))


@pytest.mark.parametrize(("sentence", "span"), CASED_ONLY)
def test_cased_address_family_is_found(sentence: str, span: str) -> None:
    assert covered(sentence, span), (sentence, DETECTOR.detect(sentence))


def test_a_town_off_a_road_is_no_name() -> None:
    for text in both("The farm sits on Route 5 outside of Kellerman, past the grain elevator."):
        assert covered(text, "Kellerman" if text[0].isupper() else "kellerman"), (text, DETECTOR.detect(text))
        assert not found(text, "NAME"), (text, DETECTOR.detect(text))


NOT_ADDRESSES: list[tuple[str, str]] = [
    # A hyphenated English word with "in" or "de" is no place without a place cue.
    ("My mother-in-law brought a tête-de-veau recipe.", "mother-in-law"),
    # Fled from a person, crossed at a time, entered at a number: no place.
    ("He fled to his uncle and crossed at dawn.", "uncle"),
    ("She crossed at noon and entered at gate 4.", "noon"),
    # Kin "in" a state of things, no town.
    ("My brother in law is in charge of the grill.", "law"),
    # A compass point before a word that is no street type.
    ("The SE corner of the lot floods every spring.", "SE"),
    # The "ding-dong" of a doorbell; a "county" word that is no Irish county.
    ("We heard the ding-dong of the bell at the county fair.", "ding-dong"),
    # A numbered road then "near" a landmark, not a town.
    ("We broke down on route 6 near the bridge by the creek.", "bridge"),
    # Lowercase: a home "on the green", "on a hill": a determiner starts no street.
    ("They live on the green and we live on a hill.", "green"),
    # A name "in" a department or a state of things; a town that is an everyday word after a name.
    ("Ask Priya Raman in billing, or Tom Becker in charge of the night shift.", "billing"),
    ("I bought it from Gerald Ostrowski in reading glasses aisle.", "reading"),
    # In lowercase a person is come to as often as a town that is a surname too.
    ("He came to jackson for advice about the will.", "jackson"),
    # A title after a home cue starts a person's name.
    ("The referral came from Dr. Okonkwo at the county clinic.", "dr"),
    # A day, a feast, a benefit or a website that a shop or a home is "on".
    ("The bakery on Sunday sells out early, and the shop on Etsy does too.", "sunday"),
    ("The bakery on Sunday sells out early, and the shop on Etsy does too.", "etsy"),
    ("He lives on Medicaid and Social Security now.", "medicaid"),
    # A saint of several capitalised words is no place without a cue; nor a place inside a firm's name.
    ("Saint Paul wrote to the Corinthians, and the Grand Rapids Press reviewed it.", "paul"),
    ("Saint Paul wrote to the Corinthians, and the Grand Rapids Press reviewed it.", "grand rapids"),
]


@pytest.mark.parametrize(("sentence", "word"), NOT_ADDRESSES)
def test_no_address_is_invented(sentence: str, word: str) -> None:
    for text in both(sentence):
        got = found(text, "ADDRESS")
        assert all(word.lower() not in g.lower() for g in got), (text, got)


# 9. A month after a time word and a hedge ("since about", "until roughly").
HEDGED_MONTHS: list[tuple[str, str]] = [
    ("The pain has been there since about October, she thinks.", "October"),
    ("He'll be in the cast until roughly November.", "November"),
    ("They stopped the drug sometime in January.", "January"),
]

# 10. A date read aloud with its zero ("oh four, nine, sixty-eight"), and a day said digit by digit
#     ("two six" is 26).
SPOKEN_DATES: list[tuple[str, str]] = [
    (
        "To confirm, she read out oh four, twenty-two, fifty-eight from the bracelet.",
        "oh four, twenty-two, fifty-eight",
    ),
    ("Date of birth is one one two six nineteen seventy-three.", "one one two six nineteen seventy-three"),
    ("He was born zero nine three oh nineteen forty-one in a farmhouse.", "zero nine three oh nineteen forty-one"),
]


@pytest.mark.parametrize(("sentence", "span"), HEDGED_MONTHS + SPOKEN_DATES)
def test_date_family_is_found_in_both_versions(sentence: str, span: str) -> None:
    for text, want in zip(both(sentence), both(span), strict=True):
        assert any(want in got for got in found(text, "DATE")), (text, want, DETECTOR.detect(text))


NOT_DATES: list[tuple[str, str]] = [
    # A hedge before "may" the verb, a count of months, a phone number with a zero.
    ("It could be about may or may not matter.", "may"),
    ("He said oh seven one two three four five five five one for the callback.", "oh seven"),
    ("We used about two thirds of it since about half the box was wet.", "half"),
]


@pytest.mark.parametrize(("sentence", "word"), NOT_DATES)
def test_no_date_is_invented(sentence: str, word: str) -> None:
    for text in both(sentence):
        assert all(word not in g.lower() for g in found(text, "DATE")), (text, DETECTOR.detect(text))


# 11. Lowercase without punctuation: an age over 89 right after a found name, or where the person lies, then
#     any word.
def test_an_age_after_a_name_in_lowercase() -> None:
    assert "ninety-four" in found("the resident was margaret okafor ninety-four admitted overnight", "AGE")
    assert "ninety-six" in found("mrs patel in bed nine ninety-six son is on his way", "AGE")


def test_a_house_number_or_a_measure_after_a_name_is_no_age() -> None:
    assert not found("send it to margaret okafor ninety-four elm street", "AGE")
    assert not found("margaret okafor ninety-four percent on room air", "AGE")
    assert not found("call margaret okafor ninety-four five five five", "AGE")
