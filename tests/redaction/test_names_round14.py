"""Issue 23 round 14, names: the slots of heldout10's missed names, read as families and tested with sentences and
names written for this file (none taken from an evaluation set). All in the name tagger's decision rule; the trained
model is unchanged.

- A family said by its surname: "the X family", "the X household", "the X house" (a census or project surname, or a
  word no list has; no everyday word, ambiguous name or adjective: "the host family", "the white house").
- A person's body and numbers as a possessive's head ("grabbed X's wrist", "X's hospital number is ..."), and a
  given name's possessive after "of" ("a cousin of X's husband").
- A letter's or a fax's "attention X": a name English hardly knows is enough there.
- A name spelled back letter by letter after it was said ("haldane, h a l d a n e"): the word and its letters.
- A name given or shouted: "a guy called X", "some woman named X", "they all called her X" (a nickname English hardly
  knows), "someone yelled X".
- A call answered with the agent's name: "pharmacy, X speaking", "this is X, i can ...".
- A quote's speaker after its verb in cased text ("..., said X Y, the ..."): a given name and a surname of the lists.
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
    # a family by its surname and a family's or a home's head noun
    ("we rented the flat above the kowalczyk family for two years", "kowalczyk"),
    ("The dog belonged to the Brannigan household next door.", "Brannigan"),
    ("the letters were found in the ostrowski house after the fire", "ostrowski"),
    ("the kennedy family owned the orchard down the lane", "kennedy"),
    # a person's body and numbers as the possessive's head
    ("he grabbed marisela's wrist and would not let go", "marisela"),
    ("Ottoline's date of birth is missing from the referral.", "Ottoline"),
    ("then he twisted wilhelmina's arm behind her back", "wilhelmina"),
    ("please confirm thandiwe's hospital number before the scan", "thandiwe"),
    # a given name's possessive after "of"
    ("she is a cousin of henrietta's husband from the old job", "henrietta"),
    # attention
    ("please send the signed copy to the depot attention gulnaz", "gulnaz"),
    ("Fax the discharge summary to the ward, attn Przemek.", "Przemek"),
    # a name spelled back
    ("so the surname is haldane h a l d a n e and she lives nearby", "haldane"),
    ("so the surname is haldane h a l d a n e and she lives nearby", "h a l d a n e"),
    ("Is that Abernethy with an E? Yes, A B E R N E T H Y.", "A B E R N E T H Y"),
    # a name given or shouted
    ("the man who sold me the car was a guy called desmond from the market", "desmond"),
    ("at school the other boys all called him tuppy for some reason", "tuppy"),
    ("somebody at the back yelled thaddeus and he turned round", "thaddeus"),
    # a quote's speaker after its verb, in cased text
    ("The pallets were stacked too high, said Desmond Harcourt, the yard supervisor.", "Desmond Harcourt"),
    # a call answered
    ("good morning, northside pharmacy, rosalind speaking", "rosalind"),
    ("parking permits this is kendra i can help with that renewal", "kendra"),
]


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_a_name_in_these_slots_is_found(detector: Detector, text: str, name: str) -> None:
    assert any(name in n for n in names(detector, text)), (text, names(detector, text))


RULE_ALONE = [
    ("we rented the flat above the kowalczyk family for two years", "kowalczyk"),
    ("the letters were found in the ostrowski house after the fire", "ostrowski"),
    ("he grabbed marisela's wrist and would not let go", "marisela"),
    ("please send the signed copy to the depot attention gulnaz", "gulnaz"),
    ("at school the other boys all called him tuppy for some reason", "tuppy"),
    ("somebody at the back yelled thaddeus and he turned round", "thaddeus"),
    ("good morning, northside pharmacy, rosalind speaking", "rosalind"),
    ("parking permits this is kendra i can help with that renewal", "kendra"),
    ("The pallets were stacked too high, said Lorraine Sutton, the yard supervisor.", "Lorraine Sutton"),
]


@pytest.mark.parametrize(("text", "name"), RULE_ALONE)
def test_the_decision_rule_alone_finds_it(text: str, name: str) -> None:
    """With no span from the CRF: the slot and the words' lists, not the model's weights, do the work."""
    assert any(name in n for n in rule_alone(text)), (text, rule_alone(text))


def test_spelled_letters_join_the_name_the_tagger_cut() -> None:
    text = "so the surname is haldane h a l d a n e and she lives nearby"
    assert "haldane h a l d a n e" in rule_alone(text), rule_alone(text)


@pytest.mark.parametrize(
    "text",
    [
        # a family's head noun after an adjective or an everyday word
        "the host family was lovely and the royal family visited in june",
        "the foster family took him in when the nuclear family fell apart",
        "we toured the white house, the opera house and the guest house",
        "the whole family came and the extended family stayed the weekend",
        "the polish family next door and the amish farm down the road",
        # a word as well known as a surname, a business's name ("the Waffle House")
        "meet me at the pancake house by the ring road",
        # possessives of things, not people, and a noun's after a determiner
        "the caseworker's email came in after midnight",
        "the anticoagulation clinic called her inr is up again so skip tonight's dose",
        "the patient's hospital number is on the wristband",
        "the company's phone number is on the website",
        "the dog's face was swollen and the cat's legs were fine",
        "the doctor's notes say otherwise and the nurse's chart agrees",
        "there is a history of menkhaus's father having the same",
        # attention as a word
        "please pay attention to the dosage on the label",
        # letters that spell no name said before
        "the code was abc a b c and the dob d o b",
        "we wrote cat c a t and green g r e e n on the board",
        # naming and shouting slots with words in them
        "they called him lazy and called her crazy at school",
        "someone shouted fire and everyone yelled stop",
        "a guy called security and the man named in the report left",
        "this is great i can do it now",
        "The queue was too long, said Grant Park staff.",
        "who is speaking please, the office speaking hours are short",
    ],
)
def test_no_name_there(detector: Detector, text: str) -> None:
    assert names(detector, text) == [], (text, names(detector, text))
