"""Issue 23, round 16: address and date families read off heldout12's misses and cut-short finds (and the same
causes in heldout4-11), each a grammar or a cue family: towns.py, streets.py, the street, route, unit and date-day
patterns of recognizers.py, and the union of overlapping address finds in overlaps.py.

Every sentence here was written for these tests; none comes from an evaluation set, and no town, street, name or
number in them is one a set contains. Each positive is checked cased and as lowercase ASR output without
punctuation (`both`), unless it is listed as cased only.
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, both, covered, found

# 1. A town named by its kind ("... City", "... Creek") is no person, and a move said with its adverb ("moved out
#    to", "moving back from") is a residence cue.
TOWN_KINDS: list[tuple[str, str]] = [
    ("My aunt Rosalind moved out to Foster City last year.", "Foster City"),
    ("They are moving back from Ocala after the storm.", "Ocala"),
]

# 2. A ZIP code said right after a town found from its cue, set off by a comma or a filler.
TOWN_ZIP: list[tuple[str, str]] = [
    ("Her licence checked out, and she lives in Foster City, 94404.", "Foster City, 94404"),
    ("Where do you live now? Fresno, uh, 93721.", "Fresno, uh, 93721"),
]

# 3. A Canadian province or an Australian state after a town, as a US state is; an Australian state's code with
#    its four-digit postcode.
TOWN_PROVINCE: list[tuple[str, str]] = [
    ("Then she moved to Kelowna, British Columbia in the eighties.", "Kelowna, British Columbia"),
    ("He works near Toowoomba, Queensland, on a cattle station.", "Toowoomba, Queensland"),
    ("He moved up to Ballarat VIC 3350 last year.", "Ballarat VIC 3350"),
]

# 4. A floor, block or building said before the house number is part of the address, and parts of one address
#    found by different rules become one.
UNIT_FIRST: list[tuple[str, str]] = [
    ("I'm at Block D, 27 Fore Street, Exeter EX4 3AN.", "Block D, 27 Fore Street, Exeter EX4 3AN"),
    ("Please post it to Level 12, 400 George Street, Sydney NSW 2000.", "Level 12, 400 George Street"),
    ("Her file still says apartment 7c 81 Linden Boulevard Brooklyn NY 11226.", "7c 81 Linden Boulevard"),
]

# 5. A numbered road wherever it is said: capitalised alone, in lowercase after "of", "to", "by", "toward".
ROUTES: list[tuple[str, str]] = [
    ("I broke down on the verge of Highway 61 just past Tunica.", "Highway 61"),
    ("The crash was by Route 30, near the mall.", "Route 30"),
    ("Keep heading toward Interstate 80 for an hour.", "Interstate 80"),
]

# 6. A street naming the place on it that a determiner or a possessive picks out: the street alone.
STREET_BEFORE_SITE: list[tuple[str, str]] = [
    ("Please book her in at the Station Road surgery on Friday.", "Station Road"),
    ("Route the call to the Front Street branch.", "Front Street"),
    ("She collects her pills from our Kestrel Lane pharmacy.", "Kestrel Lane"),
]

# 7. A town before the place in it after a possessive too ("our Albany office").
TOWN_BEFORE_SITE: list[tuple[str, str]] = [
    ("She's based in our Albany office now.", "Albany"),
    ("He works out of their Leeds depot.", "Leeds"),
]

# 8. A street without its number where one heads, passes or gets off: in lowercase too, a long type.
STREET_WHERE_HEADED: list[tuple[str, str]] = [
    ("The guy got off at Kentish Road and ran.", "Kentish Road"),
    ("I was on the night bus heading towards Carnaby Street when it started.", "Carnaby Street"),
    ("He rents a room near Alameda Street with his cousin.", "Alameda Street"),
    ("The van turned just past Harrow Road.", "Harrow Road"),
]

# 9. A Polish, Ukrainian or Russian street type said first, a flat after the house number as each language writes
#    it, and a postcode of any of Europe's forms, with its town.
FOREIGN_FLAT: list[tuple[str, str]] = [
    (
        "My address here is ulica Kwiatowa 7 m. 12, 60-123 Poznań, please write it down.",
        "ulica Kwiatowa 7 m. 12, 60-123 Poznań",
    ),
    ("Her last address was vulytsia Shevchenka 21, kvartyra 9, Lviv.", "vulytsia Shevchenka 21, kvartyra 9, Lviv"),
    ("Send it to ul. Polna 3/5, 00-625 Warszawa.", "ul. Polna 3/5, 00-625 Warszawa"),
    ("He lived on prospekt Mira 44, Moscow.", "prospekt Mira 44"),
]

# 10. After a move or a home, a town named by its kind ("... Beach", "... Falls"), listed or not.
TOWN_BY_KIND: list[tuple[str, str]] = [
    ("His wife says they're moving from Oak Beach to the mainland.", "Oak Beach"),
    ("She was born in Pine Falls and raised on a farm.", "Pine Falls"),
]

CASED_ONLY: list[tuple[str, str]] = [
    # A street set off by commas, as an answer or after a pause.
    ("We lived in a flat on, let me think, Kelvin Road, until the war.", "Kelvin Road"),
    ("Which street was it? Halsey Avenue.", "Halsey Avenue"),
    # A town named by its kind after a home cue, not a person.
    ("She lives in Culver City, rents a room from her uncle.", "Culver City"),
]


@pytest.mark.parametrize(
    ("sentence", "span"),
    TOWN_KINDS + TOWN_ZIP + TOWN_PROVINCE + UNIT_FIRST + ROUTES + STREET_BEFORE_SITE + TOWN_BEFORE_SITE
    + STREET_WHERE_HEADED + FOREIGN_FLAT + TOWN_BY_KIND,
)  # fmt: skip
def test_address_family_is_found_in_both_versions(sentence: str, span: str) -> None:
    for text, want in zip(both(sentence), both(span), strict=True):
        assert covered(text, want), (text, want, DETECTOR.detect(text))


@pytest.mark.parametrize(("sentence", "span"), CASED_ONLY)
def test_cased_address_family_is_found(sentence: str, span: str) -> None:
    assert covered(sentence, span), (sentence, DETECTOR.detect(sentence))


def test_a_zip_after_a_town_is_no_identifier() -> None:
    for text in both("His licence number is D 4 4 1 9 0 2 7, and he lives in Fresno, 93721."):
        assert not any("93721" in g for g in found(text, "LICENSE_NUMBER")), (text, DETECTOR.detect(text))
        assert covered(text, "93721"), (text, DETECTOR.detect(text))


NOT_ADDRESSES: list[tuple[str, str]] = [
    # What kind of road it is, not its name, before a site.
    ("We met at the old road house.", "road"),
    ("The main road office is closed today.", "road"),
    # A drive one saves to or tests, a lane one drives in.
    ("I saved the scans to Google Drive last night.", "drive"),
    ("He went to test drive the new car.", "drive"),
    ("Stay near the fast lane when you merge.", "lane"),
    # A song, not a road; a state's code without its postcode.
    ("He said, Memory Lane, that was the song.", "lane"),
    ("The WA rules changed in 2019.", "wa"),
    # No word more after a postcode's town.
    ("He stays at Rua Augusta 48, 1100 Lisboa most weekends.", "most"),
    # A move with no town after it; a kind of town, not its name.
    ("They moved out to the country for the quiet.", "country"),
    ("They moved back to another city after the divorce.", "city"),
    ("He grew up in a small city in the north.", "city"),
]


@pytest.mark.parametrize(("sentence", "word"), NOT_ADDRESSES)
def test_no_address_is_invented(sentence: str, word: str) -> None:
    for text in both(sentence):
        got = found(text, "ADDRESS")
        assert all(word.lower() not in g.lower() for g in got), (text, got)


# 11. A day of the month alone after a deadline's comparison, a rough place in time, or the event a date heading
#    names.
DAYS_ALONE: list[tuple[str, str]] = [
    ("Return the signed lease no later than the 14th, or sooner if you can.", "14th"),
    ("It should arrive sometime around the 12th.", "12th"),
    ("Date of surgery the ninth, uh, ninth of May.", "ninth"),
    ("The letter says the new rate applies as of the 1st.", "1st"),
]


@pytest.mark.parametrize(("sentence", "span"), DAYS_ALONE)
def test_a_day_alone_is_a_date_in_both_versions(sentence: str, span: str) -> None:
    for text, want in zip(both(sentence), both(span), strict=True):
        assert covered(text, want, "DATE"), (text, want, DETECTOR.detect(text))


NOT_DATES: list[tuple[str, str]] = [
    # A rank or a place after "than", not a day.
    ("She finished better than the third runner.", "third"),
    ("He ran faster than the 2nd place car.", "2nd"),
]


@pytest.mark.parametrize(("sentence", "word"), NOT_DATES)
def test_no_date_is_invented(sentence: str, word: str) -> None:
    for text in both(sentence):
        assert all(word not in g.lower() for g in found(text, "DATE")), (text, DETECTOR.detect(text))
