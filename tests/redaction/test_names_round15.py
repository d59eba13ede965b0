"""Issue 23 round 15, names: the causes of heldout11's missed names (and heldout10's, where the same causes show),
read as families and tested with sentences and names written for this file (none taken from an evaluation set). All
in the name tagger's decision rule; the trained model is unchanged.

- A veto too eager: in lowercase text a given name English says about as often as a middling word (Zipf 3 to 4:
  "greta", "loretta", "mabel") needed the tagger's strongest weight, so names it found were thrown away.
- A name cut: the given name the tagger left off a surname it kept; the number word or common word it ran on into
  after one ("... eighty-one born in ...", which then lost the whole span to the age).
- The roles of a case or a home before a person ("translator X", "the caseworker, X", "my godmother X"), a relation
  "-in-law", and a name English hardly knows there; a common surname after a slot's given name.
- A spelling in halves ("O K A F O R, hyphen, B A L O G U N") and a rare census surname spelled back.
- A person's possessive: a given name's or a plain surname's bare number, name and things ("X's van").
- A rare given name opening a sentence before its deed, and reached or asked for ("trying to reach X").
- Two rare words in lowercase, one on a name list: a full name from abroad; initials before a surname.
- A family by a surname only philter-lite lists; the full name a short one stands for ("short for X").
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.redaction.name_rules import names, rule_alone
from tests.redaction.test_name_tagger import _kept


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


FOUND = [
    # a middling given name the tagger found, no longer vetoed in lowercase
    ("the night porter said greta had already gone home by then", "greta"),
    # roles before a person
    ("the caseworker, teodora, came on tuesday", "teodora"),
    # a plain surname's possessive and a person's things
    ("kowalski's van was parked across the driveway again", "kowalski"),
    # reached
    ("i left two messages trying to reach tamsin about the boiler", "tamsin"),
    # initials before a surname, the tagger's or the rule's
    ("The letter was signed by T. K. Pettigrew, the head of estates.", "T. K. Pettigrew"),
    ("the cheque was made out to m l pettigrew in the end", "m l pettigrew"),
    # the full name a short one stands for
    ("everyone calls him zeke, short for ezekiel, even his mother", "ezekiel"),
    # found before this round too: the new rules must not lose them
    ("we sat down with wairimu kamau to go over the lease", "wairimu kamau"),
    ("life story of ignacio valdespino eighty-one born near oaxaca", "ignacio valdespino"),
    ("Could you spell it? O K A F O R, hyphen, B A L O G U N.", "B A L O G U N"),
    ("darnell's number is on the whiteboard in the office", "darnell"),
]


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_a_name_in_these_slots_is_found(detector: Detector, text: str, name: str) -> None:
    assert any(name in n for n in names(detector, text)), (text, names(detector, text))


RULE_ALONE = [
    # roles and relations before a person, a name English hardly knows there
    ("the grandmother faleolo who is eighty sat with us", "faleolo"),
    ("the caseworker, teodora, came on tuesday", "teodora"),
    ("the interpreter quetzalli joined by video", "quetzalli"),
    ("our lodger tavake paid the rent in cash", "tavake"),
    ("my son-in-law tavake paid the rent in cash", "tavake"),
    ("Her brothers-in-law, Tavake and Sione, came too.", "Tavake"),
    # possessives of a given name or a plain surname: a bare number or name, a person's things
    ("kowalski's van was parked across the driveway again", "kowalski"),
    ("put rosalind's name on the top of the form", "rosalind"),
    ("darnell's number is on the whiteboard in the office", "darnell"),
    # a rare given name opening a sentence before its deed; reached or asked for
    ("tavita was late again on friday with no reason given", "tavita"),
    ("i left two messages trying to reach tamsin about the boiler", "tamsin"),
    ("this is the school office calling about oksana", "oksana"),
    # two rare words, one on a name list
    ("the referral came for nkemelu ramanathan on friday", "nkemelu ramanathan"),
    # initials before a surname
    ("the cheque was made out to m l pettigrew in the end", "m l pettigrew"),
    ("The letter was signed by T. K. Pettigrew, the head of estates.", "T. K. Pettigrew"),
    # a family by a surname only philter-lite lists; the full name a short one stands for
    ("we stayed with the mataafa family in the summer", "mataafa"),
    ("everyone calls him zeke, short for ezekiel, even his mother", "ezekiel"),
]


@pytest.mark.parametrize(("text", "name"), RULE_ALONE)
def test_the_decision_rule_alone_finds_it(text: str, name: str) -> None:
    """With no span from the CRF: the slot and the words' lists, not the model's weights, do the work."""
    assert any(name in n for n in rule_alone(text)), (text, rule_alone(text))


def decided(text: str, *tagged: tuple[str, float]) -> list[str]:
    """The NAME spans the decision rule keeps and adds when the CRF tags `tagged` in `text` (the real lexicon): what
    it does with the tagger's spans, whatever the trained weights."""
    return _kept(text, list(tagged))


@pytest.mark.parametrize(
    ("text", "tagged", "kept"),
    [
        # the doubtful-word veto keeps a given name of middling frequency the tagger found in lowercase ...
        ("the night porter said greta had gone home", ("greta", 0.7), True),
        ("so we gave the keys to loretta at the desk", ("loretta", 0.65), True),
        # ... but not an adjective of an everyday noun, nor a word only philter-lite lists as a name
        ("fine by me a stormy night ahead", ("stormy", 0.7), False),
        ("we tied up at the dock before noon", ("dock", 0.7), False),
        # a given name as common as Zipf 3.5 and over is a word as often ("earnest", "sincere")
        ("he was earnest but tired by the end", ("earnest", 0.76), False),
        # a rare capitalised word's possessive is a disease's as often as a person's
        ("Suspect Hashimoto's with low energy.", ("Hashimoto", 0.5), False),
    ],
)
def test_a_middling_given_name_the_tagger_found_is_kept(text: str, tagged: tuple[str, float], kept: bool) -> None:
    assert (tagged[0] in decided(text, tagged)) is kept, decided(text, tagged)


@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        # the given name the tagger cut off the surname it kept: on a list, on none, with an okina, an ambiguous one
        # before a surname the tagger is sure of, a capitalised one mid-sentence
        ("the visit was with nkemelu harcourt and her son", ("harcourt", 0.95), "nkemelu harcourt"),
        ("we spoke to wilhelmina ostrowski on friday", ("ostrowski", 0.8), "wilhelmina ostrowski"),
        ("a talk by ka'iulani mahoe about the islands", ("mahoe", 0.9), "ka'iulani mahoe"),
        ("we met with charity mbeki at the office", ("mbeki", 0.99), "charity mbeki"),
        ("We are interviewing Charity Mbeki today.", ("Mbeki", 0.8), "Charity Mbeki"),
        # the tail the tagger ran on into: a number word and what follows, a common word
        (
            "oral history teodoro arambula seventy-four born in jalisco",
            ("teodoro arambula seventy-four born", 0.97),
            "teodoro arambula",
        ),
        ("the story of mele fonoti born in apia", ("fonoti born", 0.6), "mele fonoti"),
        # a number word inside a name stays ("Two Rivers"): only a tail of numbers and common words goes
        ("She was raised by Ruth Two Rivers out west.", ("Ruth Two Rivers", 0.95), "Ruth Two Rivers"),
        # a rare capitalised name mid-sentence that the tagger half-weighs
        ("The safest way to reach Leota is the landline.", ("Leota", 0.5), "Leota"),
        # initials before the surname the tagger kept
        ("The letter was signed by T. K. Pettigrew, the head of estates.", ("Pettigrew", 0.85), "T. K. Pettigrew"),
    ],
)
def test_a_name_the_tagger_cut_is_made_whole(text: str, tagged: tuple[str, float], name: str) -> None:
    assert name in decided(text, tagged), decided(text, tagged)


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        # no given name before the kept surname: a role, a verb, a place's preposition, a determiner
        ("we asked nurse harcourt to call back", ("harcourt", 0.95)),
        ("the note said to call harcourt first", ("harcourt", 0.95)),
        ("he lives at bahcelik mahallesi now", ("mahallesi", 0.9)),
    ],
)
def test_no_word_joins_a_name_it_is_not_part_of(text: str, tagged: tuple[str, float]) -> None:
    assert tagged[0] in decided(text, tagged), decided(text, tagged)


def test_a_spelling_in_halves_is_one_spelling() -> None:
    """The second half of a double surname spelled letter by letter follows the first, not "spell" itself."""
    text = "Can you spell the surname please? O K A F O R, hyphen, B A L O G U N."
    assert "B A L O G U N" in decided(text, ("O K A F O R", 0.9), ("B A L O G U N", 0.9))


def test_a_rare_census_surname_is_spelled_back() -> None:
    """A surname English hardly knows that philter-lite lists as a word is still the name its letters spell."""
    text = "for the record it's nystrom n y s t r o m first name dora"
    found = rule_alone(text)
    assert "n y s t r o m" in " ".join(found), found


@pytest.mark.parametrize(
    "text",
    [
        # adjectives of everyday nouns that are also given names, in lowercase
        "it was a misty morning down by the harbour and the dock was empty",
        "fine by me a stormy week ahead so bring the heavy coats",
        # a role before an everyday word or a clinical word
        "the landlord story is that the boiler was never serviced",
        "the patient desaturated overnight and the interpreter present agreed",
        # possessives of a disease, a role or a thing
        "parkinson's medications must go on time and crohn's flares need a review",
        "the sender's phone number was withheld and the caller's number too",
        # initials and letters that are no name
        "vitamin b d levels were low and the hepatitis b c panel is pending",
        "we wrote cat c a t on the board and then dog d o g",
        # a contact verb and its everyday object
        "call for backup and ask for directions at the desk",
        # two rare words of medicine, no name list
        "there were bibasilar crackles and mild pedal oedema",
        # the people of a place or a firm: the words before them are no person's name
        "Morgan Hill residents were told to boil their water.",
        "the lab was closed said Jackson Ward personnel",
        "Douglas Hall staff helped the family move in.",
        # an everyday word naming a ledger's kind
        "Loan account 5521 8803, what's the payoff this month?",
        "sure loan number please it's ln 4471 2290",
    ],
)
def test_no_name_there(detector: Detector, text: str) -> None:
    assert names(detector, text) == [], (text, names(detector, text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rosalind Achebe said staff were kind to her.", "Rosalind Achebe"),
        ("hospital officials said marcus delgado was stable", "marcus delgado"),
        ("The payment went into Grace Ambrose account 5521 8803.", "Grace Ambrose"),
    ],
)
def test_a_name_before_a_word_for_staff_or_a_ledger_is_still_a_name(detector: Detector, text: str, name: str) -> None:
    assert name in names(detector, text), (text, names(detector, text))
