"""A licence plate by its shape, with the plate named before it in the sentence or its registration after it
(issue 23, round 12).

The cued plate rule wants the value right after its cue ("plate KRT 4471"). Speech puts the plate elsewhere:
- after a clause: "I'm calling the DMV because my plate was misprinted, it should say JXR 4409 but it says
  JXR 4490" (both are the plate);
- before what says it is one: "So that's KLM 447, registered to ...", "B D R 2291 is the one registered in
  Ohio".
The letters may be spelled with the NATO alphabet and the digits said ("Charlie Delta Echo five five two").
The shape: two or three letters, written as a group or spelled one by one, then three or four digits
("KLM 447", "jxr-4490", "b d r 2291"), or a digit, three letters and three digits ("7ABC123"). The letters
are never a word ("was 2019", "the 1040"); in cased text they are capitals. A number of another kind named
closer before it (a flight, a claim, a phone) keeps it out.
"""

from __future__ import annotations

import re

from core.redaction.spoken import DIGIT_WORDS, NATO, SpokenView
from core.redaction.types import Entity

_SHAPE = re.compile(
    r"(?<![\w@./-])(?P<v>(?P<letters>[a-z]{2,3}|[a-z](?: [a-z]){1,2})[ -]?\d{3,4}|\d[a-z]{3}\d{3})"
    r"(?![\w@]|[.:/-]\d| \d)",
    re.IGNORECASE,
)
# Two- and three-letter words that come before a number in speech: never a plate's letters.
_WORDS = frozenset(
    {
        "a",
        "an",
        "am",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "oh",
        "ok",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "her",
        "was",
        "one",
        "our",
        "out",
        "day",
        "get",
        "has",
        "him",
        "his",
        "how",
        "man",
        "new",
        "now",
        "old",
        "see",
        "two",
        "way",
        "who",
        "boy",
        "did",
        "its",
        "let",
        "put",
        "say",
        "she",
        "too",
        "use",
        "age",
        "ago",
        "apt",
        "box",
        "bus",
        "car",
        "van",
        "cvv",
        "dob",
        "due",
        "exp",
        "fax",
        "ids",
        "mrn",
        "ssn",
        "pin",
        "vin",
        "via",
        "per",
        "pay",
        "set",
        "top",
        "tax",
        "yes",
        "yet",
        "gym",
        "lot",
        "rev",
        "ver",
        "ext",
        "eta",
        "flt",
        "fly",
        "job",
        "pgs",
        "pg",
        "pp",
        "ch",
        "pt",
        "rm",
        "st",
        "rd",
        "dr",
        "av",
        "ave",
        "ste",
        "hwy",
        "rte",
        "mi",
        "km",
        "ft",
        "lb",
        "lbs",
        "kg",
        "mg",
        "ml",
        "oz",
        "hr",
        "hrs",
        "min",
        "mins",
        "sec",
        "secs",
        "yr",
        "yrs",
        "mo",
        "mos",
        "wk",
        "wks",
        "i'm",
    }
)
_NAMED_BEFORE = re.compile(r"\b(?:licen[cs]e plates?|plates?|tags?|dmv|registration|registered)\b", re.IGNORECASE)
_NAMED_AFTER = re.compile(
    r"[\s,]*(?:(?:and|which|that's|that is|it's|it is|is|was|it|the one|one)\s+){0,3}"
    r"(?:registered|(?:(?:my|the|his|her|their|our|your)\s+)?(?:plate|licen[cs]e plate|tag)\b)",
    re.IGNORECASE,
)
# Another kind of number named between the plate's cue and the value.
_OTHER = re.compile(
    r"\b(?:phone|cell|account|member|policy|claim|case|order|flight|ticket|citation|report|serial|vin|mrn|"
    r"licen[cs]e(?! plate)|permit|invoice|confirmation|reference|zip|room|extension)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_WINDOW = 120


def _said_as_capitals(said: str) -> bool:
    """The plate's letters are capitals, or spelled with the NATO alphabet ("Charlie Delta Echo"), and its digits
    written or said ("K L M four four one")."""
    return all(w.isupper() or w.lower() in NATO or w.lower() in DIGIT_WORDS for w in _WORD.findall(said))


_WORD = re.compile(r"[A-Za-z]+")


class ShapedPlateRecognizer:
    name = "shape:plate"
    entities = frozenset({"VEHICLE_ID"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        cased = any(c.isupper() for c in text)
        out: list[Entity] = []
        for m in _SHAPE.finditer(norm):
            letters = m.group("letters")
            if letters is not None and letters.replace(" ", "").lower() in _WORDS:
                continue
            start, end = view.span(m.start("v"), m.end("v"))
            if cased and not _said_as_capitals(text[start:end]):
                continue
            if not (_NAMED_AFTER.match(norm, m.end()) or self._named_before(norm, m.start())):
                continue
            out.append(Entity("VEHICLE_ID", start, end, 0.85, self.name))
        return out

    @staticmethod
    def _named_before(norm: str, start: int) -> bool:
        begin = max(0, start - _WINDOW)
        for stop in _SENTENCE_END.finditer(norm, begin, start):
            begin = stop.end()
        cues = list(_NAMED_BEFORE.finditer(norm, begin, start))
        return bool(cues) and _OTHER.search(norm, cues[-1].end(), start) is None


# "my vanity plate says NANA 93", "a personalised plate, GR8 MAMA": a plate chosen by its owner, any letters and
# digits, after a cue that says it was chosen. Up to three groups, eight characters in all.
_VANITY = re.compile(
    r"\b(?:vanity|personali[sz]ed|custom|private|novelty|special)\s+(?:licen[cs]e\s+|number\s+|registration\s+)?"
    r"plates?(?:['’]s)?(?:\s+(?:says|said|reads|read|is|was|of|that says|that reads))?[\s:,]+"
    r"(?P<v>[a-z0-9]{1,8}(?:[ -][a-z0-9]{1,8}){0,2})",
    re.IGNORECASE,
)
_PLATE_WORD = re.compile("plate", re.IGNORECASE)
_GROUP = re.compile(r"[a-z0-9]+", re.IGNORECASE)
# Words that end the plate in lowercase text: what is said after it.
_AFTER_PLATE = frozenset(
    {"and", "but", "so", "because", "since", "which", "that", "on", "in", "for", "from", "with", "to", "is", "was",
     "it", "i", "she", "he", "they", "we", "you", "now", "then", "too", "also", "if", "when", "after", "before"}
)  # fmt: skip


class VanityPlateRecognizer:
    name = "context:vanity_plate"
    entities = frozenset({"VEHICLE_ID"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        if _PLATE_WORD.search(text) is None:  # one literal scan: most transcripts name no plate
            return out
        cased = any(c.isupper() for c in text)
        for m in _VANITY.finditer(text):
            groups: list[re.Match[str]] = []
            for g in _GROUP.finditer(m.group("v")):
                if g.group().lower() in _AFTER_PLATE or (cased and not g.group().isupper() and not g.group().isdigit()):
                    break
                groups.append(g)
            said = "".join(g.group() for g in groups)
            # Written in capitals when the text is cased; holding a digit when it is not ("gr8 mama", "nana 93"):
            # "my vanity plate is expired" is no plate.
            if not 2 <= len(said) <= 8 or (not cased and not any(c.isdigit() for c in said)):
                continue
            if cased and not any(c.isalpha() for c in said):
                continue
            base = m.start("v")
            out.append(Entity("VEHICLE_ID", base + groups[0].start(), base + groups[-1].end(), 0.9, self.name))
        return out
