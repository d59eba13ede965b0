"""A whole address said as a chain of parts, outside the US too (issue 23, round 8).

"Flat 9, Cromwell Court, Leicester LE2 1DE", "Unit 5B, 220 Kingsway, Burnaby, BC V5H 2A1", "ul. Długa 17,
80-827 Gdańsk", "3-14-2 Shibuya, Tokyo": the street rules find a piece (a postcode, a street with a known
type) and leave the rest, and each piece alone covers too little of the address. The grammar here:

    address  := first part (", " part)*
    first    := unit | house number + name | name + house number | house name | PO box
    part     := unit | house number + name | name + house number | name words [+ code] | code [+ town]
    code     := a UK or Canadian postcode | NN-NNN, NNNN-NNN, NNNNN-NNN | four to six digits

In cased text the parts are set off by commas, each name word capitalised (particles between them: "Heol y
Castell", "Rua de Santa Catarina"); a chain is an address when it holds a code, or three parts, or two with
a known town or street type. In lowercase text there are no commas: a chain is anchored on a code with the
town beside it, or on a house number with a known town a few words after it, and reaches back to a unit,
a house number or the street's first word, never over a word of the sentence around it.
It must never take a date ("12 March, London"), a page or a section ("Section 2, Part 4").
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.redaction.recognizers import (
    MONTH_WORDS,
    _is_cased,
    fold_text,
    load_names,
    load_places,
    load_street_suffixes,
)
from core.redaction.spoken import SpokenView
from core.redaction.towns import load_towns
from core.redaction.types import Entity

# Not "room" or "bed": in a clinical note they are a ward's, and the next part is the patient's name.
_UNIT = r"(?:flat|unit|apt|apartment|apartamento|apartado|suite|ste|lot|plot|number|no|box)"
_PARTICLE = r"(?:y|an|na|de|del|della|di|da|do|dos|das|du|des|la|le|les|los|las|el|van|von|der|den|ter|út|utca|on|upon)"
# A name word of an address in cased text: capitalised, or a short abbreviation ("St.", "ul.").
_CAP = r"(?:(?:St|Mt|Ft|Rd|Ave|No|ul|al)\.|[A-Z][\w'’]*(?:-[\w'’]+)*)"
_NAME_WORDS = _CAP + r"(?:\s+(?:" + _PARTICLE + r"\s+)?" + _CAP + r"){0,4}"
_HOUSE = r"\d{1,5}[A-Za-z]?(?:-\d{1,5}){0,3}"
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)"
_CODE = r"(?:\d{2}-\d{3}|\d{4,5}-\d{3}|\d{4,6})"
_STRONG = (
    r"(?P<unit>(?i:" + _UNIT + r")\.?\s*#?\s*\d{1,5}[A-Za-z]?)"
    r"|(?P<box>(?i:p\.?\s?o\.?\s*box)\s+\d{1,6})"
    r"|(?P<house>" + _HOUSE + r"\s+" + _NAME_WORDS + r"(?:\s+\d{1,4})?)"
    r"|(?P<named_house>" + _NAME_WORDS + r"\s+\d{1,5}[A-Za-z]?)"
    r"|(?P<building>" + _CAP + r"(?:\s+" + _CAP + r"){0,2}\s+(?:Cottage|House|Court|Farm|Manor|Lodge|Mill|Hall|"
    r"Barn|Villa|Villas|Mansions|Buildings|Apartments|Towers|Mobile\s+Home\s+Park|Estate))"
)
_PART = (
    r"(?:" + _STRONG + r"|(?P<coded>(?:" + _NAME_WORDS + r"\s+)?(?:" + _POSTCODE + r"|" + _CODE + r"))"
    r"|(?P<code_town>" + _CODE + r"\s+" + _NAME_WORDS + r")|(?P<named>" + _NAME_WORDS + r"(?:\s+\d{1,2})?))"
)
_FULL_STRONG = re.compile(r"(?:" + _STRONG + r")\Z")
_FULL_PART = re.compile(_PART + r"\Z")
_PREFIX_PART = re.compile(_PART + r"(?![\w'’-])")
_SEGMENT = re.compile(r"[^,]+")
# Words a house number is seldom followed by as a street: dates (`MONTH_WORDS` holds the weekdays too), measures,
# pages.
_NOT_STREET = frozenset(
    {*MONTH_WORDS, "am", "pm",
     "years", "year", "days", "weeks", "months", "hours", "minutes", "mg", "percent", "dollars", "pounds", "euros",
     "page", "pages", "section", "chapter", "table", "figure", "part", "step", "stage", "grade", "level", "bed",
     "ward", "day", "week", "version", "type", "phase", "item", "question", "appendix", "line", "verse", "psalm",
     "exhibit", "tab", "schedule", "article", "rule", "paragraph", "clause", "episode", "season", "act", "scene"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _known() -> tuple[frozenset[str], frozenset[str]]:
    """(towns and cities, street types), lowercased and folded."""
    towns, ambiguous = load_towns()
    places, ambiguous_places, _ = load_places()
    street, word = load_street_suffixes()
    return towns | ambiguous | places | ambiguous_places, street | word


@lru_cache(maxsize=1)
def _sure_towns() -> frozenset[str]:
    """Towns that are no everyday word and no person's given name or surname ("eunice" is both)."""
    given, surnames = load_names()
    return (load_towns()[0] | load_places()[0]) - given - surnames


class AddressChainRecognizer:
    """An address said as a chain of its parts, as one span (see the module's docstring)."""

    name = "pattern:address_chain"
    entities = frozenset({"ADDRESS"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        folded = fold_text(text)
        spans = _cased_chains(folded) if _is_cased(text) else _lower_chains(folded)
        return [Entity("ADDRESS", s, e, 0.85, self.name) for s, e in spans]


def _words_ok(part: str) -> bool:
    """No date, measure or page among the part's words after its number."""
    return not any(w.lower().strip(".") in _NOT_STREET for w in part.split()[:3])


def _cased_chains(text: str) -> list[tuple[int, int]]:
    if "," not in text:
        return []
    segments = [(m.start(), m.end()) for m in _SEGMENT.finditer(text)]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(segments) - 1:
        start = _strong_suffix(text, *segments[i])
        if start is None:
            i += 1
            continue
        parts = [(start, segments[i][1])]
        j = i + 1
        while j < len(segments):
            s, e = segments[j]
            s += len(text[s:e]) - len(text[s:e].lstrip())
            if s == e or text[segments[j - 1][1] : s].strip() != ",":
                break
            whole = _FULL_PART.match(text, s, e)
            if whole is not None and _words_ok(text[s:e]):
                parts.append((s, e))
                j += 1
                continue
            head = _PREFIX_PART.match(text, s, e)
            if head is not None and head.end() > s and _words_ok(text[s : head.end()]):
                parts.append((s, head.end()))
            break
        if len(parts) >= 2 and _anchored(text, parts):
            out.append((parts[0][0], parts[-1][1]))
            i = j
        else:
            i += 1
    return out


def _strong_suffix(text: str, start: int, end: int) -> int | None:
    """Where the segment's last words begin to be a first part (a unit, a house and its street...)."""
    stripped = start + len(text[start:end].rstrip())
    for m in re.finditer(r"(?:^|(?<=\s))\S", text[start:stripped]):
        s = start + m.start()
        found = _FULL_STRONG.match(text, s, stripped)
        if found is not None and _words_ok(text[s:stripped]) and not text[s:stripped].isdigit():
            if found.lastgroup == "named_house" and not _has_street_type(text[s:stripped]):
                continue
            if found.lastgroup == "unit" and _numbered_thing(text, s):
                continue
            return s
    return None


#: Round 20: the words before an address's "number 14" ("I live at number 14, ...", "my address is no. 9, ..."). After
#: any other word, "number" is that thing's ("account number 0012, 4471, ...", "serial number 4471, ..."): an
#: identifier's groups set off by commas, not a house and a postcode.
_NUMBER_AFTER = frozenset(
    {"at", "to", "in", "on", "of", "from", "is", "was", "it's", "its", "it’s", "that's", "that’s", "live", "lives",
     "lived", "living", "moved", "address", "house", "home", "and", "or", "then", "um", "uh", "er", "erm", "oh"}
)  # fmt: skip
_UNIT_NUMBER = re.compile(r"(?i:number|no)\b")
_WORD_BEFORE = re.compile(r"([\w'’]+)\s+\Z")


def _numbered_thing(text: str, s: int) -> bool:
    """The unit at `s` is "number"/"no" after a word that makes it a thing's number, not a house's."""
    if not _UNIT_NUMBER.match(text, s):
        return False
    before = _WORD_BEFORE.search(text, max(0, s - 40), s)
    return before is not None and before.group(1).lower() not in _NUMBER_AFTER


# Street types of other languages said before the name ("Rua das Flores 45", "ulica Długa 7")...
_FIRST_TYPES = frozenset(
    {"rua", "rue", "calle", "avenida", "via", "viale", "piazza", "corso", "carrer", "chemin", "strada", "heol",
     "ffordd", "stryd", "sraid", "bothar", "jalan", "jln", "ulica", "ul", "aleja", "calzada", "paseo", "travessa",
     "largo", "praca", "rambla"}
)  # fmt: skip
# ... and after it, or as its ending ("Nevsky Prospekt", "Andrássy út", "Sukhumvit Soi").
_FOREIGN_TYPES = _FIRST_TYPES | frozenset(
    {"soi", "al", "prospekt", "ut", "utca", "caddesi", "sokak", "sokagi", "straße", "strasse", "gasse", "allee",
     "platz", "weg", "laan", "straat", "gatan", "vej", "veien"}
)  # fmt: skip


# Street types no surname is ("Brooks", "Lane", "Court" are): a part ending in one is a street.
_NO_SURNAME_TYPES = _FOREIGN_TYPES | frozenset(
    {"drive", "dr", "road", "rd", "avenue", "ave", "boulevard", "blvd", "highway", "hwy", "parkway", "crescent",
     "terrace"}
)  # fmt: skip


def _has_street_type(part: str) -> bool:
    _, streets = _known()
    words = [w.lower().strip(".") for w in fold_text(part).split()]
    return any(w in streets or w in _FOREIGN_TYPES for w in words)


def _anchored(text: str, parts: list[tuple[int, int]]) -> bool:
    """A postcode or a code, three parts, or a known town or street type among two."""
    chain = text[parts[0][0] : parts[-1][1]]
    if re.search(_POSTCODE + r"\b|(?<![\w-])" + _CODE + r"(?![\w-])", chain[len(text[slice(*parts[0])]) :]):
        return True
    if len(parts) >= 3:
        return True
    towns, _ = _known()
    tail = fold_text(text[slice(*parts[-1])]).lower()
    # A street type in the first part ("88 Quay Street, Galway"); in the last it may be a surname ("Brooks"),
    # unless a unit or a lot comes first (round 12: "Lot 9, Kalkaringi Road", "Unit 3, Ferris Drive").
    unit = _FULL_STRONG.match(text, *parts[0])
    last = fold_text(text[slice(*parts[-1])]).lower().split()
    if unit is not None and unit.lastgroup == "unit" and last and last[-1].strip(".") in _NO_SURNAME_TYPES:
        return True
    return tail in towns or _has_street_type(text[slice(*parts[0])])


# -- Lowercase: no commas, so the chain is anchored on a code or a known town and reaches back.

_LOWER_STOP = frozenset(
    {"a", "the", "and", "or", "but", "so", "then", "is", "was", "are", "were", "be", "at", "to", "in", "on", "of",
     "for", "from", "with", "by", "into", "onto", "outside", "near", "i", "i'm", "im", "we", "we're", "he", "she",
     "they", "it", "it's", "you", "my", "his", "her", "our", "their", "your", "that's", "this", "that", "lives",
     "live", "living", "lived", "moved", "send", "sent", "deliver", "delivered", "address", "visited", "visiting",
     "uh", "um", "er", "sorry", "yes", "no", "okay", "ok", "called", "calling", "here", "there", "now", "also",
     "who", "which", "where", "when", "staying", "stays", "stayed", "please", "confirm", "has", "had",
     "patient", "client", "caller", "mr", "mrs", "ms", "miss", "dr", "doctor", "nurse", "sir", "madam",
     # The nouns of other numbers: "order number 7781-220", "mrn 5512-877", "iban ... name ... city leipzig".
     "name", "city", "iban", "account", "number", "phone", "mrn", "dob", "fax", "callback", "order", "ticket",
     "reference", "code", "date", "dated", "born", "ref", "id", "card", "policy", "claim", "invoice"}
)  # fmt: skip
_LOWER_WORD = re.compile(r"[^\W_][\w'’.-]*")
_LOWER_CODE = re.compile(r"(?:[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d)(?![\w-])")
# Not "number", "no" or "box" in lowercase: "order number 7781-220" is no address.
_LOWER_UNIT = re.compile(r"(?:flat|unit|apt|apartment|apartamento|apartado|suite|ste|lot|plot|ul|ulica)\Z")
_YEAR = re.compile(r"(?:19|20)\d\d\Z")
_BUILDING = frozenset(
    {"cottage", "house", "court", "farm", "manor", "lodge", "mill", "hall", "barn", "villa", "villas", "mansions",
     "buildings", "apartments", "towers", "estate"}
)  # fmt: skip
_MAX_BACK = 9
_SAID_DIGITS = frozenset(
    ["oh", "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double", "triple"]
)


def _lower_chains(text: str) -> list[tuple[int, int]]:
    words = [(m.start(), m.end(), m.group().lower()) for m in _LOWER_WORD.finditer(text)]
    # Every anchor has a number in it, or right after it, or up to five words before it.
    digits = [d for d, (_, _, w) in enumerate(words) if any(c.isdigit() for c in w)]
    if not digits:
        return []
    candidates = sorted({k for d in digits for k in range(max(0, d - 1), min(len(words), d + 6))})
    towns, streets = _known()
    out: list[tuple[int, int]] = []
    done = -1
    for k in candidates:
        if k <= done:
            continue
        end = _lower_anchor(text, words, k, towns)
        first = None if end is None else _reach_back(words, k, streets)
        if end is not None and first is not None:
            out.append((words[first][0], words[end][1]))
            done = end
    return out


def _lower_anchor(text: str, words: list[tuple[int, int, str]], k: int, towns: frozenset[str]) -> int | None:
    """The index of the last word of an address whose code or town is at word `k`, or None."""
    s, w = words[k][0], words[k][2]
    if w not in towns and not any(c.isdigit() for c in w):
        return None  # every anchor is a code or a town: the common case, cheaply
    nxt = words[k + 1][2] if k + 1 < len(words) else ""
    # A postcode ("cf83 1jb", "v5h 2a1") after a town.
    if _LOWER_CODE.match(text, s) and k > 0 and words[k - 1][2].isalpha():
        code = _LOWER_CODE.match(text, s)
        assert code is not None
        last = k
        while last + 1 < len(words) and words[last + 1][0] < code.end():
            last += 1
        return last if k >= 2 else None
    # A continental code and its town ("80-827 gdańsk", "4000-447 porto", "1062 budapest").
    coded = re.fullmatch(_CODE, w) is not None and not _YEAR.match(w) and nxt.isalpha()
    if coded and (fold_text(nxt) in towns or ("-" in w and nxt not in _LOWER_STOP and len(nxt) > 2)):
        return k + 1
    sure = w in _sure_towns()
    # A town and its code after it ("bangkok 10110", "auckland 1011").
    if sure and re.fullmatch(r"\d{4,6}", nxt) and not _YEAR.match(nxt):
        return k + 1
    # A town a few words after a house number ("3-14-2 shibuya tokyo", "14 sráid an mhuilinn ennis county
    # clare"): only a town that is no everyday word, and never a count of things ("2 kids london").
    if sure and k >= 2:
        numbers = [j for j in range(max(0, k - 5), k - 1) if words[j][2][0].isdigit()]
        # Or the number right before the town after a typed street ("kifisias avenue 118 athens").
        if words[k - 1][2].isdigit() and fold_text(words[k - 2][2]) in _known()[1] | _FOREIGN_TYPES:
            return k
        between = {w for _, _, w in words[numbers[-1] + 1 : k]} if numbers else set()
        # Not digits said as words ("m14 5rg mike one four five romeo": a spelled postcode, not a street).
        if numbers and not words[numbers[-1] + 1][2].endswith("s") and not between & _SAID_DIGITS:
            if k + 2 < len(words) and words[k + 1][2] == "county":
                return k + 2
            return k
    return None


def _reach_back(words: list[tuple[int, int, str]], k: int, streets: frozenset[str]) -> int | None:
    """From the anchor at `k`, back over the address's words to the first of it (None: no address)."""
    first = None
    seen_house = False
    i = k - 1
    lowest = max(-1, k - _MAX_BACK - 1)
    while i > lowest:
        w = words[i][2]
        if w in _LOWER_STOP:
            break
        if w in _NOT_STREET:
            return None
        if "/" in w:
            break  # a date ("06/30/1929")
        if w[0].isdigit() or _LOWER_UNIT.match(w):
            first = i
            seen_house = True
        elif w in _BUILDING or w in streets:
            seen_house = True
        i -= 1
    if first is None and seen_house and i < k - 2:
        first = i + 1  # "at willowbank cottage lower slaughter ...": from after the cue
    # The street's name before its number: "rua das flores 45", "kifisias avenue 118 athens".
    typed = [j for j in range(i + 1, first if first is not None else i + 1) if fold_text(words[j][2]) in _FIRST_TYPES]
    named = [j for j in range(i + 1, first if first is not None else i + 1) if words[j][2] in streets]
    if typed:
        first = typed[0]
    elif named:
        first = max(i + 1, named[0] - 1)
    # A street or a house has a name: a word between the first and the anchor that is no number or unit.
    if first is None or not any(words[j][2].isalpha() and not _LOWER_UNIT.match(words[j][2]) for j in range(first, k)):
        return None
    return first
