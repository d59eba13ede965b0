"""Towns from a large gazetteer (core/redaction/data/towns.txt, GeoNames), after a locative cue or before a state.

It owns the lookup of the ~40,000 towns that `places.txt` (the well-known cities, matched by regex) does not
list. A regex alternation that long would cost the detector's load time, so a cue regex finds where a place
may start and the next one to four words are looked up, longest first, in a set. It must never take a town
that is also an everyday word in lowercase text: the gazetteer's recipe puts those under @ambiguous (taken
only capitalised, in cased text) or leaves them out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from core.redaction.fast_patterns import guarded
from core.redaction.firms import firm_spans
from core.redaction.recognizers import (
    _STATE_NAMES,
    _STATES,
    AMBIGUOUS_NAMES,
    MONTH_WORDS,
    _is_cased,
    _org_follows,
    _suffix_alternation,
    fold_text,
    load_name_words,
    load_names,
    load_places,
    load_street_suffixes,
    org_word_follows,
)
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

#: Cues after which a town is a location. "to", "at" and "of" are left to the hand-made list: before an
#: obscure town they as often precede a person or a thing ("talk to Marion", "a box of Tide").
_CUE = re.compile(
    r"\b(?<!['’-])(?:(?P<home>(?:lives?|living|lived|resides?|residing|born|raised|grew\s+up|settled)\s+"
    r"(?:(?!(?:in|outside|near|from|past|around|on|at)\b)[\w'’]+\s+){0,6}?in|(?:city|town|village|hometown)"
    # (round 8) "lists your address as Cairns", "address: Edina".
    r"(?:\s+of)?,?|address(?:\s+(?:is|as|was))?:?|"
    # (round 14) A numbered road in a town is an address's street and its town, the town a word or a name too
    # ("lives on route 9 in hadley", "the farm off county road 12 outside marion", "mile 40 of highway 3 near
    # bliss").
    r"(?<![\w'’-])(?:(?:state|county|farm|rural|us|u\.s\.|old)\s+)?(?:route|rte|highway|hwy|road|rd)\s*"
    r"\d{1,4}[a-z]?\s+(?:in|outside(?:\s+of)?|near)|"
    # (round 14) A visitor comes from a place, never from a person: "she's visiting from croydon", "over on
    # holiday from hadley", town a name too.
    r"visiting\s+from|(?:over\s+|here\s+)?on\s+(?:holiday|vacation)\s+from|"
    # Someone is in a place ("i'm in marietta"), comes from one ("she came from cluj"), and a building or a
    # street is in a town ("the mill in lowell", "saint anne's in gallup", "old mill road in york").
    # (A cheap look ahead for "in" or "from" a word or two on first: these alternatives are tried at every word.)
    r"(?=[\w'’.]+(?:\s+[\w'’]+)?\s+(?:in|from)\s)"
    r"(?:(?:i['’]m|i\s+am|we['’]re|we\s+are|they['’]re|they\s+are|stay(?:s|ed|ing)?|work(?:s|ed|ing)?)\s+in|"
    r"(?:came|comes|come|coming|originally|emigrated|immigrated|fled|hails?|hailed)\s+from|"
    r"(?:mill|church|parish|cathedral|chapel|temple|mosque|synagogue|plant|factory|school|college|university|"
    r"hospital|clinic|jail|prison|courthouse|cemetery|farm|camp|store|shop|office|warehouse|"
    # (round 12) More places a town holds, some said in the plural ("gas stations in gary", "the courts
    # in cork", "the yard in irving", "lost property in croydon").
    r"(?:station|court|yard|depot|branch|hotel|motel|restaurant|diner|bakery|pub|bar|market|mall|garage|"
    r"house|flat|apartment|condo|home|museum|library|stadium|precinct|herder|farmer|customer|resident|"
    r"relative|cousin|plant|factorie|propert(?:y|ie))s?|"
    r"(?:saint|st\.?)\s+[a-z]+['’]s|"
    r"street|road|avenue|highway|drive|lane|boulevard)\s+in))"
    # (round 12) A move is a residence cue ("moved us to peckham"): a town that is also a name or a word is
    # taken after it in lowercase too.
    r"|(?P<moved>(?:moved|moving|moves|relocated|relocating|emigrated|immigrated)\s+"
    r"(?:(?:us|them|him|her|me|the\s+family|everyone)\s+)?(?:(?:back|out|down|up|away)\s+)?(?:over\s+)?to)|"
    r"in|from|near|outside(?:\s+of)?|around|visiting|past|left(?:\s+for)?|leaving(?:\s+for)?|through|via|"
    # (round 12) "fled Lhasa", "the exit for Tysons", "signs for Leeds", "residents of Marlow".
    r"fled|(?:exit|exits|turn-?off|junction|signs?|signposted)\s+(?:for|to)|"
    # An address traced to a town ("the login geolocates to tallinn", "the call was traced to Leeds").
    r"(?:geolocat(?:es|ed|ing)|trac(?:es|ed)(?:\s+back)?|resolves|resolved)\s+to|"
    r"(?:residents?|natives?|townspeople|mayor)\s+of|"
    # Travel: "flew to Tulsa", "drove back to Keokuk". Not a bare "to" ("talk to Marion").
    r"(?:flew|flying|drove|driving|went|going|headed|heading|returned|back|trip|travell?ed|"
    # (round 8) "we came to el cajon", "flying out of Leeds", "she left for Fresno".
    # (round 14) A visit, had or not: "never been to Cherry Hill", "she's gone back to Hadley".
    r"came|comes|transferred|been|gone)\s+(?:(?:us|them|him|her|me)\s+)?(?:back\s+)?to|"
    # (round 17) Home is a place: "came home to Rotorua", "he's due to go home to otahuhu", "sent back home to Leeds".
    r"(?:go|goes|going|gone|went|came|come|comes|coming|got|get|getting|sent|flew|drove|moved|back)\s+"
    r"(?:back\s+)?home\s+to|"
    # (round 12) Out of a town and through one: a town that is a name or a word too is one there
    # ("flying out of manchester", "rebooked us through Charlotte"); not "went through Marion's desk".
    r"(?P<out>(?:flew|flying|fly|flies|drove|driving|shipped|shipping|operat(?:es|ed|ing))\s+out\s+of|"
    r"(?:(?:re)?book(?:ed|ing)?|rout(?:ed|ing)|connect(?:s|ed|ing)?|flew|flying|fly|flies|drove|driving|"
    r"passed|passing|travell?(?:ed|ing))\s+(?:(?:us|them|him|her|me)\s+)?(?:through|via))|"
    r"(?:bound|departed|departing)\s+for)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
#: Round 17 (speed): `_CUE` tried only where one of the letters its matches start with is (`guarded`): the same
#: matches, in two thirds of the time.
_CUE_SCAN = guarded(_CUE)
# (round 15) Displacement and crossing: people flee to, are deported or evacuated to, interned at and cross a
# border at a place, never at a person ("fled to Dadaab", "interned at Manzanar", "crossed at Del Rio", "the
# family was evacuated to biloxi", "entered the country at nogales"); and kin, named or not, are in a town ("my
# cousin fadumo in columbus", "her son in fremont"). Residence cues: a town that is also a name or a word is
# taken in lowercase too. Apart from `_CUE`, which every word of a transcript is tried against.
_DISPLACED_CUE = re.compile(
    r"(?<![\w'’-])(?=[fedrbistcpmhoy])(?:(?:fled|flee|fleeing|escaped|deported|evacuated|resettled|repatriated|exiled|interned|"
    r"banished|smuggled|trafficked)\s+(?:(?:us|them|him|her|me)\s+)?(?:back\s+)?(?:to|at|in|into)|"
    r"(?:crossed|crossing|crosses|cross)(?:\s+(?:over|the\s+(?:border|river|bridge|line)))?\s+(?:at|into|near)|"
    r"(?:entered|entering|entry)\s+(?:the\s+(?:u\.?s\.?|us|country|states)\s+)?(?:at|through|via)|"
    r"ports?\s+of\s+entry\s+(?:at|in)|"
    r"(?:my|his|her|our|their|your)\s+(?:cousins?|sisters?|brothers?|aunts?|uncles?|sons?|daughters?|nieces?|"
    r"nephews?|mother|father|mom|mum|dad|parents|grand(?:mother|father|ma|pa|parents|kids|children|son|daughter)s?|"
    r"family|relatives|in-laws|folks)(?:\s+(?!(?:in|is|was|who|and|lives?|lived)\b)[\w'’-]+){0,2}?\s+in)"
    r"\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
# (round 15) One comes, flies, drives or returns to a place ("came to columbus in 2006"): in lowercase a town
# that is also a word or a name is taken after it too, unless it is a person's name as well ("came to jackson
# for advice"); `PlaceRecognizer` takes the same in cased text (round 14). Not "went to" or "been to".
_ARRIVED = re.compile(r"(?:came|comes|flew|drove|returned)\s", re.IGNORECASE)
# A town naming a place in it: "the Secaucus warehouse", "the Kensington neighborhood". Not hospitals and
# clinics: many institutions are named after their city ("the Cleveland Clinic protocol").
# (round 16) After a possessive too: "based in our Hull office", "their Leeds depot".
_THE_TOWN_PLACE = re.compile(
    r"\b(?:the|our|your|their|his|her|my)\s+(?P<v>[^\W\d_]+(?:[ -][^\W\d_]+){0,2}?)\s+"
    r"(?P<noun>warehouse|station|plant|office|branch|store|campus|location|facility|depot|factory|mall|airport|terminal|library|neighbou?rhood|"
    r"area|district|side|precinct|courthouse|jail|post office)s?\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A place name joined by a hyphenated link ("Stow-on-the-Wold", "Newcastle-upon-Tyne", "Châlons-en-Champagne"):
# a form only places take, so after a cue the whole compound is the town, listed or not.
# (round 15) And the links of other languages: French "au", "aux", "de", "du", "des" ("Port-au-Prince",
# "Saint-Germain-des-Prés"), Persian "i" and "e" ("Mazar-i-Sharif"), Arabic "el" and "al" ("Sharm-el-Sheikh"),
# Spanish, Italian and Portuguese "del", "di", "da", "do", "dos".
# A French saint's place is hyphenated too ("Saint-Denis", "Sainte-Foy", "St-Jean-sur-Richelieu").
_HYPHEN_PLACE = re.compile(
    r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})?-(?:on|upon|under|by|in|le|la|les|sur|sous|en|am|an|im|cum|over|super|"
    r"au|aux|de|du|des|i|e|el|al|del|di|da|do|dos)-(?:the-)?[^\W\d_]{2,}(?:-[^\W\d_]{2,})?(?![\w'’-])|"
    r"(?:saint|sainte|st|ste)-[^\W\d_]{2,}(?:-[^\W\d_]{2,}){0,3}(?![\w'’-])",
    re.IGNORECASE,
)
# One town after another: "from Dayton to Springfield", "from Pune to Edison".
# (round 12) A question about where someone lives, grew up or comes from, then its answer: the first words of
# the answer (after a speaker's label, "a:", a filler) are the town ("Where did you grow up? Respondent: Tikrit,
# then Baghdad"; in lowercase without the question mark).
_WHERE_ASKED = re.compile(
    r"\bwhere\s+(?:did|do|does|were|was|are|is|have)\s+(?:you|he|she|they|your\s+[a-z]+|his\s+[a-z]+|her\s+[a-z]+)"
    r"\s+(?:(?:originally|first|all|both|ever)\s+)?(?:live|lived|living|grow\s+up|grew\s+up|born|raised|from|come\s+from|"
    r"stay|staying|move|moved|settle|settled)\b(?:\s+(?:now|then|before|originally|as\s+a\s+(?:kid|child)))?\s*\??"
    r"(?:\s*(?:[a-z]+(?:\s+[a-z]+)?:|\b(?:a|answer|respondent|witness|interviewee)\b)?[\s,]*(?:(?:uh|um|er|well|oh)[\s,]+)*)",
    re.IGNORECASE,
)
_NEXT_TOWN = re.compile(r",?\s+(?:to|then(?:\s+to)?|and\s+then(?:\s+to)?)\s+(?=[^\W\d_])", re.IGNORECASE)
_FILLERS = re.compile(r"(?:,\s*)?(?:(?:uh|um|er|erm|like|you\s+know)(?:,\s*|\s+))+", re.IGNORECASE)
# (round 12) A town listed after one found: "residents of Boyle Heights and Lincoln Heights".
_AND_TOWN = re.compile(r",?\s+(?:and|or|&)\s+(?:(?:in|from|to)\s+)?(?=[^\W\d_])", re.IGNORECASE)
_GAP = re.compile(r"[ -]")
# A town set off by a comma or not, then a state: "Holland, Michigan", "Bethel, AK 99559".
# Found from the state (a word that seldom occurs) backwards, not from every space; the names as a trie, on
# the lowercased text (an alternation under IGNORECASE cost more than the rest of the recognizer).
_ZIP_TAIL = r"\b(?:,?\s+\d{5}(?:-\d{4})?)?(?![\w'’-])"
# (round 16) Canada's provinces and Australia's states after a town as a US state is ("Kelowna, British
# Columbia", "Wollongong, New South Wales"); not Victoria, a town and a name as often.
_PROVINCES_AND_STATES = (
    "alberta", "british columbia", "manitoba", "new brunswick", "newfoundland", "newfoundland and labrador",
    "nova scotia", "ontario", "prince edward island", "quebec", "saskatchewan", "yukon", "new south wales",
    "queensland", "south australia", "western australia", "tasmania", "northern territory",
)  # fmt: skip
_STATE_NAME_AFTER = re.compile(
    r"\b" + _suffix_alternation(_STATE_NAMES.removeprefix("(?:").removesuffix(")").split("|")) + _ZIP_TAIL
)
# Taken after a listed town only: "Ontario" and "Quebec" are towns too ("Sorry, Ontario the city").
_PROVINCE_AFTER = re.compile(r"\b" + _suffix_alternation(_PROVINCES_AND_STATES) + _ZIP_TAIL)
_STATE_CODE_AFTER = re.compile(r", (" + _STATES + ")" + _ZIP_TAIL)
# In lowercase a state's code only with its zip after it ("flagstaff az 86002"): "in", "me", "or" are words.
_STATE_CODE_ZIP_LOWER = re.compile(r"(?<=\s)(" + _STATES.lower() + r")\s+\d{5}(?:-\d{4})?(?![\w'’-])")
# (round 16) An Australian state's code and its four-digit postcode after a town ("Sydney NSW 2000", "ballarat vic
# 3350"): with the postcode, in either casing.
_AU_STATE_POSTCODE = re.compile(r"(?<=\s)(nsw|vic|qld|tas|act|nt|sa|wa)\s+\d{4}(?![\w'’-])", re.IGNORECASE)
_BEFORE_STATE = re.compile(r"(,?)\s+(?=[^\W\d_]+$)")
_STATE_WORD = re.compile(_STATE_NAMES, re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|from|of|near|to|outside)\s+$", re.IGNORECASE)
_MAX_WORDS = 4
# (round 17) A route's two ends: "from Dadaab to Nairobi", "from Leeds to Ilkley" (cased text, capitalised words).
_ROUTE = re.compile(
    # A journey said just before: "the journey from", "we walked all the way from", "a flight from".
    r"\b(?:journey|trip|drive|drove|driving|walk|walked|walking|hike|hiked|flight|flights|flew|flying|travell?(?:ed|ing)?|"
    r"train|trains|ferry|boat|road|route|sailed|fled|escaped|crossed|trek|trekked|hitchhiked|"
    r"migrated|shipped|evacuated)\s+(?:[a-z]+\s+){0,3}?"
    r"from\s+(?P<a>[A-Z][^\W\d_]{2,}(?:[ -][A-Z][^\W\d_]{2,})?)\s+(?:to|via)\s+"
    r"(?P<b>[A-Z][^\W\d_]{2,}(?:[ -][A-Z][^\W\d_]{2,})?)(?![\w'’-])"
)
#: Days that are no route's end ("from Monday to Friday", "from today to Tomorrow"): `MONTH_WORDS` holds the
#: weekdays, these the rest.
_DAYS = frozenset({"today", "tomorrow"})
# (round 16) A ZIP code said right after a town found from its cue, set off by a comma or a filler: "she lives in
# Foster City, 94404", "Fresno, uh, 93721". The town's, not an identifier's: it ends the same address.
_ZIP_AFTER_TOWN = re.compile(r"(?:,\s*|\s+)(?:(?:uh|um|er|erm),?\s+)?\d{5}(?:-\d{4})?(?![\w'’-]|[.,]\d)", re.IGNORECASE)


def _zip_end(text: str, end: int) -> int:
    """Where a town that ends at `end` ends with the ZIP said after it (`_ZIP_AFTER_TOWN`)."""
    m = _ZIP_AFTER_TOWN.match(text, end)
    return end if m is None else m.end()


_UNIT_BEFORE = re.compile(
    r"\b(?:apt|apartment|unit|suite|ste|flat|level|floor|block|building|tower)\.?\s*#?\s*(?:[a-z0-9-]{1,6},?\s+)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _after_street() -> re.Pattern[str]:
    """A house number, a street and its unit, on the spoken view: the town that follows is the address's
    ("fourteen orchard lane amherst", "650 kearny street apartment 9 san francisco"), even in lowercase
    text with no comma to set it off."""
    street_types, _ = load_street_suffixes()
    return re.compile(
        # (round 12) Not a date's year before a preposition ("on 14/02/2019 at 22 harbour street, leith").
        r"(?<![\w./:-])\d{1,6}[a-z]?\s+(?:(?!(?:at|on|in|to|of|from|and|the)\s)[a-z0-9'’]+\s+){1,3}?"
        + _suffix_alternation(street_types)
        + r"\b\.?(?:\s+(?:north|south|east|west|ne|nw|se|sw))?"
        r"(?:,?\s+(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[a-z0-9-]+)?,?\s+(?=[^\W\d_])",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def load_towns() -> tuple[frozenset[str], frozenset[str]]:
    """(towns, ambiguous towns), lowercased and without diacritics, from core/redaction/data/towns.txt."""
    # The file is the recipe's output (one name a line, lowercased and folded by fold_text already, no comment
    # after the header), so it is split, not parsed line by line: it is read while the detector loads.
    text = resources.files("core.redaction").joinpath("data/towns.txt").read_text(encoding="utf-8")
    body = text.split("\n@place\n", 1)[1]
    places, ambiguous = body.split("\n@ambiguous\n", 1)
    return frozenset(places.split("\n")), frozenset(ambiguous.split("\n")) - {""}


class TownRecognizer:
    """A town of the large gazetteer (or a sure place of places.txt) after a locative, residence or travel cue
    ("lives outside Chinle", "a dance in Moorhead", "flew back to Keokuk"), naming a place in it ("the
    Secaucus warehouse"), and any known town or city before a state ("of Holland, Michigan")."""

    name = "gazetteer:town"
    entities = frozenset({"ADDRESS"})

    def __init__(self) -> None:
        self._towns, self._ambiguous = load_towns()
        places, ambiguous_places, self._regions = load_places()
        self._sure = self._towns | places
        # After a residence cue in lowercase: not the towns that are everyday words ("we live in hope").
        everyday = AMBIGUOUS_NAMES | load_name_words()[1]
        self._ambiguous_all = frozenset(p for p in self._ambiguous | ambiguous_places if p not in everyday)
        given, surnames = load_names()
        self._person_names = given | surnames
        # Set off by a comma ("Mobile, Alabama") even a town that is also a word is one.
        self._any = self._sure | self._ambiguous | ambiguous_places

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        folded = fold_text(text)
        cased = _is_cased(text)
        out: list[Entity] = []
        cues = [(m, m.group("home") is not None or m.group("moved") is not None or m.group("out") is not None,
                 m.group("out") is not None) for m in _CUE_SCAN.finditer(folded)]  # fmt: skip
        cues += [(m, True, False) for m in _DISPLACED_CUE.finditer(folded)]
        for m, home, wide in cues:
            start = m.end()
            filler = _FILLERS.match(folded, start)  # (round 12) "moved to uh leeds", "lives in, um, Selma"
            if filler is not None:
                start = filler.end()
            end = self._town_at(folded, start, cased=cased, home=home, wide=wide)
            if end is None and not cased and not home and _ARRIVED.match(m.group()) is not None:
                end = self._town_at(folded, start, cased=cased, home=True, wide=wide)
                if end is not None and folded[start:end].lower() in self._person_names:
                    end = None  # "he came to jackson for advice": a person as often
            route = m.group().lower().startswith("from")
            while end is not None:
                end = _zip_end(folded, end)
                out.append(Entity("ADDRESS", start, end, 0.7, self.name))
                after = (_NEXT_TOWN if route else _AND_TOWN).match(folded, end)
                if after is None:
                    break
                start = after.end()
                # (round 12) A town named after another one on a route or in a list is a place too, if it
                # is also a word or a name ("from dayton to springfield to xenia").
                end = self._town_at(folded, start, cased=cased, home=True, wide=True)
        for m in _after_street().finditer(view.text):
            end = self._longest(folded, view.span(m.end(), m.end() + 1)[0], cased=cased, home=True)
            if end is not None:  # the street, a unit before it, and its town as one address
                unit = _UNIT_BEFORE.search(view.text, max(0, m.start() - 24), m.start())
                first = unit.start() if unit is not None else m.start()
                out.append(Entity("ADDRESS", view.span(first, first + 1)[0], end, 0.7, self.name))
        for m in _WHERE_ASKED.finditer(folded):
            start = m.end()
            end = self._town_at(folded, start, cased=cased, home=True, wide=True)
            while end is not None:  # "Tikrit, then Baghdad"
                end = _zip_end(folded, end)
                out.append(Entity("ADDRESS", start, end, 0.7, self.name))
                after = _NEXT_TOWN.match(folded, end)
                if after is None:
                    break
                start = after.end()
                end = self._town_at(folded, start, cased=cased, home=True, wide=True)
        for m in _THE_TOWN_PLACE.finditer(folded):
            start, end = m.span("v")
            # In cased text the town capitalised and the noun not: "the Springfield Plant" is a company's name.
            capitals = folded[start].isupper() and folded[m.start("noun")].islower()
            known = self._known_prefix(folded, start, end, cased=cased) if not cased or capitals else None
            if known is not None:  # "the Keokuk bus station": the town, then what the noun is
                out.append(Entity("ADDRESS", start, known, 0.7, self.name))
        lowered = folded.lower()
        # A two-letter code ("ID", "OR", "IN") is a word as often: only after a listed town.
        states = [(m.start(1), m.end(), True) for m in _STATE_CODE_AFTER.finditer(folded)]
        if not cased:
            states += [(m.start(1), m.end(), True) for m in _STATE_CODE_ZIP_LOWER.finditer(folded)]
        states += [(m.start(1), m.end(), True) for m in _AU_STATE_POSTCODE.finditer(folded)]
        if len(lowered) == len(folded):  # else (a rare character that lowercases to two) codes alone
            states += [(*m.span(), False) for m in _STATE_NAME_AFTER.finditer(lowered)]
            states += [(*m.span(), True) for m in _PROVINCE_AFTER.finditer(lowered)]
        named: list[tuple[int, int]] = []  # the town's own words in a town-and-state find
        for state_start, state_end, code in states:
            gap = _BEFORE_STATE.search(folded, max(0, state_start - 4), state_start + 2)
            if gap is None:
                continue
            town = self._town_before(folded, gap.start(), cased=cased, comma=gap.group(1) == ",", listed=code)
            if town is not None:
                # Above a cue-word name: "from Conway Arkansas" is no person.
                out.append(Entity("ADDRESS", town, state_end, 0.85, self.name))
                named.append((town, gap.start()))
        if cased:
            out += self._other_end(folded, out)
        return out + self._said_again(folded, named + [(e.start, e.end) for e in out], cased=cased)

    def _other_end(self, text: str, found: list[Entity]) -> list[Entity]:
        """(round 17) The other end of a route whose one end is a listed town or place ("the journey from Dadaab to
        Nairobi", "from Leeds to Ilkley"), in cased text: a capitalised word or two that no list holds is a place
        there, unless it is a person's name, a month or a day."""
        out: list[Entity] = []
        for m in _ROUTE.finditer(text):
            ends = [m.span("a"), m.span("b")]
            known = [fold_text(text[s:e]).lower() in self._any for s, e in ends]
            if known[0] == known[1]:
                continue  # both found by the lists already, or neither is known to be a place
            s, e = ends[1] if known[0] else ends[0]
            said = text[s:e].replace("-", " ").split()
            words = [w.lower() for w in said]
            if any(w in self._person_names or w in MONTH_WORDS or w in _DAYS for w in words):
                continue
            if not all(w[1:].islower() for w in said) or firm_spans(text[s:e]):
                continue  # an acronym or a firm ("from NHS Digital to Leeds", "from Google to Leeds")
            if not any(s < f.end and f.start < e for f in found):
                out.append(Entity("ADDRESS", s, e, 0.7, self.name))
        return out

    def _said_again(self, text: str, found: list[tuple[int, int]], *, cased: bool) -> list[Entity]:
        """A town found once is the same town where it is said again in the text ("Is that Asheville? Yes,
        Asheville, North Carolina"): capitalised as found in cased text; in lowercase only a town that is no
        word or name."""
        if not found:
            return []
        # The characters already taken, as a mask: an hour's transcript says its towns again hundreds of times, and
        # checking each mention against every span taken so far grew with the square of them.
        taken = bytearray(len(text))
        for s, e in found:
            taken[s:e] = b"\x01" * (e - s)
        phrases = {text[s:e] if cased else text[s:e].lower() for s, e in found}
        wanted = sorted(
            (p for p in phrases if p[:1].isalpha() and (cased or p in self._sure) and p.lower() in self._any),
            key=lambda p: (-len(p), p),
        )
        if not wanted:
            return []
        # One scan for every town, the longest first where two start at the same place.
        said = re.compile(
            r"(?<![\w'’-])(?:" + "|".join(map(re.escape, wanted)) + r")(?![\w'’-])", 0 if cased else re.IGNORECASE
        )
        again: list[Entity] = []
        for m in said.finditer(text):
            if taken.find(1, m.start(), m.end()) < 0:
                again.append(Entity("ADDRESS", m.start(), m.end(), 0.65, self.name))
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        return again

    def _town_at(self, text: str, start: int, *, cased: bool, home: bool, wide: bool = False) -> int | None:
        """Where the town after a cue ends: a hyphenated place name whole, else the longest listed one."""
        found = _HYPHEN_PLACE.match(text, start)
        if found is not None and (not cased or text[start].isupper()):
            return found.end()
        return self._longest(text, start, cased=cased, home=home, wide=wide)

    def _known_prefix(self, text: str, start: int, end: int, *, cased: bool) -> int | None:
        """The end of the longest listed town that starts at `start` and ends by `end`."""
        for phrase, stop in reversed(self._words(text, start)):
            if stop <= end and (phrase in self._sure or (cased and phrase in self._ambiguous)):
                return None if phrase in self._regions else stop
        return None

    def _words(self, text: str, pos: int) -> list[tuple[str, int]]:
        """Up to four words from `pos`: (the words so far, lowercased and joined by spaces, their end)."""
        out: list[tuple[str, int]] = []
        parts: list[str] = []
        while len(parts) < _MAX_WORDS:
            w = _WORD.match(text, pos)
            if w is None:
                break
            parts.append(w.group().lower())
            out.append((" ".join(parts), w.end()))
            if not _GAP.match(text, w.end()):
                break
            pos = w.end() + 1
        return out

    def _longest(self, text: str, start: int, *, cased: bool, home: bool, wide: bool = False) -> int | None:
        """Where the town from `start` ends. After a residence cue ("lives with her niece in lowell") a town
        that is also a name or a word is taken in lowercase too: people live in places, not in people."""
        if cased and not text[start : start + 1].isupper():  # nothing after the cue: the transcript ends with it
            return None
        for phrase, end in reversed(self._words(text, start)):
            first = phrase.split()[0]
            if first in MONTH_WORDS or phrase in self._regions:
                return None
            # `wide`: capitalised, any listed place, a well-known city that is also a name ("Victoria") too.
            ambiguous = (cased and phrase in (self._any if wide else self._ambiguous)) or (
                home and phrase in self._ambiguous_all
            )
            if phrase in self._sure or ambiguous:
                if cased and (_org_follows(text, end) or not text[end - 1].isalpha()):
                    return None
                if org_word_follows(text, end):  # (round 12) "from riverside vet", "sunnyside care home"
                    return None
                if cased and any(not p[:1].isupper() for p in text[start:end].replace("-", " ").split()[1:]):
                    continue  # "in Hillcrest area" is taken as "Hillcrest"; a lowercase second word ends it
                return end
        return None

    def _town_before(self, text: str, end: int, *, cased: bool, comma: bool, listed: bool) -> int | None:
        """Where the town that ends at `end` (before a state) starts, its longest reading of one to four words.

        A country's name is a town there ("Holland, Michigan", "from peru indiana"); in cased text a capitalised
        word set off by a comma before a state is taken even when no list has it."""
        base = max(0, end - 60)
        words = list(_WORD.finditer(text, base, end))
        best = None
        stop = end
        for n in range(1, min(_MAX_WORDS, len(words)) + 1):
            w = words[-n]
            gap = text[w.end() : stop]
            if gap.strip(" -") if n > 1 else gap not in ("", ","):
                break  # not one phrase ending right before the state
            if (w.start() > 0 and text[w.start() - 1].isalnum()) or (cased and not w.group()[:1].isupper()):
                break
            stop = w.start()
            phrase = " ".join(x.group().lower() for x in words[-n:])
            if phrase in MONTH_WORDS or _STATE_WORD.fullmatch(phrase):
                break
            # (round 12) After a locative cue a town that is also a name or a word, lowercase and without a
            # comma: "lives out in fremont california".
            cued = (
                not comma
                and (phrase in self._ambiguous_all or (cased and phrase in self._any))
                and _LOCATIVE_BEFORE.search(text, base, w.start())
            )
            known = phrase in (self._any if comma else self._sure) or bool(cued)
            country = phrase in self._regions and (comma or _LOCATIVE_BEFORE.search(text, base, w.start()))
            unlisted = cased and comma and n == 1 and not listed and w.group()[1:].islower()
            if known or country or unlisted:
                best = w.start()
        return best


# (round 15) After a person's name, and the age said after it, "in", "from" or "of" a town: "beneficiary aoife
# gallagher in manchester", "raymond ashworth from wigan", "agnes pritchard ninety six of bath". A person is in,
# from or of a place; a town that is also a name or a word is taken in lowercase too.
_NUMBER_WORD = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_AFTER_NAME = re.compile(
    r"(?:,?\s+(?:aged\s+)?(?:\d{1,3}|" + _NUMBER_WORD + r"|(?:a|one)\s+hundred(?:\s+and\s+[a-z]+)?)(?=[\s,]),?)?"
    r",?\s+(?:(?:who\s+)?(?:lives|lived|living)\s+)?(?:in|from|of|out\s+of)\s+",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _towns() -> TownRecognizer:
    return TownRecognizer()


def town_after_name(text: str, end: int) -> tuple[int, int] | None:
    """The span of a listed town said after a person's name that ends at `end` (`core.redaction.after_names`)."""
    m = _AFTER_NAME.match(text, end)
    if m is None:
        return None
    folded = fold_text(text)
    cased = _is_cased(text)
    stop = _towns()._town_at(folded, m.end(), cased=cased, home=True, wide=True)
    if stop is None or (not cased and folded[m.end() : stop].lower() in _EVERYDAY_TOWNS):
        return None
    return m.end(), stop


# Towns that are everyday words a name is as often "in" or "from" in lowercase ("jo in reading", "sam from mobile").
_EVERYDAY_TOWNS = frozenset({
    "reading", "mobile", "nice", "orange", "ware", "bury", "rye", "eden", "deal", "sale", "split", "bend", "normal",
    "surprise", "hope", "independence", "mesa", "union", "liberty", "unity", "victory", "commerce", "industry",
    "progress", "harmony", "paradise", "comfort", "welcome", "march",
})  # fmt: skip
