"""Places named by what is said around them, without a street type or a gazetteer entry (issue 23, round 5).

- a place given to explain a ZIP or a phone number's code ("ZIP 10027, that's Harlem", "+353 1 ..., that's
  Dublin", "area code 505, that's uh albuquerque");
- the home town in a news-style apposition after a person and an age ("Jo Reyes, 41, of Mesilla, was ...").
"""

from __future__ import annotations

from core.redaction.recognizers import RegexRecognizer

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


def place_cue_recognizers() -> list[RegexRecognizer]:
    return [
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
