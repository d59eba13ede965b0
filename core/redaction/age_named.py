"""An age over 89 said right after a person's name, with no verb and no "years old" (issue 23, round 8).

Handovers, referrals and oral histories name a person and give the age next, often unpunctuated:
"mrs adler ninety-six tomorrow", "oral history with anton weber ninety-one in ...", "referral for mr
piet de graaf 97 from ...", "client rosa lindgren ninety-two apartment 3". `recognizers.AgeRecognizer`
wants a comma ("Name, 96, ..."), "is", or a clinical verb after the number; this takes the bare order when:
- the words right before the number look like a name (no function word, measure or reference word such as
  "room", "bay", "dose"; capitalised in cased text), one to four of them;
- they follow a title or a person word ("mr", "patient", "client", "wife"), or one of them is a listed
  given name or surname that is no everyday word;
- what follows the number ends the phrase or starts a new one (a comma, "in", "from", "tomorrow",
  "daughter"...), and is no unit (`_AGE_END`: "ninety minutes", "95 percent" stay out).
Round 14: lowercase ASR drops the commas of "Dorothy Kimball, 91, about ...", so any word after the number
closes the phrase too ("... ninety-one about withdrawals", "... ninety-two lay on the floor"), unless a street
word follows within three words (a house number: "mary jones 95 oak avenue"); and "a hundred (and three)",
which the view keeps in words, is a candidate as well.
"""

from __future__ import annotations

import re

from core.redaction.recognizers import (
    _AGE_END,
    _AGE_SUBJECT,
    AMBIGUOUS_NAMES,
    NAME_PARTICLES,
    _wordset,
    fold,
    load_name_words,
    load_names,
)
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

# The view writes "one hundred and one" as 101 but keeps "a hundred and one" as "a hundred and 1".
_CANDIDATE = re.compile(r"(?<![\w.,/:-])(?:9\d|1[01]\d|a\s+hundred(?:\s+and\s+1?\d)?)" + _AGE_END, re.IGNORECASE)
_FOLLOWS = re.compile(
    r"\s*(?:[,;:!?]|\.(?!\d)|$)|\s+(?:in|from|of|at|originally|known|admitted|tomorrow|today|tonight|now|lives|"
    r"living|who|with|and|but|no|sorry|wait|his|her|their|daughter|son|wife|husband|widow|widowed|widower|"
    r"apartment|flat|recorded|born|speaks|still|has|had|presents|presented|fall|falls|fell|next|last|this)\b",
    re.IGNORECASE,
)
# Any other word after the number also closes the name-and-age phrase ("dorothy kimball ninety-one about
# her account", "albert nkemelu ninety-two lay on the floor", "patient cho ninety three is here"), unless it
# reads as a house number: a street word within the next three words ("mary jones 95 oak avenue").
_FOLLOWS_WORD = re.compile(
    r"\s+(?!(?:[\w'’-]+\s+){0,2}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|court|ct|place|pl|"
    r"boulevard|blvd|close|crescent|terrace|parkway|highway|hwy|route|square|row|gardens|grove|mews|hill|"
    r"walk|circle|trail|pike|north|south|east|west)\b)[^\W\d_]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.IGNORECASE)
_LEAD = re.compile(r"(?:mr|mrs|ms|miss|mister|missus|mx|dr|" + _AGE_SUBJECT[3:-1] + r")\.?", re.IGNORECASE)
# Never part of a name before an age: function words, and words that make the number a measure or a place.
_NOT_NAME = _wordset(
    "a an the and or of in on at to for from by with is was are were be been his her their my our your its this "
    "that these those it he she they we you i me him them us no not so then than there here what which who whom "
    "room bed bay ward unit floor page line number no extension ext score rate pressure level sats sat glucose "
    "sugar pulse temp temperature weight oxygen count total bp hr rr dose code lot order claim case ticket box "
    "suite apartment apt route highway chapter step grade about around over under nearly almost only just "
    "aged age years year old turned turns is said says told"
)


class NamedAgeRecognizer:
    name = "context:age_named"
    entities = frozenset({"AGE"})

    def __init__(self) -> None:
        given, surnames = load_names()
        ambiguous, common = load_name_words()
        everyday = AMBIGUOUS_NAMES | ambiguous | common
        self._listed = (given | surnames) - everyday
        self._common = common

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        cased: bool | None = None
        for c in _CANDIDATE.finditer(norm):
            closed = _FOLLOWS.match(norm, c.end()) is not None
            if not closed and _FOLLOWS_WORD.match(norm, c.end()) is None:
                continue
            if cased is None:
                words = norm.split()
                cased = sum(1 for w in words if w[:1].isupper()) * 50 >= len(words) > 0
            if self._named_before(norm, c.start(), cased=cased, strict=not closed):
                out.append(Entity("AGE", *view.span(c.start(), c.end()), 0.8, self.name))
        return out

    def _named_before(self, norm: str, end: int, *, cased: bool, strict: bool = False) -> bool:
        """One to four name words end at `end` (a comma at most between), after a title or a person word, or
        with a listed name among them. `strict` (any word after the number): no common English word among
        them and no pronoun for the person word ("if he drops below ninety systolic")."""
        words = list(_WORD.finditer(norm, max(0, end - 60), end))
        names: list[str] = []
        pos = end
        for w in reversed(words):
            gap = norm[w.end() : pos]
            if gap.strip(" ,") or len(names) == 4:
                break
            low = w.group().lower()
            if low in _NOT_NAME or (cased and not w.group()[0].isupper() and low not in NAME_PARTICLES):
                if names and self._lead(low, strict):
                    return True
                break
            if names and self._lead(low, strict):
                return True
            if strict and low in self._common:
                return False
            names.append(low)
            pos = w.start()
        if not names or all(n in NAME_PARTICLES for n in names):
            return False
        if words and pos > 0:  # "patient is cornelius van der berg 99": a person word and "is" before
            lead = re.search(r"(?:^|\s)(\S+?)\.?\s+(?:is\s+|was\s+)?$", norm[max(0, pos - 30) : pos])
            if lead is not None and self._lead(lead.group(1).lower(), strict):
                return True
        return any(fold(n.removesuffix("'s").removesuffix("’s")) in self._listed for n in names)

    def _lead(self, low: str, strict: bool) -> bool:
        return _LEAD.fullmatch(low) is not None and not (strict and low in _PRONOUNS)


_PRONOUNS = frozenset({"he", "she", "i", "you", "they", "who"})


def names_clear_of_ages(found: list[Entity], text: str) -> list[Entity]:
    """The name tagger's finds that run on into an age found after the name ("ruth abernathy ninety-seven",
    unpunctuated), cut to end before it: else the overlap would drop the whole name (`overlaps.combine`)."""
    ages = [e for e in found if e.type == "AGE"]
    if not ages:
        return found
    out: list[Entity] = []
    for e in found:
        if e.type == "NAME":
            cut = min((a.start for a in ages if e.start < a.start < e.end <= a.end), default=None)
            if cut is not None:
                end = len(text[e.start : cut].rstrip(" ,;:-")) + e.start
                if end > e.start:
                    e = Entity(e.type, e.start, end, e.score, e.detector)
        out.append(e)
    return out
