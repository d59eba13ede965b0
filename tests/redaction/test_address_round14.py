"""Issue 23, round 14: address families read off heldout10's misses, each a grammar or a cue family
(streets.py, towns.py, the ZIP and the ambiguous-place cues of recognizers.py, the rules' districts).

Every sentence here was written for these tests; none comes from an evaluation set, and no town, street or
ZIP in them is one a set contains. Each positive is checked cased and as lowercase ASR output without
punctuation (`both`), unless it is listed as cased only.
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, both, covered, found

# 1. A Romance street type said first and joined to its name by a particle, with or without a cue before it:
#    the street whole, above the name it holds ("Guadalupe", "Rosario").
STREET_TYPE_FIRST: list[tuple[str, str]] = [
    ("Her grandmother still has the house on what they call Calle del Rosario.", "Calle del Rosario"),
    ("The clinic sits at the corner of Avenida de los Maestros and a gas station.", "Avenida de los Maestros"),
    ("Mail it to Rua das Laranjeiras, the pink building.", "Rua das Laranjeiras"),
    ("The café was two doors down Rue de la Fontaine, if I remember.", "Rue de la Fontaine"),
    ("They had a studio along what is now Carrer de Girona.", "Carrer de Girona"),
]

# 2. A numbered road then "in", "near" or "outside" a town: the town is the address's, even one that is also
#    a name or a word, in lowercase too.
ROAD_THEN_TOWN: list[tuple[str, str]] = [
    ("My uncle keeps bees on Route 14 in Marion these days.", "Marion"),
    ("The trailer is off County Road 7 outside Selma.", "Selma"),
]

# 3. A visit, had or not, is a journey's cue ("never been to X", "has gone back to X").
VISITED: list[tuple[str, str]] = [
    ("Honestly I have never been to Haddonfield, not once.", "Haddonfield"),
    ("She has gone back to Bloomsburg to look after her dad.", "Bloomsburg"),
    # A visitor comes from a place: a town that is also a name is taken in lowercase too.
    ("Our nephew is visiting from Addison until Sunday.", "Addison"),
]

# 4. A ZIP said of a place or a service, then a verb: "the zip for the east depot is 48213", even where an
#    account's word ("routing", "billing") is said inside the place.
ZIP_OF: list[tuple[str, str]] = [
    ("The zip for the billing and routing desk is 30318, not the old one.", "30318"),
    ("The ZIP code of the warehouse they use on weekends was 97203.", "97203"),
]

# 5. Districts of Manchester and Minneapolis after a cue; those that are surnames only where a person is no
#    reading.
DISTRICTS: list[tuple[str, str]] = [
    ("The van was last seen parked near Levenshulme on Friday.", "Levenshulme"),
    ("She shares a flat in Fallowfield with two nurses.", "Fallowfield"),
    ("We took the kids to Dinkytown for pizza.", "Dinkytown"),
]

# Capitals carry these: an ambiguous city (also a surname) after a journey's verb, and a street type with no
# particle ("Avenida Paulista").
CASED_ONLY: list[tuple[str, str]] = [
    ("My cousin came to Jackson in 1998 and opened a garage.", "Jackson"),
    ("We drove back to Mobile after the wedding.", "Mobile"),
    ("The consulate moved to Avenida Libertador last spring.", "Avenida Libertador"),
]


@pytest.mark.parametrize(("sentence", "span"), STREET_TYPE_FIRST + ROAD_THEN_TOWN + VISITED + ZIP_OF + DISTRICTS)
def test_address_family_is_found_in_both_versions(sentence: str, span: str) -> None:
    for text, want in zip(both(sentence), both(span), strict=True):
        assert covered(text, want), (text, want, DETECTOR.detect(text))


@pytest.mark.parametrize(("sentence", "span"), CASED_ONLY)
def test_cased_address_family_is_found(sentence: str, span: str) -> None:
    assert covered(sentence, span), (sentence, DETECTOR.detect(sentence))


def test_a_romance_street_is_no_name() -> None:
    for text in both("The bakery was on Calle de Florencia Ruiz, I think."):
        assert not found(text, "NAME"), (text, DETECTOR.detect(text))


def test_the_zip_of_a_place_is_no_account_number() -> None:
    for text in both("The zip for the routing office is 60415."):
        assert found(text, "ADDRESS") == [t for t in ("60415",)], (text, DETECTOR.detect(text))
        assert not found(text, "ACCOUNT_NUMBER"), (text, DETECTOR.detect(text))


NOT_ADDRESSES = [
    # A Latin or French phrase with "de" is no street without a street type before it.
    "It was a de facto ban on the via de novo appeals.",
    # "went to" a person, "been to" a thing: no place.
    "He went to Jackson and asked for the keys.",
    "Have you been to church this week?",
    "She has been to hell and back this year.",
    "He is visiting from work, not from home.",
    # A numbered road "in" a time or a weather, no town.
    "We broke down on Route 66 in the rain.",
    "They resurfaced Highway 12 in June.",
    # A surname-district said as a person's.
    "I spoke to Gorton about the rota.",
    # A ZIP word far from a five-digit account number.
    "The zip for the account is the one on file, and the account number is 55123.",
]


@pytest.mark.parametrize("sentence", NOT_ADDRESSES)
def test_no_address_is_invented(sentence: str) -> None:
    for text in both(sentence):
        got = found(text, "ADDRESS")
        assert all(
            w not in g.lower()
            for g in got
            for w in ("de facto", "de novo", "jackson", "church", "hell", "rain", "june", "gorton", "55123", "work")
        ), (text, got)
