"""How a detector's finds become one set of spans: overlaps resolved, the trained tagger's names giving way.

Shared by the rule detector (`core.redaction.detect.RuleDetector`) and the same rules inside Presidio
(`core.redaction.presidio_detector.PresidioDetector`), so both resolve alike.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from itertools import accumulate

from core.redaction.address_tagger import ADDRESS_TAGGER
from core.redaction.after_names import after_names
from core.redaction.age_named import names_clear_of_ages
from core.redaction.bank_members import bank_members
from core.redaction.card_tail import split_card_tails
from core.redaction.cue_nearest import prefer_nearest_cue
from core.redaction.echoes import echoes
from core.redaction.expiry import pairs_over_tagger
from core.redaction.firms import firm_spans, not_a_person
from core.redaction.id_tagger import ID_TAGGER, ID_TYPES
from core.redaction.name_tagger import TAGGER, only_particles
from core.redaction.not_ids import not_identifiers
from core.redaction.restated import restated
from core.redaction.spoken import DIGIT_WORDS, NATO
from core.redaction.types import Entity


def combine(found: Iterable[Entity], text: str | None = None) -> list[Entity]:
    """The trained tagger's names give way to any other type's find they overlap (an address's street, an
    e-mail's user name), and the identifier tagger's finds to any rule's find of a type it does not tag; names
    that overlap each other become their union (round 8: "Ho Quang" and "Quang Minh" are one name); then
    `resolve_overlaps`. Given the `text`, an address find that starts inside a date is cut to start after it
    (`_years_not_house_numbers`), two names with only particles between
    them, or a space alone (unless one is a spelling), become one ("Ines" de la "Fuente", "Chae" "Ji-hun":
    found by the tagger and the rules in halves), and a name inside a firm or a brand is dropped ("Goldman
    Sachs", "Venmo", "SmartTrack": `core.redaction.firms`). Then address parts
    said in a row become one (`join_address_pieces`). The address tagger's finds (round 10) give way to the
    rules' finds of other types but names, are cut clear of the names at their edges, and become one with the
    addresses they overlap; of address finds that overlap, the longest takes a unit said before it or a state and
    postcode said after it that another holds (round 16, `_unit_and_tail`). A name made only of spelling-alphabet
    words in a chain that runs into a digit is a code's letters and is dropped first (round 16, `_codes_not_names`).
    Last (round 12), values restated beside a find take its type (`core.redaction.restated`), and an age, a date or
    (round 15) a town right after a name is that person's (`core.redaction.after_names`)."""
    # Two identifier types on the same digits: the nearest cue names them (round 12, `cue_nearest`).
    # Round 18: an age, a dose, an amount or a bed's number is no identifier's value, whatever cue reached it
    # (`not_ids`).
    # Round 20: an expiry-and-code answer stands against the identifier tagger's one long number (`expiry`).
    found = (
        list(found)
        if text is None
        else prefer_nearest_cue(
            not_identifiers(_years_not_house_numbers(pairs_over_tagger(list(found), ID_TAGGER), text), text), text
        )
    )
    # Round 14: a card number read on into its expiry and code is three finds; a credit union's member number
    # is an account number; a name found running on into the age after it ends before the age.
    if text is not None:
        found = names_clear_of_ages(bank_members(split_card_tails(_codes_not_names(found, text), text), text), text)
    # The identifier tagger's finds give way to the rules' finds of other types (a date, a phone number, an
    # address: tuned over seven rounds); against the rules' identifiers the longest span wins, as between rules.
    taggers = (TAGGER, ID_TAGGER, ADDRESS_TAGGER)
    rules = [(e.start, e.end) for e in found if e.detector not in taggers and e.type not in ID_TYPES]
    # A name inside a street's name ("Lincoln" of "1420 Lincoln Street") does not stop the address tagger; names at
    # its edges are cut off it (`_clear_of_names`), and a rule's find of another type stops it.
    typed = [(e.start, e.end) for e in found if e.detector not in taggers and e.type not in ("NAME", "ADDRESS")]
    names = [(e.start, e.end) for e in found if e.type == "NAME"]
    # The name tagger's names give way to other types' finds, but not to the address tagger's: against those
    # the longest wins.
    others = [(e.start, e.end) for e in found if e.type != "NAME" and e.detector != ADDRESS_TAGGER]
    by_others, by_rules, by_typed = overlapped(others), overlapped(rules), overlapped(typed)
    candidates = _unions(
        _unions(
            [
                e
                for e in _clear_of_names(found, names, text)
                if not (e.detector == TAGGER and by_others(e.start, e.end))
                and not (e.detector == ID_TAGGER and by_rules(e.start, e.end))
                and not (e.detector == ADDRESS_TAGGER and by_typed(e.start, e.end))
            ],
            "NAME",
        ),
        "ADDRESS",
        only_with=ADDRESS_TAGGER,
    )
    kept = resolve_overlaps(_unit_and_tail(candidates, text))
    if text is None:
        return kept
    # Round 12: a value corrected or offered as the alternative beside a find takes its type (`restated`), and
    # an age said right after a found name is that person's (`ages_beside_names`).
    # Round 20: and a value said again later in the recording takes the type of the find it repeats (`echoes`).
    return after_names(echoes(restated(join_address_pieces(text, _join_names(kept, text)), text), text), text)


def overlapped(spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Round 17 (speed): a test of whether [start, end) overlaps any of `spans` ([s, t) with s < end and start < t),
    by a search in the spans sorted by start, not a pass over all of them for each find (a whole transcript has
    hundreds of each)."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((t for _, t in ordered), max))  # the furthest end among the spans up to each

    def test(start: int, end: int) -> bool:
        k = bisect.bisect_left(starts, end)  # the spans before k start before `end`
        return k > 0 and reach[k - 1] > start

    return test


#: Round 16: one word of a chain read in the spelling alphabet ("Romeo, Tango", "hotel", "B"), or the digit it runs to.
_CHAIN_WORD = re.compile(r"[\s,]*([^\W_]+)")
_CHAIN_BEFORE = re.compile(r"[^\W_]+")


def _codes_not_names(found: list[Entity], text: str) -> list[Entity]:
    """Round 16: a name made of spelling-alphabet words only ("Romeo", "Charlie Delta Foxtrot") in a chain of such
    words and letters, two or more, that runs on into a digit ("H as in hotel, Romeo, Tango, two, nine", "Charlie
    Delta Foxtrot four four eight") is a plate's or a code's letters, no person; one such word before a number is a
    person's ("Victor, two weeks ago"), and a chain with no digit may spell a name ("Whiskey, Romeo, Oscar, ...")."""
    return [e for e in found if e.type != "NAME" or not _in_a_code(text, e)]


def _in_a_code(text: str, e: Entity) -> bool:
    said = text[e.start : e.end].lower().split()
    if not said or not all(w in NATO for w in said):
        return False
    letters, at = len(said), e.end
    for m in reversed(_CHAIN_BEFORE.findall(text, max(0, e.start - 60), e.start)):
        if m.lower() not in NATO and len(m) != 1:
            break
        letters += 1  # the chain's letters before it ("hotel, Romeo, Tango")
    while (m := _CHAIN_WORD.match(text, at)) is not None:
        word = m.group(1).lower()
        if word.isdigit() or word in DIGIT_WORDS:
            return letters >= 2
        if word not in NATO and len(word) != 1:
            return False
        letters, at = letters + 1, m.end()
    return False


# (round 16) What one address find may add to the longest one it overlaps: a unit, a floor, a block or a box said
# before it ("Level 12, " of "Level 12, 400 George Street"), or a state and a ZIP or postcode after it (", NY 10025").
_UNIT_LEAD = re.compile(
    r"(?:apt|apartment|unit|suite|ste|flat|level|floor|block|building|bldg|tower|p\.?\s?o\.?\s*box|"
    r"post\s+office\s+box|hc|rr)\.?\s*#?\s*(?:[a-z0-9-]{1,6})?[,\s]*",
    re.IGNORECASE,
)
_REGION_TAIL = re.compile(
    r"[,\s]*(?:(?:[a-z]{2,3}\.?|[a-z]+(?:\s[a-z]+)?)[,\s]+)?(?:\d{5}(?:-\d{4})?|\d{4}|"
    r"[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d)",
    re.IGNORECASE,
)


def _unit_and_tail(found: list[Entity], text: str | None) -> list[Entity]:
    """Of address finds that overlap, the longest takes the unit said before it or the state and postcode said
    after it that another of them holds (round 16: "Apartment 7C, 81 Linden Boulevard, Brooklyn" and "81 Linden
    Boulevard, Brooklyn, NY 11226" are one address). Nothing else is joined: a house number read into a ZIP, a
    year or an age ("Nevada 89501 because there's no street") stays out, as `resolve_overlaps` leaves it."""
    if text is None:
        return found
    spans = sorted((e for e in found if e.type == "ADDRESS"), key=lambda e: (e.start, -e.end))
    if len(spans) < 2:
        return found
    out = [e for e in found if e.type != "ADDRESS"]
    groups: list[list[Entity]] = []
    end = -1
    for e in spans:
        if groups and e.start < end:
            groups[-1].append(e)
            end = max(end, e.end)
        else:
            groups.append([e])
            end = e.end
    for group in groups:
        longest = max(group, key=lambda e: (e.end - e.start, e.score))
        start, stop = longest.start, longest.end
        for e in group:
            if e.start < start and _UNIT_LEAD.fullmatch(text, e.start, start):
                start = e.start
            if e.end > stop and _REGION_TAIL.fullmatch(text, stop, e.end):
                stop = e.end
        out.extend(group)
        if (start, stop) != (longest.start, longest.end):
            out.append(Entity("ADDRESS", start, stop, longest.score, longest.detector))
    return out


_AFTER_DATE = re.compile(r"[\s,;:]*(?:(?:of|at|in|on|and|to)\s+)?", re.IGNORECASE)


def _years_not_house_numbers(found: list[Entity], text: str) -> list[Entity]:
    """An address find that starts inside a date takes the date's year for a house number (round 12:
    "discharged 11/26/2026 attending dr ...", "date of birth 02/11/1987 of 19 wexford lane"): it starts after
    the date instead, past an "of" or "at", and is dropped when no number is left in it."""
    dates = [(e.start, e.end) for e in found if e.type == "DATE"]
    if not dates:
        return found
    out: list[Entity] = []
    for e in found:
        inside = [t for s, t in dates if e.type == "ADDRESS" and s < e.start < t < e.end]
        if not inside:
            out.append(e)
            continue
        gap = _AFTER_DATE.match(text, max(inside))
        start = gap.end() if gap is not None else max(inside)
        if any(ch.isdigit() for ch in text[start : e.end]):
            out.append(Entity("ADDRESS", start, e.end, e.score, e.detector))
    return out


_EDGE_MARKS = " ,;:-"  # not "." (an abbreviation's: "Elm St.")


def _clear_of_names(found: list[Entity], names: list[tuple[int, int]], text: str | None) -> list[Entity]:
    """The address tagger's finds cut clear of the names at their edges (round 10): "send it to Olumide Adebayo,
    15 Marina Road" is a name and an address, and the address alone would hide the name's type. A name inside
    ("1420 Lincoln Street") stays inside; a find that meets a name and holds no number (a house number, a ZIP)
    is dropped: beside a name, the tagger takes titles and roles ("attending Dr.", "host ..., guest") for a
    place, and the rules find the streets and towns named after people."""
    out: list[Entity] = []
    for e in found:
        if e.detector != ADDRESS_TAGGER:
            out.append(e)
            continue
        start, end = e.start, e.end
        touched = False
        for s, t in sorted(names):
            if s < end and start < t:
                touched = True
                if s <= start:
                    start = max(start, t)
                elif t >= end:
                    end = min(end, s)
        if touched and (text is None or not any(ch.isdigit() for ch in text[start:end])):
            continue  # a name with a title or a role beside it ("attending Dr. ..."), no address
        if text is not None:
            while start < end and text[start] in _EDGE_MARKS:
                start += 1
            while end > start and text[end - 1] in _EDGE_MARKS:
                end -= 1
        if end - start >= 2:
            out.append(e if (start, end) == (e.start, e.end) else Entity("ADDRESS", start, end, e.score, e.detector))
    return out


def _unions(found: list[Entity], kind: str, *, only_with: str | None = None) -> list[Entity]:
    """Finds of `kind` that overlap become their union (round 8): the tagger's "Ho Quang" and the rules' "Quang
    Minh" are halves of one name, and the longer half alone would leave the rest readable. With `only_with`, only
    the overlaps that hold a find of that detector (round 10: the address tagger's "14 Alder Way" and the rules'
    "Alder Way, Dunmore" are one address); the others are left to `resolve_overlaps`, as before."""
    spans = sorted((e for e in found if e.type == kind), key=lambda e: (e.start, -e.end))
    out: list[Entity] = [e for e in found if e.type != kind]
    group: list[Entity] = []
    end = -1
    for e in [*spans, None]:
        if e is not None and group and e.start < end:
            group.append(e)
            end = max(end, e.end)
            continue
        if group:
            if only_with is None or (len(group) > 1 and any(g.detector == only_with for g in group)):
                best = max(group, key=lambda g: g.score)
                out.append(Entity(kind, group[0].start, end, best.score, group[0].detector))
            else:
                out.extend(group)
        if e is not None:
            group, end = [e], e.end
    return out


def _join_names(kept: list[Entity], text: str) -> list[Entity]:
    out: list[Entity] = []
    firms = firm_spans(text) if any(e.type == "NAME" for e in kept) else []
    name_starts = {e.start for e in kept if e.type == "NAME"}
    for e in kept:
        if e.type == "NAME" and (
            not_a_person(text, e.start, e.end, firms)
            or _CODE_AFTER.match(text, e.end)
            or _an_animal(text, e)
            or _a_partnership(text, e, name_starts)
        ):
            continue
        if (
            out
            and out[-1].type == e.type == "NAME"
            and (
                (text[out[-1].end : e.start] == " " and not _spelled(text, out[-1]) and not _spelled(text, e))
                or only_particles(text, out[-1].end, e.start)
                # round 20: a double surname spelled half by half ("N O W A K, hyphen, R E I D"): one spelling
                or (
                    _SPELLING_JOINER.fullmatch(text, out[-1].end, e.start) is not None
                    and _spelled(text, out[-1])
                    and _spelled(text, e)
                )
            )
        ):
            last = out.pop()
            e = Entity("NAME", last.start, e.end, max(last.score, e.score), last.detector)
        out.append(e)
    return out


#: Round 20: an animal's kind, said before or after its name ("a cow called X", "X, a nine year old lab").
_ANIMALS = (
    r"(?:dogs?|cats?|pupp(?:y|ies)|kittens?|cows?|horses?|ponies|pony|mares?|goats?|parrots?|rabbits?|hamsters?|"
    r"pets?|labs?|labradors?|terriers?|retrievers?|spaniels?|collies?|poodles?|beagles?|tabby|tabbies)"
)
_ANIMAL_BEFORE = re.compile(rf"\b{_ANIMALS}(?:['’]s)?(?:\s*,\s*|\s+(?:called|named)\s+|\s+)$", re.IGNORECASE)
_ANIMAL_AFTER = re.compile(
    rf",?\s+(?:a|an|our|my|his|her|their|the)\s+(?:[^\W\d_]+[\s-]+){{0,4}}?{_ANIMALS}"
    r"(?:\s*[,.;:!?]|\s*$|\s+(?:who|that|which|and|with|is|was)\b)",
    re.IGNORECASE,
)


def _an_animal(text: str, e: Entity) -> bool:
    """Round 20: a name given to an animal ("a cow called X", "our dog, X", "X, a nine year old lab"): no person's."""
    return (
        _ANIMAL_BEFORE.search(text, max(0, e.start - 24), e.start) is not None
        or _ANIMAL_AFTER.match(text, e.end) is not None
    )


#: Round 20: a firm said by its partners' surnames where it is a place ("a partner at Oduya and Klein", "the offices
#: of Harlan and Pike"): one word, "and", one word, after "at" or "offices of"; not a home's ("at Ann and Joe's").
_PARTNERSHIP_AT = r"\b(?:at|(?:offices|firm)\s+of)\s+"
_PARTNER_FIRST = re.compile(_PARTNERSHIP_AT + r"$", re.IGNORECASE)
_PARTNER_SECOND = re.compile(_PARTNERSHIP_AT + r"([^\W\d_]+)\s+(?:and|&)\s+$", re.IGNORECASE)
_AND_PARTNER = re.compile(r"\s+(?:and|&)\s+([^\W\d_]+)(?![\w'’-])")
#: Round 20: words after "and" that open a clause or a phrase, no partner's name ("at Maria and she smiled").
_NOT_A_PARTNER = frozenset(
    {"i", "you", "he", "she", "we", "they", "it", "me", "him", "her", "us", "them", "his", "their", "my", "our"}
    | {"your", "the", "a", "an", "then", "so", "now"}
)


def _a_partnership(text: str, e: Entity, name_starts: set[int]) -> bool:
    """Round 20: one of two surnames that name a firm where it is a place ("at Threlkeld and Marsh"); the second only
    when the first was found as a name too (not "at two and X was the first one down")."""
    said = text[e.start : e.end]
    if " " in said or "'" in said or "’" in said or text[e.end : e.end + 1] in ("'", "’"):
        return False  # two words, or a home's possessive ("at Ann and Joe's")
    if _PARTNER_FIRST.search(text, max(0, e.start - 12), e.start):
        m = _AND_PARTNER.match(text, e.end)
        return m is not None and m.group(1).lower() not in _NOT_A_PARTNER and text[m.end() : m.end() + 1] not in "'’"
    m = _PARTNER_SECOND.search(text, max(0, e.start - 40), e.start)
    return m is not None and m.start(1) in name_starts


#: Round 20: digits joined right onto the words by a hyphen ("Order T-4471-0992"): a code's letters, no name's.
_CODE_AFTER = re.compile(r"-\d")
#: Round 20: "hyphen" or "dash" said between two spelled halves of one name, commas around it in cased text.
_SPELLING_JOINER = re.compile(r",?\s+(?:hyphen|dash),?\s+", re.IGNORECASE)
_ADDRESS_GAP = re.compile(r"[\s,]{1,3}")


def join_address_pieces(text: str, found: list[Entity]) -> list[Entity]:
    """Address parts found one by one and said in a row, set off only by a comma or a space, are one address
    ("Rural Route 3, Box 42" then "Chinle, Arizona 86503"): each part alone covers too little of it.
    `found` is sorted by start and free of overlaps, as `resolve_overlaps` returns it."""
    out: list[Entity] = []
    for e in found:
        last = out[-1] if out else None
        if (
            last is not None
            and e.type == last.type == "ADDRESS"
            and _ADDRESS_GAP.fullmatch(text, last.end, e.start) is not None
        ):
            out[-1] = Entity("ADDRESS", last.start, e.end, max(last.score, e.score), last.detector)
        else:
            out.append(e)
    return out


def resolve_overlaps(found: Iterable[Entity]) -> list[Entity]:
    """Greedy: longest first, then highest score, then earliest; sorted by start, none overlapping."""
    ranked = sorted(found, key=lambda e: (-(e.end - e.start), -e.score, e.start, e.type))
    starts: list[int] = []
    kept: list[Entity] = []  # sorted by start, parallel to `starts`
    for e in ranked:
        if e.end <= e.start:
            continue
        k = bisect.bisect_left(starts, e.start)
        if k > 0 and kept[k - 1].end > e.start:
            continue
        if k < len(kept) and kept[k].start < e.end:
            continue
        starts.insert(k, e.start)
        kept.insert(k, e)
    return kept


def _spelled(text: str, e: Entity) -> bool:
    """A name spelled letter by letter ("D A G N Y"): a span of its own beside the name it spells."""
    return all(len(w) == 1 for w in text[e.start : e.end].split())
