"""Synthetic transcript sentences with gold ADDRESS spans, to train and check the address tagger (issue 23,
round 10).

Rules and the towns gazetteer find an address by its parts; a CRF learns the family from context instead: a
house number, a name and a street type; a unit, a town, a state and a ZIP after it; a town or a neighbourhood
after a residence or travel cue, whether or not any list holds it. Written from how people say addresses, not
from any evaluation set: nothing here was read off tests/data/, and the street and town words are this
module's own or drawn from the project's gazetteers (plus invented ones, so that the tagger learns the context
and not the list).

A template is a frame with slots:

- ``{A:KIND}``: a gold address of that kind (``full`` a US street address with its tails, ``street`` a
  house number and street, ``name`` a street's name alone, ``rural`` a rural route, PO box, county road or
  highway, ``foreign`` a street-first or non-US address with its postcode, ``town`` a town, city or
  neighbourhood, ``zip`` a ZIP code alone);
- ``{N:KIND}``: a hard negative (a facility, an organisation, a state or a country alone, a room, bed or floor,
  a drug and its dose, a count, a town name that is an everyday word used as one);
- ``{F}``: a filler or nothing; ``{WHO}``: a person's role.

Every sentence is rendered twice, as the product sees text: ``cased`` (sentence case, punctuation, names
capitalised, numbers mostly as digits) and ``lower`` (the eval sets' rule). Templates whose CRC-32 is 0 mod 6
are held out of training for dev figures. One seeded ``random.Random`` draws everything.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

from core.redaction.recognizers import _STATE_NAMES, load_names, load_places, load_street_suffixes
from core.redaction.towns import load_towns
from models.training import ids_corpus
from models.training.ids_corpus import Example, lowercase, render_cased, say_digits

# -- vocabulary: this module's own ----------------------------------------------------------------------
_STREET_WORDS = (
    "maple", "juniper", "alder", "sycamore", "hawthorn", "linden", "cedar", "birch", "willow", "chestnut",
    "magnolia", "tamarack", "hemlock", "poplar", "laurel", "spruce", "larch", "cottonwood", "mesquite", "pinyon",
    "garfield", "whitmore", "pendleton", "ashford", "kessler", "dunbar", "halloway", "brennan", "okafor",
    "castellano", "marquette", "delacroix", "fairbanks", "holcomb", "truman", "lincoln", "jefferson", "monroe",
    "ridge", "brook", "meadow", "harbor", "summit", "canyon", "prairie", "orchard", "quarry", "mill", "heron",
    "falcon", "osprey", "kestrel", "bluebird", "cardinal", "sparrow", "foxglove", "clover", "thistle",
    "sagebrush", "bramble", "copper", "granite", "flint", "silver", "iron", "stone", "lake", "river", "spring",
    "sunset", "sunrise", "hillcrest", "glenwood", "briarwood", "westfield", "northgate", "eastbrook",
    "kingsley", "wexley", "carrow", "bellamy", "thornton", "radcliffe", "ainsley", "merriweather", "oakhurst",
    "pinecrest", "lakeshore", "riverbend", "stonegate", "fox run", "deer path", "old mill", "quail hollow",
    "hidden valley", "shady oak", "twin pines", "high point", "king", "queen", "church", "market", "main",
    "water", "bridge", "school", "college", "park", "union", "washington", "franklin", "grant", "pierce",
)  # fmt: skip
_ORDINAL_STREETS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                    "eleventh", "twelfth", "1st", "2nd", "3rd", "4th", "5th", "9th", "14th", "23rd", "42nd", "101st",
                    "forty second", "thirty fourth", "twenty first")  # fmt: skip
_COMMON_TYPES = ("street", "avenue", "road", "drive", "lane", "court", "boulevard", "way", "place", "circle",
                 "terrace", "trail", "parkway", "highway", "st.", "ave", "rd", "dr.", "ln", "blvd", "ct")  # fmt: skip
_DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "n.", "s.",
               "e.", "w.", "nw", "se")  # fmt: skip
_UNITS = ("apartment {n}", "apt. {n}", "apt {n}", "unit {n}", "suite {n}", "#{n}", "number {n}", "lot {n}",
          "space {n}", "building {L}", "apartment {n}{L}", "unit {n}{L}", "trailer {n}", "flat {n}")  # fmt: skip
_SYLLABLES_A = (
    "bram",
    "cor",
    "dun",
    "el",
    "fen",
    "gal",
    "har",
    "kel",
    "lor",
    "mar",
    "nor",
    "os",
    "pem",
    "quin",
    "ros",
    "sel",
    "tal",
    "ul",
    "ver",
    "wex",
    "yar",
    "ash",
    "bel",
    "cal",
    "dal",
    "ev",
    "glen",
    "hol",
)
_SYLLABLES_B = (
    "ton",
    "ville",
    "wick",
    "ford",
    "field",
    "burg",
    "dale",
    "more",
    "mont",
    "bury",
    "ley",
    "stead",
    "port",
    "haven",
    "crest",
    "brook",
    "wood",
    "ham",
    "by",
    "ridge",
    "view",
    "ia",
    "ando",
    "ena",
)
_TOWN_TAILS = ("", "", "", "", " falls", " springs", " heights", " junction", " city", " park", " hills")
_NEIGHBOURHOODS = ("east {t}", "west {t}", "north {t}", "south {t}", "{t} heights", "old {t}", "upper {t}",
                   "lower {t}", "{t} village", "downtown {t}", "the {t} district")  # fmt: skip
_PROVINCES = ("ontario", "quebec", "british columbia", "alberta", "manitoba", "nova scotia", "on", "qc", "bc", "ab")
_COUNTRIES = ("mexico", "canada", "ireland", "germany", "france", "italy", "spain", "poland", "nigeria", "kenya",
              "india", "the philippines", "vietnam", "brazil", "peru", "australia", "scotland", "wales",
              "portugal", "ukraine", "ghana", "colombia", "guatemala", "el salvador", "japan", "korea")  # fmt: skip
_STATE_ABBR = ("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "ID", "IL", "IN", "IA", "KS", "KY",
               "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
               "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI",
               "WY")  # fmt: skip
_UK_TYPES = ("road", "close", "crescent", "mews", "gardens", "grove", "terrace", "street", "lane", "walk", "row",
             "square", "parade", "rise", "hill", "view", "drive")  # fmt: skip
_FACILITIES = (
    "{t} general hospital",
    "{t} memorial hospital",
    "saint {s} medical center",
    "the {t} clinic",
    "{s} rehabilitation center",
    "{t} county jail",
    "{s} elementary school",
    "{t} community college",
    "the {s} nursing home",
    "{t} regional medical center",
    "mercy hospital",
    "the VA hospital",
    "{s} hall",
    "the {s} building",
    "{t} high school",
    "the {s} pharmacy",
    "{s} urgent care",
    "saint {s}'s",
    "st. {s}'s",
    "{s} street pharmacy",
    "{s} avenue baptist church",
    "{s} road surgery",
)
_ORGS = (
    "{s} logistics",
    "{s} and {s2} LLP",
    "first national bank",
    "{s} insurance",
    "the {s} group",
    "{s} health partners",
    "acme supply",
    "{s} foods",
    "{s} motors",
    "the {s} foundation",
    "blue cross",
    "{s} credit union",
    "{s} pharmaceuticals",
    "united way",
    "the red cross",
    "{s} home care",
)
_DRUGS = (
    "metoprolol",
    "lisinopril",
    "atorvastatin",
    "sertraline",
    "amlodipine",
    "gabapentin",
    "warfarin",
    "levothyroxine",
    "prednisone",
    "furosemide",
    "tramadol",
    "cephalexin",
    "apixaban",
    "insulin glargine",
)
_WHO = ("she", "he", "the patient", "my mother", "her son", "the caller", "my husband", "the client", "they",
        "his daughter", "the member", "i", "we", "the resident", "my brother")  # fmt: skip
_LIVES = ("lives in", "lives over in", "is living in", "resides in", "moved to", "moved up to", "just moved to",
          "grew up in", "was born in", "is from", "came here from", "stays with family in", "is staying in",
          "relocated to", "lived in", "drove in from", "comes down from", "has a place in", "rents in",
          "was raised in", "works in", "is up in", "went back to", "is out in", "visits family in")  # fmt: skip
_FILLERS = ("", "", "", "", "", "uh ", "um ", "uh, ", "you know, ", "like ", "so ")
_CORRECT = ("no, sorry,", "sorry, I mean", "no wait,", "I mean", "actually", "scratch that,", "or rather",
            "no no,", "correction,")  # fmt: skip

# -- frames --------------------------------------------------------------------------------------------------
ADDRESS_FRAMES: tuple[str, ...] = (
    "{WHO} lives at {A:full}.",
    "the address on file is {A:full}.",
    "{F}my address is {A:full}.",
    "can you confirm your address? | {F}it's {A:full}.",
    "what's the mailing address? | {A:full}.",
    "please send the records to {A:full}.",
    "we'll ship the replacement to {A:full}, is that right?",
    "patient resides at {A:full} with her daughter.",
    "{WHO} moved to {A:full} last month.",
    "the home visit is at {A:street}, {F}near the school.",
    "{WHO} lives at {A:street} in {A:town}.",
    "{F}it's {A:street}, the blue house on the corner.",
    "she was found outside her home at {A:street}.",
    "the ambulance was sent to {A:street}.",
    "the billing address is {A:street}, {A:town}, {A:zip}.",
    "{WHO} lives on {A:name}.",
    "the pharmacy is on {A:name} across from the bank.",
    "{WHO} was walking down {A:name} when it happened.",
    "turn left onto {A:name} and it's the third house.",
    "they live off {A:name}, past the gas station.",
    "{WHO} lives near the corner of {A:name} and {A:name}.",
    "the accident was at {A:name} and {A:name}.",
    "the mailing address is {A:rural}.",
    "{WHO} gets mail at {A:rural}.",
    "{F}we're out at {A:rural}.",
    "send it to {A:rural}, that's the only address that works out there.",
    "{WHO} lives on {A:rural} about ten miles out.",
    "her address is {A:foreign}.",
    "{WHO} lived at {A:foreign} before moving here.",
    "the family's address abroad is {A:foreign}.",
    "{F}i'm at {A:foreign}.",
    "{WHO} {LIVES} {A:town}.",
    "{WHO} {LIVES} {A:town} now.",
    "{WHO} {LIVES} {A:town} with two kids.",
    "{F}{WHO} {LIVES} {A:townstate}.",
    "{WHO} {LIVES} {A:town} but works in {A:town}.",
    "so you're in {A:town}? | {F}yes, {A:town}.",
    "what city are you in? | {A:town}.",
    "which town? | {F}{A:town}.",
    "and where is home? | {F}{A:townstate}.",
    "{WHO} commutes from {A:town} every day.",
    "the clinic in {A:town} referred her.",
    "{WHO} drove up from {A:town} this morning.",
    "{WHO} had a fall at home in {A:town}.",
    "the ZIP code is {A:zip}.",
    "what's your zip? | {A:zip}.",
    "{F}the zip there is {A:zip}.",
    "{WHO} lives at {A:full}, {F}that is the mailing address too.",
    "the old address was {A:full}, {CORRECT} {A:full}.",
    "{WHO} lives at {A:street} {CORRECT} {A:street}.",
    "{WHO} moved to {A:town}, {CORRECT} {A:town}.",
    "we have you at {A:full}, is that still current? | yes.",
    "deliver to {A:full} and leave it at the door.",
    "the house at {A:street} is where {WHO} grew up.",
    "{WHO} was transferred from a home in {A:town}.",
    "she's been in {A:town} since the divorce.",
    "we met at a diner on {A:name} in {A:town}.",
    "{WHO} has an apartment at {A:street}.",
    "return address {A:full}.",
    "the form lists {A:full} as the residence.",
    "{F}lives in {A:town}, works nights.",
    "{WHO} {LIVES} {A:town} {N:when}.",
    "{WHO} {LIVES} {A:town} {N:when} and hated it.",
    "{WHO} was living at {A:street} {N:when}.",
    # a town after "in", "at", "on", "near" with whatever stands before it
    "the farmers in {A:town} lost everything that year.",
    "we were married at the church in {A:town}.",
    "{WHO} spent two years in {A:town} before the war.",
    "i was in {A:town} that night, not at home.",
    "{WHO} raised three kids in {A:town} on her own.",
    "the plant in {A:town} closed and {WHO} lost the job.",
    "they kept us in a camp near {A:town} for months.",
    "{WHO} died at home in {A:town} on the 3rd.",
    "{F}the login came from somewhere near {A:town}.",
    "my grandmother had a shop on {A:name} in {A:town}.",
    "{WHO} teaches at a school outside {A:town}.",
)  # fmt: skip
NEGATIVE_FRAMES: tuple[str, ...] = (
    "{WHO} was admitted to {N:facility} on friday.",
    "the patient was transferred to {N:facility} for rehab.",
    "{WHO} works for {N:org} in the warehouse.",
    "the claim went to {N:org} last week.",
    "{WHO} moved here from {N:state} two years ago.",
    "{WHO} was born in {N:country}.",
    "the family is originally from {N:country}.",
    "we have patients from all over {N:state}.",
    "she's in {N:room} on the fourth floor.",
    "move him to {N:room} after the scan.",
    "{WHO} is on {N:drug}.",
    "start {N:drug} and recheck in two weeks.",
    "{WHO} walked {N:count} yesterday.",
    "{F}{WHO} lives in {N:word}.",
    "{WHO} is in {N:word} most days.",
    "she took {N:count} this morning.",
    "the visit is on the {N:ordinal} at 3 pm.",
    "see page {N:n}, section {N:n}.",
    "the meeting is at {N:facility}.",
    "{WHO} drives for {N:org}.",
    "we live in hope that it gets better.",
    "he was in pain most of the night and in a hurry to leave.",
    "the street was icy and she fell on the way to the car.",
    "he lives alone in a two bedroom house with a dog.",
    "{WHO} went to the store on the corner and came home.",
    "the road to recovery is long.",
    "they moved to a bigger place last year.",
    "she lives with her sister across town.",
    "turn left at the light and park in the back lot.",
    "we're in the middle of it, give me a minute.",
    "the court date was moved to next week.",
    "he takes the highway to work every day.",
    "the trail was closed after the storm.",
    "{WHO} lives in an assisted living facility near her daughter.",
    "room {N:n} is ready and bed {N:n} is open.",
    "{WHO} is in bay {N:n} in the emergency department.",
    "the {N:word} was lovely this time of year.",
    "{WHO} grew up on a farm in the country.",
    "we ship anywhere in {N:state} and {N:state}.",
    "the case number is {N:n} and the order is {N:n}.",
    "{WHO} scored {N:n} out of 30 on the exam.",
    "call me back at extension {N:n}.",
    "{WHO} lives in the city now.",
    "my {N:kin} lives in {N:country}.",
    "it's about {N:count} from here.",
    # numbers, dates, names and codes that are no address: a tagger taught only addresses takes any number
    "you can reach me at {N:phone}.",
    "{F}my number is {N:phone}, that's my cell.",
    "{WHO} was seen on {N:date} at {N:time}.",
    "date of birth {N:date}.",
    "the appointment is {N:date} at {N:time}.",
    "the bill came to {N:money}.",
    "{F}the total is {N:money} and it's due on the {N:ordinal}.",
    "{WHO} is {N:age} years old.",
    "a {N:age} year old with chest pain.",
    "my name is {N:person}.",
    "this is {N:person} calling from {N:org}.",
    "{N:person} is the attending tonight.",
    "Dr. {N:person} saw her on {N:date}.",
    "thanks {N:person}, i've updated the file.",
    "the member ID is {N:code}.",
    "the confirmation number is {N:code}.",
    "my account number is {N:digits}.",
    "the last four are {N:digits}.",
    "blood pressure {N:n} over {N:n}, pulse {N:n}.",
    "{WHO} weighs {N:n} pounds.",
    "she's been sober since {N:year}.",
    "{WHO} retired in {N:year} after {N:n} years.",
    "it was {N:n} degrees out.",
    "{N:person} and {N:person} are both on the call.",
    "i spoke with {N:person} at {N:org} about the bill.",
    "{F}{N:person}, {N:person}'s daughter, signed the form.",
    "the patient, {N:person}, was seen by {N:person}.",
    "ask for {N:person} at {N:org}.",
    "{N:person} from {N:org} left a message.",
    "the internet is through {N:org} and the phone through {N:org}.",
    "{N:person} works at {N:facility} on the night shift.",
    "my email is {N:handle} at example dot com.",
    # medical words after the words that come before towns ("in", "on", "to", "from")
    "the lymphoma has been in {N:condition} since {N:year}.",
    "{WHO} is on {N:drugname} now, {N:n} units at night.",
    "that points to {N:condition}.",
    "{WHO} was switched from {N:drugname} to {N:drugname}.",
    "the findings are consistent with {N:condition} on the left.",
    "{WHO} needs {N:condition} before the MRI.",
    "{WHO} came in with {N:condition} and went home on {N:drugname}.",
    "positive at {N:condition} point, so we're thinking {N:condition}.",
    "{WHO} was in {N:condition} for a week.",
    "we'll keep {N:drugname} going at {N:n} milligrams.",
)  # fmt: skip
#: Stems of made-up medical words ("remission", "cephalization" are what a tagger of places must leave alone).
_PREFIXES = ("cephal", "rem", "nephr", "hepat", "gastr", "arthr", "oste", "myel", "lymph", "derm", "card", "pneum",
             "preauthor", "tres", "ocre", "lant", "humi", "xar", "eliq", "jardi", "ozem", "dupix", "kesim", "carp",
             "tendin", "bronch", "col", "neur", "angi", "thromb")  # fmt: skip
_PERSONS = (
    "maria",
    "james okafor",
    "priya raman",
    "tomasz",
    "aisha bello",
    "kenji",
    "lucia ferreira",
    "daniel",
    "fatima",
    "oleg petrenko",
    "grace",
    "nguyen",
    "mrs. delgado",
    "walter",
    "ingrid",
    "abebe",
    "siobhan",
    "rahul",
    "hollis",
    "beatriz",
    "kwame",
    "yusuf demir",
    "elena",
    "marcus reed",
    "hana",
    "joaquin",
)


@dataclass(frozen=True)
class Template:
    kind: str  # "address" or "negative"
    text: str

    @property
    def held_out(self) -> bool:
        return zlib.crc32(f"{self.kind}|{self.text}".encode()) % 6 == 0


def templates() -> list[Template]:
    return [Template("address", t) for t in ADDRESS_FRAMES] + [Template("negative", t) for t in NEGATIVE_FRAMES]


# -- values ----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _gazetteers() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(towns, everyday-word towns, street types, street types that are words), sorted for a seeded draw."""
    towns, ambiguous = load_towns()
    places, _, _ = load_places(districts=False)  # what the tagger reads at work (core.redaction.address_tagger)
    street, word = load_street_suffixes()
    return (
        tuple(sorted(t for t in towns | places if t.isascii())),
        tuple(sorted(ambiguous)),
        tuple(sorted(street)),
        tuple(sorted(word)),
    )


_UNITS_SAY = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen")  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _pair(n: int) -> str:
    if n < 10:
        return f"oh {_UNITS_SAY[n]}"
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + ("" if n % 10 == 0 else f" {_UNITS_SAY[n % 10]}")


def _below_100(n: int) -> str:
    return _UNITS_SAY[n] if n < 10 else _pair(n)


def say_house_number(rng: random.Random, n: int) -> str:
    """A house number as people say it: "twenty three forty one", "fourteen oh five", "one twelve", "three
    hundred twelve", or digit by digit."""
    s = str(n)
    r = rng.random()
    if n < 100:
        return _below_100(n)
    if r < 0.15:
        return say_digits(rng, s)
    if len(s) == 3:
        if r < 0.45:
            rest = n % 100
            return f"{_UNITS_SAY[n // 100]} hundred" + (f" {_below_100(rest)}" if rest else "")
        return f"{_UNITS_SAY[n // 100]} {_pair(n % 100)}" if n % 100 else f"{_UNITS_SAY[n // 100]} hundred"
    if len(s) == 4:
        tail = n % 100
        return f"{_below_100(n // 100)} " + (_pair(tail) if tail else "hundred")
    return f"{_below_100(int(s[:2]))} {_UNITS_SAY[int(s[2])]} {_pair(int(s[3:]))}"


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    given, surnames = load_names()
    return tuple(sorted(given)), tuple(sorted(surnames))


@lru_cache(maxsize=1)
def _state_names() -> tuple[str, ...]:
    return tuple(_STATE_NAMES.removeprefix("(?:").removesuffix(")").split("|"))


class Generator:
    """Draws the slots' values; every draw goes through one seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.towns, self.word_towns, self.street_types, self.word_types = _gazetteers()

    def _pick(self, options: tuple[str, ...] | list[str]) -> str:
        return options[self.rng.randrange(len(options))]

    def number(self, *, lo: int = 1, hi: int = 9999) -> str:
        n = self.rng.choice((self.rng.randint(lo, 99), self.rng.randint(100, 999), self.rng.randint(100, hi)))
        if self.rng.random() < 0.3:
            return say_house_number(self.rng, n)
        return str(n)

    def invented_town(self) -> str:
        return self._pick(_SYLLABLES_A) + self._pick(_SYLLABLES_B) + self._pick(_TOWN_TAILS)

    def town(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self._pick(self.towns)
        if r < 0.8:
            return self.invented_town()
        if r < 0.9:
            return self._pick(_NEIGHBOURHOODS).format(t=self.town_word())
        return (
            f"{self._pick(('saint', 'st.', 'san', 'santa', 'fort', 'mount', 'port', 'new', 'el', 'la', 'lake'))} "
            f"{self.town_word()}"
        )

    def town_word(self) -> str:
        return self._pick(self.towns).split()[0] if self.rng.random() < 0.5 else self.invented_town().split()[0]

    def street_name(self) -> str:
        r = self.rng.random()
        if r < 0.15:
            return self._pick(_ORDINAL_STREETS)
        name = self._pick(_STREET_WORDS)
        if r < 0.3:
            name = f"{name} {self._pick(_STREET_WORDS).split()[0]}"
        elif r < 0.4:
            name = self.invented_town().split()[0]
        return name

    def street_type(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return self._pick(_COMMON_TYPES)
        if r < 0.85:
            return self._pick(self.street_types)
        return self._pick(self.word_types)

    def street_only(self) -> str:
        """A street's name and type, now and then with a direction: "North Juniper Way", "Fifth Avenue"."""
        out = f"{self.street_name()} {self.street_type()}"
        r = self.rng.random()
        if r < 0.12:
            out = f"{self._pick(_DIRECTIONS)} {out}"
        elif r < 0.18:
            out = f"{out} {self._pick(_DIRECTIONS)}"
        return out

    def street(self) -> str:
        num = self.number()
        if self.rng.random() < 0.05:
            num = f"{num} uh"  # a filler inside the address
        out = f"{num} {self.street_only()}"
        if self.rng.random() < 0.3:
            out += f"{self._pick((', ', ' '))}{self.unit()}"
        return out

    def unit(self) -> str:
        n = str(self.rng.randint(1, 420)) if self.rng.random() < 0.8 else _below_100(self.rng.randint(1, 40))
        return self._pick(_UNITS).format(n=n, L=self._pick(tuple("ABCDEFGH")))

    def state(self) -> str:
        return self._pick(_STATE_ABBR) if self.rng.random() < 0.3 else self._pick(_state_names())

    def zip(self) -> str:
        z = f"{self.rng.randint(601, 99950):05d}"
        r = self.rng.random()
        if r < 0.15:
            return f"{z}-{self.rng.randint(0, 9999):04d}"
        if r < 0.4:
            return say_digits(self.rng, z)
        return z

    def full(self) -> str:
        out = self.street()
        sep = self._pick((", ", ", ", " "))
        r = self.rng.random()
        if r < 0.35:
            return f"{out}{sep}{self.town()}, {self.state()} {self.zip()}"
        if r < 0.6:
            return f"{out}{sep}{self.town()}, {self.state()}"
        if r < 0.8:
            return f"{out}{sep}{self.town()}"
        return f"{out}{sep}{self.town()} {self.zip()}"

    def rural(self) -> str:
        n = self._pick((str(self.rng.randint(1, 12)), _below_100(self.rng.randint(1, 12))))
        box = self.number(hi=999)
        r = self.rng.random()
        if r < 0.2:
            out = f"{self._pick(('rural route', 'RR', 'route', 'rural route number'))} {n}, box {box}"
        elif r < 0.4:
            out = f"{self._pick(('P.O. box', 'PO box', 'post office box', 'p o box', 'box'))} {self.number(hi=9999)}"
        elif r < 0.55:
            out = f"{self.number()} {self._pick(('county road', 'county rd', 'CR', 'county route'))} {n}"
        elif r < 0.7:
            hw = self._pick(
                (
                    "highway",
                    "state highway",
                    "state route",
                    "US highway",
                    "route",
                    "farm road",
                    "state road",
                    "interstate",
                )
            )
            out = f"{self.number()} {hw} {self.rng.randint(1, 299)}"
        elif r < 0.8:
            out = f"{self._pick(('HC', 'star route', 'highway contract route'))} {n}, box {box}"
        elif r < 0.9:
            lot, street = self.rng.randint(1, 90), self.street_name()
            out = f"lot {lot}, {street} {self._pick(('mobile home park', 'trailer park', 'estates'))}"
        else:
            out = f"{self.number()} {self.street_name()} road, {self._pick(('township', 'parish', 'county'))} road {n}"
        if self.rng.random() < 0.6:
            out += f", {self.town()}, {self.state()}" + (f" {self.zip()}" if self.rng.random() < 0.6 else "")
        return out

    def postcode_uk(self) -> str:
        L = "ABCDEFGHJKLMNPRSTUWYZ"
        area = self._pick(tuple(L)) + (self._pick(tuple(L)) if self.rng.random() < 0.6 else "")
        return f"{area}{self.rng.randint(1, 29)} {self.rng.randint(1, 9)}{self._pick(tuple(L))}{self._pick(tuple(L))}"

    def postcode_ca(self) -> str:
        L = "ABCEGHJKLMNPRSTVXY"
        d = self.rng.randint
        return f"{self._pick(tuple(L))}{d(0, 9)}{self._pick(tuple(L))} {d(0, 9)}{self._pick(tuple(L))}{d(0, 9)}"

    def foreign(self) -> str:
        r = self.rng.random()
        n = str(self.rng.randint(1, 240))
        name = self.street_name() if self.rng.random() < 0.5 else self.invented_town().split()[0]
        town = self.town()
        if r < 0.14:
            particle = self._pick(("del", "de la", "de", "san", ""))
            return f"calle {particle} {name} {n}, {self.rng.randint(1000, 52999):05d} {town}"
        if r < 0.26:
            particle = self._pick(("de la", "du", "des", "saint", "de"))
            return f"{n} rue {particle} {name}, {self.rng.randint(1000, 95999):05d} {town}"
        if r < 0.38:
            end = self._pick(("strasse", "straße", "weg", "gasse", "allee", "platz"))
            return f"{name}{end} {n}, {self.rng.randint(1000, 99999):05d} {town}"
        if r < 0.48:
            particle = self._pick(("dei", "della", "san", "del", ""))
            return f"via {particle} {name} {n}, {self.rng.randint(10000, 98999)} {town}"
        if r < 0.66:
            flat = f"flat {self.rng.randint(1, 40)}, " if self.rng.random() < 0.3 else ""
            return f"{flat}{n} {name} {self._pick(_UK_TYPES)}, {town} {self.postcode_uk()}"
        if r < 0.76:
            area, district = self._pick(("D", "A", "T", "V", "H")), self.rng.randint(10, 99)
            eir = f"{area}{district} {self._pick(tuple('ACDEFHKNPRTVWXY'))}{self.rng.randint(100, 999)}"
            kind = self._pick(("road", "avenue", "park", "terrace", "lawn"))
            return f"{n} {name} {kind}, {town}, co. {self.town_word()}, {eir}"
        if r < 0.88:
            return f"{n} {name} {self._pick(_COMMON_TYPES)}, {town}, {self._pick(_PROVINCES)} {self.postcode_ca()}"
        unit = f"unit {self.rng.randint(1, 30)}, " if self.rng.random() < 0.4 else ""
        aus = self._pick(("NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT"))
        kind = self._pick(("street", "parade", "esplanade", "crescent", "road"))
        return f"{unit}{n} {name} {kind}, {town} {aus} {self.rng.randint(800, 7999):04d}"

    def person(self) -> str:
        """A person's name from the project's name lists (core/redaction/data/names.txt), or this module's own."""
        given, surnames = _names()
        r = self.rng.random()
        if r < 0.15:
            return self._pick(_PERSONS)
        if r < 0.55:
            return f"{self._pick(given)} {self._pick(surnames)}"
        if r < 0.75:
            return self._pick(given)
        return f"{self._pick(('dr.', 'mr.', 'mrs.', 'ms.', 'nurse', 'doctor'))} {self._pick(surnames)}"

    def org(self) -> str:
        word = self.invented_town().split()[0] if self.rng.random() < 0.5 else self._pick(_STREET_WORDS)
        kind = self._pick(
            (
                "broadband",
                "couriers",
                "pharmacy",
                "solutions",
                "logistics",
                "wireless",
                "energy",
                "dental",
                "physical therapy",
                "staffing",
                "auto body",
                "roofing",
                "bakery",
                "bank",
            )
        )
        return f"{word}{self._pick(('', '', 'stream', 'wise', 'point', 'ly'))} {kind}"

    def address(self, kind: str) -> str:
        if kind == "full":
            return self.full()
        if kind == "street":
            return self.street()
        if kind == "name":
            return self.street_only()
        if kind == "rural":
            return self.rural()
        if kind == "foreign":
            return self.foreign()
        if kind == "town":
            return self.town()
        if kind == "townstate":  # "Dunmore, Pennsylvania": the state is part of the span
            return f"{self.town()}{self._pick((', ', ', ', ' '))}{self.state()}"
        if kind == "zip":
            return self.zip()
        raise ValueError(kind)

    def negative(self, kind: str) -> str:
        s, s2, t = self._pick(_STREET_WORDS), self._pick(_STREET_WORDS), self.town_word()
        if kind == "facility":
            return self._pick(_FACILITIES).format(t=t, s=s)
        if kind == "org":
            return self._pick(_ORGS).format(s=s, s2=s2) if self.rng.random() < 0.5 else self.org()
        if kind == "state":
            return self.state()
        if kind == "country":
            return self._pick(_COUNTRIES)
        if kind == "room":
            return self._pick(
                ("room {n}", "bed {n}", "bay {n}", "room {n}, bed {b}", "the {o} floor", "ICU bed {n}", "exam room {n}")
            ).format(n=self.rng.randint(1, 520), b=self.rng.randint(1, 4), o=self._pick(("third", "fourth", "fifth")))
        if kind == "drug":
            return (
                f"{self._pick(_DRUGS)} {self.rng.choice((5, 10, 20, 25, 40, 50, 100, 500))} "
                f"{self._pick(('mg', 'milligrams', 'mg daily', 'mg twice a day'))}"
            )
        if kind == "count":
            count = self.number(hi=5000)
            return f"{count} {self._pick(('steps', 'tablets', 'miles', 'feet', 'units', 'minutes', 'blocks', 'yards'))}"
        if kind == "word":
            return (
                self._pick(self.word_towns)
                if self.word_towns and self.rng.random() < 0.6
                else self._pick(
                    (
                        "hope",
                        "pain",
                        "bed",
                        "a hurry",
                        "denial",
                        "school",
                        "recovery",
                        "the garden",
                        "charge",
                        "trouble",
                        "love",
                        "the park",
                        "spring",
                        "the fall",
                    )
                )
            )
        if kind == "ordinal":
            return self._pick(("first", "second", "third", "21st", "fifteenth", "30th"))
        if kind == "n":
            return str(self.rng.randint(1, 9999))
        if kind == "phone":
            digits = f"{self.rng.randint(200, 989)}555{self.rng.randint(100, 199):04d}"
            if self.rng.random() < 0.4:
                return say_digits(self.rng, digits[3:] if self.rng.random() < 0.5 else digits)
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if self.rng.random() < 0.7 else f"555-{digits[6:]}"
        if kind == "date":
            month = self._pick(("january", "march", "april", "june", "july", "october", "november", "december"))
            return self._pick(
                (
                    f"{month} {self.rng.randint(1, 28)}",
                    f"{self.rng.randint(1, 12)}/{self.rng.randint(1, 28)}/{self.rng.randint(1940, 2025)}",
                    f"{month} {self.rng.randint(1, 28)}, {self.rng.randint(1940, 2025)}",
                    f"the {self._pick(('first', 'third', '21st', 'twelfth'))} of {month}",
                    f"{_pair(self.rng.randint(1, 12))} {_pair(self.rng.randint(1, 28))} "
                    f"nineteen {_pair(self.rng.randint(40, 99))}",
                )
            )
        if kind == "time":
            return self._pick(
                (
                    f"{self.rng.randint(1, 12)}:{self.rng.randint(0, 59):02d}",
                    f"{_below_100(self.rng.randint(1, 12))} thirty",
                    f"{self.rng.randint(1, 12)} pm",
                    "noon",
                )
            )
        if kind == "money":
            return self._pick(
                (
                    f"${self.rng.randint(5, 4000)}.{self.rng.randint(0, 99):02d}",
                    f"{say_house_number(self.rng, self.rng.randint(20, 999))} dollars",
                    f"{self.rng.randint(5, 900)} dollars",
                )
            )
        if kind == "age":
            return self._pick((str(self.rng.randint(2, 88)), _below_100(self.rng.randint(2, 88))))
        if kind == "person":
            return self.person()
        if kind == "code":
            first, second = self._pick(tuple("ABCDEFGHKMNPRTWXYZ")), self._pick(tuple("ABCDEFGHKMNPRTWXYZ"))
            return f"{first}{second}{self.rng.randint(10000, 9999999)}"
        if kind == "digits":
            return (
                say_digits(self.rng, str(self.rng.randint(1000, 99999999)))
                if self.rng.random() < 0.4
                else str(self.rng.randint(1000, 99999999))
            )
        if kind == "year":
            return self._pick(
                (str(self.rng.randint(1950, 2025)), f"nineteen {_pair(self.rng.randint(50, 99))}", "twenty twenty")
            )
        if kind == "when":
            return self._pick(
                (
                    "last spring",
                    "last year",
                    "in 2019",
                    "two years ago",
                    "back in march",
                    "after the divorce",
                    "this summer",
                    "a while back",
                    "in the eighties",
                    "next month",
                    "for a few weeks",
                    "since june",
                    "every winter",
                )
            )
        if kind == "condition":
            return self._pick(_PREFIXES) + self._pick(
                (
                    "itis",
                    "osis",
                    "ation",
                    "ectomy",
                    "emia",
                    "opathy",
                    "algia",
                    "ization",
                    "oma",
                    "ectasis",
                    "plasty",
                    "ism",
                )
            )
        if kind == "drugname":
            return self._pick(_PREFIXES) + self._pick(
                (
                    "pril",
                    "olol",
                    "statin",
                    "mab",
                    "tinib",
                    "azole",
                    "cillin",
                    "oxacin",
                    "sartan",
                    "pine",
                    "done",
                    "ba",
                    "vus",
                    "ra",
                )
            )
        if kind == "handle":
            return f"{self.person().split()[-1].rstrip('.')}{self._pick(('', '88', '.lee', '_k'))}"
        if kind == "kin":
            return self._pick(("mother", "aunt", "cousin", "grandfather", "sister"))
        raise ValueError(kind)


_SLOT = re.compile(r"\{([A-Z]+)(?::([a-z]+))?\}")


def _cased_words(value: str) -> str:
    """Each word of a name capitalised ("north juniper way" -> "North Juniper Way"), particles and unit letters
    left, state and postcode letters as written."""
    small = {
        "de",
        "del",
        "la",
        "du",
        "des",
        "dei",
        "della",
        "of",
        "and",
        "box",
        "co.",
        "uh",
        "hundred",
        "oh",
        *_UNITS_SAY,
        *_TEENS,
        *_TENS,
    }
    out = []
    for w in value.split(" "):
        out.append(w if w in small or not w[:1].isalpha() or w.isupper() else w[:1].upper() + w[1:])
    return " ".join(out)


def examples(gen: Generator, template: Template) -> list[Example]:
    """The template rendered once: cased, then lowercase."""
    rng = gen.rng
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for m in _SLOT.finditer(template.text):
        before = template.text[pos : m.start()]
        if before:
            pieces.append((before, None))
        slot, kind = m.group(1), m.group(2)
        if slot == "A":
            pieces.append((_cased_words(gen.address(kind or "full")), "ADDRESS"))
        elif slot == "N":
            val = gen.negative(kind or "word")
            pieces.append(
                (
                    _cased_words(val)
                    if kind in ("facility", "org", "state", "country", "drug", "person")
                    and (kind != "drug" or rng.random() < 0.3)
                    else val,
                    None,
                )
            )
        elif slot == "F":
            pieces.append((gen._pick(_FILLERS), None))
        elif slot == "WHO":
            pieces.append((gen._pick(_WHO), None))
        elif slot == "LIVES":
            pieces.append((gen._pick(_LIVES), None))
        elif slot == "CORRECT":
            pieces.append((gen._pick(_CORRECT), None))
        pos = m.end()
    if pos < len(template.text):
        pieces.append((template.text[pos:], None))
    joined = [(p.replace(" | ", " ") if rng.random() < 0.5 else p.replace(" | ", "\n"), g) for p, g in pieces]
    cased = render_cased(joined, rng, template.kind)
    return [cased, lowercase(cased)]


#: The identifier tagger's sentences mentioning an address or a ZIP code are left out of the negatives: a ZIP is an
#: ADDRESS, and that corpus does not mark it.
_ADDRESSY = re.compile(r"zip|address|street|avenue|road\b|lives|moved", re.IGNORECASE)


def generate(*, seed: int, rounds: int, dev: bool, id_rounds: int = 1) -> list[Example]:
    """`rounds` passes over the training templates (or the held-out ones when `dev`), each rendered cased and
    lowercase; then, as hard negatives, `id_rounds` passes of the identifier tagger's corpus
    (`models.training.ids_corpus`: identifiers, doses, amounts, times, dates, with their cues), no span an address."""
    gen = Generator(random.Random(seed))
    chosen = [t for t in templates() if t.held_out == dev]
    out: list[Example] = []
    for _ in range(rounds):
        for t in chosen:
            out.extend(examples(gen, t))
    for ex in ids_corpus.generate(seed=seed, rounds=id_rounds, dev=dev):
        if not _ADDRESSY.search(ex.text):
            out.append(Example(ex.text, (), ex.version, "negative"))
    return out
