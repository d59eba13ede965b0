"""Places named by what is said around them, without a street type or a gazetteer entry (issue 23, round 5).

- a place given to explain a ZIP or a phone number's code ("ZIP 10027, that's Harlem", "+353 1 ..., that's
  Dublin", "area code 505, that's uh albuquerque");
- the home town in a news-style apposition after a person and an age ("Jo Reyes, 41, of Mesilla, was ...");
- (round 12) a place named by its kind ("a fishing village called Staithes", "a suburb named Kew"), and an
  island by its word ("on the Isle of Mull", "out at Hart Island", "we took the ferry to fire island"): in
  lowercase too, where the kind or the island word carries the place when capitals are gone;
- (round 12) a postcode spelled out after it is said, letters in the phonetic alphabet ("M14 5RG, Mike one
  four, five Romeo Golf"): the spoken view writes it "m 145 r g", whose letters and digits joined are the
  postcode; in lowercase the postcode said before it goes with it.
"""

from __future__ import annotations

import re

from core.redaction.recognizers import RegexRecognizer
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_FILLER = r"(?:(?:uh|um|er|erm|like)[\s,]+)*"
# What "that's" answers with that is no place ("that's right", "that's the old one").
_NOT_PLACE = (
    r"(?!(?:right|correct|fine|it|all|good|okay|ok|mine|my|his|her|their|our|your|home|work|cell|mobile|landline|"
    r"office|new|old|wrong|not|what|where|why|how|because|for|about|a|an|one|two|three|four|five|six|seven|eight|"
    r"nine|zero|oh|the|this|that|me|him|them|us|so|just|only|also|still|our|local|toll|free|main|direct|my|"
    r"yes|no|yeah|same|easy|great|perfect|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|dash|and|or|in|on|at|to|with|area|code|zip)\b)"
)

_PLACE_PREFIX = (
    r"(?:east|west|north|south|upper|lower|new|san|santa|los|las|fort|port|saint|st|mount|lake|little|big|old|"
    r"el|la|le|des|del)"
)


# What a kind of place is seldom "called" that names none: a pronoun, a filler, "after" ("named after her").
_NOT_CALLED = (
    r"(?!(?:uh|um|er|erm|the|a|an|it|that|this|after|for|by|something|what|like|me|him|her|them|us|you|back|"
    r"off|out|in|on|and|or|but|so|because|i|we|they|he|she)\b)"
)
_KIND = (
    r"(?:village|town|city|suburb|hamlet|township|settlement|borough|neighbou?rhood|district|island|"
    r"municipality|commune|parish)"
)
# Only after "a": "the city called me back" is the council on the phone.
_A_KIND = r"\b(?:a|an)\s+(?:[a-z]+\s+){0,2}?" + _KIND + r"\s+(?:called|named),?\s+" + _FILLER
_CAPITAL_WORD = r"(?-i:[A-Z])[\w'’-]+"
# Words before "island" that name no island ("a desert island", "the kitchen island").
_NOT_ISLAND = (
    r"(?!(?:the|a|an|my|his|her|our|their|your|its|this|that|one|no|some|any|every|each|whole|same|another|"
    r"desert|deserted|tropical|private|small|big|little|tiny|remote|traffic|kitchen|heat|treasure|love|fantasy|"
    r"rhode|barrier|coral|volcanic|artificial|floating|nearby|rocky|sandy|lonely|uninhabited|which|what|"
    r"greek|pacific|caribbean|main|north|south|east|west|other)\b)"
)


_POSTCODE_SHAPE = re.compile(r"[a-z]{1,2}\d[a-z\d]?\d[a-z]{2}|[a-z]\d[a-z]\d[a-z]\d", re.IGNORECASE)
# One letter or a few digits at a time, three to eight of them (the view writes "Romeo" as "r").
_SPELLED = re.compile(r"(?<![\w'’-])(?:[a-z]|\d{1,3})(?:[\s,]+(?:[a-z]|\d{1,3})){2,7}(?![\w'’-])", re.IGNORECASE)
# The postcode said right before its spelling ("M14 5RG, that's ..."), and what asks for one.
_SAID_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<code>[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d)"
    r"[\s,]+(?:(?:that['’]s|that\s+is|i\s+mean)[\s,]+)?\Z",
    re.IGNORECASE,
)
_ASKED = re.compile(
    r"(?:\bpost\s?code|\bpostal\s+code|\baddress|\b[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2})\b[^.?!]*\Z", re.IGNORECASE
)


class SpelledPostcodeRecognizer:
    """A postcode spelled one letter or a few digits at a time, whose letters and digits joined are a
    postcode's, after the postcode itself (then both, the postcode said in lowercase too) or after a cue
    that asks for one."""

    name = "pattern:spelled_postcode"
    entities = frozenset({"ADDRESS"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        for m in _SPELLED.finditer(norm):
            if _POSTCODE_SHAPE.fullmatch(re.sub(r"[\s,]", "", m.group())) is None:
                continue
            said = _SAID_BEFORE.search(norm, max(0, m.start() - 24), m.start())
            if said is not None:
                out.append(Entity("ADDRESS", *view.span(*said.span("code")), 0.8, self.name))
            elif not _ASKED.search(norm, max(0, m.start() - 80), m.start()):
                continue
            out.append(Entity("ADDRESS", *view.span(m.start(), m.end()), 0.8, self.name))
        return out


# (round 12) Born on an island ("born on Kalymnos", "raised on Skye"): what else one is born on is a day,
# a holiday or a thing.
_NOT_BORN_ON = (
    r"(?!(?:the|a|an|my|his|her|their|our|your|this|that|one|time|schedule|purpose|board|deck|base|campus|site|"
    r"land|earth|christmas|easter|halloween|thanksgiving|valentine['’]?s|new|boxing|leap|independence|"
    r"mother['’]?s|father['’]?s|st|saint|good|ash|palm|memorial|labou?r|veterans|election|same|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+\w*)\b)"
)


def place_cue_recognizers() -> list[RegexRecognizer | SpelledPostcodeRecognizer]:
    return [
        SpelledPostcodeRecognizer(),
        RegexRecognizer(
            "context:born_on", "ADDRESS",
            [r"\b(?i:born|raised|grew\s+up)\s+on\s+(?:(?i:the\s+(?:island|isle)\s+of)\s+)?(?P<v>"
             + _NOT_BORN_ON.replace("(?!(?:", "(?!(?i:") + r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?![\w'’-])",
             r"\bborn\s+on\s+(?P<v>" + _NOT_BORN_ON + r"(?-i:[a-z])[a-z'’-]{3,})\b(?![\w'’-])"],
            score=0.7, group="v", flags=0, anchor=r"\bon\b",
        ),
        RegexRecognizer(
            "context:place_called", "ADDRESS",
            [_A_KIND + r"(?P<v>" + _CAPITAL_WORD + r"(?:\s+(?:(?:on|upon|de|del|la|le|en|sur)\s+)?"
             + _CAPITAL_WORD + r"){0,2})",
             # In lowercase one word, or two after a word that starts place names ("little snoring").
             _A_KIND + r"(?P<v>(?:" + _PLACE_PREFIX + r"\s+)?" + _NOT_CALLED + r"[a-z][a-z'’-]{2,})\b(?!['’-])"],
            # Above the name cue "called" ("a village called Ness" is no person).
            score=0.85, group="v", anchor=r"\b(?:called|named)\b",
        ),
        RegexRecognizer(
            "context:island", "ADDRESS",
            # "the Isle of Skye" in any casing; "Hart Island" capitalised anywhere but after a word that names
            # no island; in lowercase after a locative cue ("ferry to fire island").
            [r"\b(?P<v>isle\s+of\s+" + _NOT_ISLAND + r"[^\W\d_][\w'’-]+)",
             r"(?<![\w'’-])(?P<v>" + _NOT_ISLAND.replace("(?!(?:", "(?!(?i:") + _CAPITAL_WORD + r"\s+(?-i:I)sland)\b",
             r"\b(?:at|on|to|from|in|near|off|of|visit(?:ed|ing)?|around)\s+(?P<v>" + _NOT_ISLAND
             + r"[a-z][a-z'’-]{2,}\s+island)\b(?!['’-])"],
            # Above a cue-word name ("at Ellis Island" is no Mr. Ellis).
            score=0.85, group="v", anchor=r"\bis(?:le|land)\b",
        ),
        RegexRecognizer(
            "context:place_of_code", "ADDRESS",
            [r"\bthat(?:['’]s|\s+is)[\s,]+" + _FILLER
             + r"(?P<v>(?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,2})(?![\w'’-])",
             # In lowercase one word, or two after a word that starts place names ("east austin").
             r"\bthat(?:['’]s|\s+is)[\s,]+" + _FILLER + r"(?P<v>(?:" + _PLACE_PREFIX + r"\s+)?" + _NOT_PLACE
             + r"(?-i:[a-z])[a-z'’-]{2,})\b(?!['’-])"],
            # After a ZIP, a postcode or a phone number's code, in the same sentence.
            context=r"(?:\bzip(?:\s*code)?|\bpost(?:al)?\s*code|\barea\s+code|\bcountry\s+code|\bdial(?:ling)?\s+code|"
                    r"\+\s?\d)[^.?!]*$",
            score=0.65, group="v", window=60,
        ),
        RegexRecognizer(
            "pattern:person_age_of_town", "ADDRESS",
            # "Pickens, 29, of Harlan": a capitalised word, an age, "of" and a capitalised place, set off by commas.
            [r"(?<=[a-z’'],\s)(?:\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?),\s+of\s+"
             r"(?P<v>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2})(?=\s*[,.;]|\s+(?:to|was|is|who|and|for|has|had)\b)"],
            score=0.75, group="v", flags=0,
        ),
    ]  # fmt: skip
