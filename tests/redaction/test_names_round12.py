"""Issue 23 round 12, names in lowercase text: full names the tagger weighed too lightly and the slots of a name given
in place of another, read off heldout9's misses as families and tested with sentences and names written for this file
(none taken from an evaluation set). All in the name tagger's decision rule; the trained model is unchanged.

- A given name that is also a word ("dawn", "ivy", "amber") before a surname English hardly knows: a full name, unless
  the word before makes the first a verb or a noun ("i hope ...", "the dawn ..."). A census surname said less often
  than Zipf 3.5 counts as rare there, and is no "phrase" after a name-word ("summer drought" still is one).
- A given name, even one that is also a word, before a double surname with a half English hardly knows.
- A hyphenated given name ("hye-jin", "anne-marie"): the lexicon reads a hyphenated word by its last part, as it does
  a double surname, so the given name's parts are read one by one.
- A word English hardly knows, then a common surname ("lachlan murray", "oksana petrenko"), in lowercase text.
- A person named mid-sentence by the deed after them: a rare given name before a past deed or a report ("at noon X
  took ...", "resumed X stated ..."), a given name that is no word after a clause's conjunction ("and X was ..."), a
  given name before the department they work in ("X from payroll"), a parent's child-word before it ("my mama X").
- A name given in place of the real one: "who we'll call X", "asked to be called X", "calls herself X"; a name
  changed ("shortened his surname from X to Y"); the subject of a question about a deed ("did X sign ...").
- A doubtful word before a relation's possessive ("X's daughter") is vouched for by it, as after a relation.
- A place's head before "number" names an identifier ("X Y hospital number ..."), so it no longer makes the name
  before it a place.
"""

from __future__ import annotations

import pytest

from core.redaction.types import Detector
from models.name_tagger import product_detector
from tests.redaction.name_rules import names, rule_alone


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


FOUND = [
    # a given name that is also a word, then a rare surname
    ("the consultant saw dawn ostrowski on the ward this morning", "dawn ostrowski"),
    ("the discharge letter for frank delahunty goes out friday", "frank delahunty"),
    ("i spoke with amber quarshie about the weekend rota", "amber quarshie"),
    # a given name, then a double surname one of whose halves English hardly knows
    ("okay the letter is about crystal pettigrew-hale and her new inhaler", "crystal pettigrew-hale"),
    ("noted on gideon ozanne-pryce that the dressing was changed", "gideon ozanne-pryce"),
    # hyphenated given names
    ("the visitor signing in was hye-jin baek from the housing office", "hye-jin baek"),
    ("we left a voicemail for anne-marie dufresne about her results", "anne-marie dufresne"),
    # a rare word, then a common surname
    ("the carer for lachlan murray rang to say the tablets ran out", "lachlan murray"),
    ("just to confirm that is oksana petrenko date of birth to follow", "oksana petrenko"),
    # a name given in place of another
    ("the informant, whom we'll call odette, met the reporter twice", "odette"),
    ("he asked to be called tobias in the write-up and nothing more", "tobias"),
    ("online she calls herself marisol but that is not her name", "marisol"),
    # a name changed: both names
    ("his grandfather shortened the surname from wojciechowski to wojcik in 1952", "wojciechowski"),
    ("his grandfather shortened the surname from wojciechowski to wojcik in 1952", "wojcik"),
    # a hyphenated given name before a surname that is also a word
    ("the spokesperson jae-hyun moon said the vigil would go ahead", "jae-hyun moon"),
    # a given name that a child's word for a parent names
    ("my daddy ambrose kept bees behind the house", "ambrose"),
    ("the source agreed to be identified only as philippa in the piece", "philippa"),
    # a colleague named by their department
    ("can you ask gloria in accounts to resend the remittance", "gloria"),
    ("i spoke to hector from payroll and he said it was fixed", "hector"),
    # a rare given name mid-sentence before a past deed
    ("by the evening round thomasina refused her supper again", "thomasina"),
    ("the second interview resumed evander stated that he never saw the email", "evander"),
    # a clause's subject after its conjunction, before a deed
    ("the alarm went off at two and cornelius was the first one downstairs", "cornelius"),
    ("we never got the parcel because wilhelmina had signed for it", "wilhelmina"),
    # a possessive of a person's papers or people, and of a number said for them
    ("we need to check whether ottilie's statement matches the log", "ottilie"),
    ("mine ends in four four two and su-bin's is 518-33-2091", "su-bin"),
    # the subject of a question about a deed
    ("did ingrid ever reply to the letter we sent", "ingrid"),
    ("has marguerite called back about the invoice yet", "marguerite"),
]


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_a_name_in_these_slots_is_found(detector: Detector, text: str, name: str) -> None:
    assert name in names(detector, text), (text, names(detector, text))


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_the_decision_rule_alone_finds_it(text: str, name: str) -> None:
    """With no span from the CRF: the slot or the words' lists, not the model's weights, do the work."""
    assert name in rule_alone(text), (text, rule_alone(text))


def test_a_given_name_before_a_relations_possessive(detector: Detector) -> None:
    text = "the proxy on file is joan's husband who lives nearby"
    assert "joan" in names(detector, text), names(detector, text)


def test_a_hospital_number_after_a_name_is_no_place(detector: Detector) -> None:
    text = "pre-op check for annika lindqvist hospital number k 4 4 1 9 0 2"
    assert any("annika lindqvist" in n for n in names(detector, text)), names(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        # words, not names, in the same slots
        "she keeps her wedding things in a hope chest upstairs",
        "the summer drought conditions ruined half the crop",
        "we could see the dawn horizon from the ward window",
        "i hope everything goes well for you tomorrow",
        "she gave a frank answer about the money",
        "the follow-up was booked for a so-so time slot",
        "a keytruda infusion every three weeks on the unit",
        "there was a greenish white discharge from the wound",
        "the other car was a toyota corolla parked outside",
        "we drove past fenwick hospital on the way home",
        # the naming and question slots with no name in them
        "the pharmacist, who i'll call back later, was very helpful",
        "she asked to be called back after lunch",
        "the bill's total was higher than we expected",
        "a rose-gold apple watch was on the table",
        "the follow-up check-in is booked for friday",
        "we went through chester on the park-and-ride bus",
        "the assemblywoman murray said the vote is on monday",
        "the lift was broken and the stairs were closed so we waited",
        "we left early because grace was given to the late arrivals",
        "costs rose in finance after the merger",
        "the new cleaner refused to do the stairs",
        "a dozen boxes came in from payroll this morning",
        "the company's statement came out on tuesday",
        "she is at saint jude's room four on the second floor",
        "mine is the blue one and the dog's is 4 years old",
        "did anyone call about the boiler yesterday",
        "did mom say when she would be home",
        "did pharmacy call back about the dosage",
        "they changed the name from draft to final before sending it",
    ],
)
def test_no_name_there(detector: Detector, text: str) -> None:
    assert names(detector, text) == [], (text, names(detector, text))
