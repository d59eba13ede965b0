"""Issue 23, round 17 (speed): the helpers that find once per text what was asked again for each word or find.

Each is only a faster way to the same answer: the tests compare it with the plain computation it replaces, on
sentences written for them, and check that a pattern the shortcut cannot reason about turns the shortcut off.
"""

from __future__ import annotations

import re

import pytest

from core.redaction.address_tagger import _SIDES, Features
from core.redaction.fast_patterns import first_chars, guarded
from core.redaction.name_cues import ANSWERED_BEFORE, DONE_AT, INTRODUCED, KIND_NAMED, SHOUTED
from core.redaction.name_tagger import _BEHIND_REACH, _BEHIND_SCAN, _WORDS, _Behind, behind_scan
from core.redaction.overlaps import overlapped
from core.redaction.towns import _CUE, _CUE_SCAN

_CUES = (INTRODUCED, ANSWERED_BEFORE, KIND_NAMED, DONE_AT, SHOUTED)

_TEXTS = [
    "Good morning, this is Priyanka from the billing office, how can I help?",
    "hello this is dermot calling about the invoice",
    "Her maiden name was Oyelaran and she kept it.",
    "the neighbour yelled out petra twice and then shouted at tomasz",
    "Pharmacy, Odile speaking. Who am I talking to?",
    "i am   \n  leopold and i need a refill",
    # a cue word cut by the window's first character, a cue inside a longer word, a line break before the word
    "x" * 30 + "this is Bartholomew",
    "Thesis Iolanthe was late; unthis is Ferdinand?",
    "my surname is\nKowalczyk-Brandt",
    "nothing of the kind is said here at all, just words and more words",
    "",
]


def _searched(text: str, s: int) -> bool:
    before = text[max(0, s - _BEHIND_REACH) : s]
    return any(p.search(before) for p in _CUES)


@pytest.mark.parametrize("text", _TEXTS)
def test_behind_passes_every_word_a_cue_ends_before(text: str) -> None:
    behind = _Behind.of(text, _BEHIND_SCAN)
    for m in _WORDS.finditer(text):
        if _searched(text, m.start()):
            assert behind.near(text, m.start()), text[: m.end()]


def test_behind_filters_out_words_with_no_cue_near() -> None:
    text = "the results came back normal and the plan stays the same for now"
    behind = _Behind.of(text, _BEHIND_SCAN)
    assert not any(behind.near(text, m.start()) for m in _WORDS.finditer(text))
    said = "later that day this is Marguerite on the line"
    assert _Behind.of(said, _BEHIND_SCAN).near(said, said.index("Marguerite"))


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bcalled\s+(?=her)\w+\s+$",  # a lookahead: the slice's end is not the text's
        r"\bname\b\s*$",  # a boundary inside
        r"(?:this\s+is)\s+$",  # no leading boundary
        r"\bthis\s+is\s+",  # not anchored at the word
        r"\b(?:x)?$",  # may match nothing
    ],
)
def test_behind_scan_turns_off_for_patterns_it_cannot_reason_about(pattern: str) -> None:
    assert behind_scan((re.compile(pattern, re.IGNORECASE),)) is None
    text = "we called her Wren"
    assert _Behind.of(text, None).near(text, text.index("Wren"))


def test_behind_scan_needs_the_same_flags() -> None:
    assert behind_scan((INTRODUCED, re.compile(r"\bknown\s+as\s+$"))) is None
    assert behind_scan((INTRODUCED, KIND_NAMED)) is not None


@pytest.mark.parametrize(
    ("spans", "query"),
    [
        ([], (3, 9)),
        ([(10, 20)], (0, 10)),  # touching before: no overlap
        ([(10, 20)], (20, 25)),  # touching after
        ([(10, 20)], (19, 21)),
        ([(0, 100), (40, 45)], (50, 60)),  # inside a long span that starts before a short one
        ([(5, 6), (30, 31), (7, 29)], (8, 9)),
        ([(12, 12)], (11, 13)),  # an empty span
    ],
)
def test_overlapped_agrees_with_a_pass_over_every_span(spans: list[tuple[int, int]], query: tuple[int, int]) -> None:
    start, end = query
    assert overlapped(spans)(start, end) == any(s < end and start < t for s, t in spans)


def test_overlapped_over_many_spans() -> None:
    spans = [((k * 37) % 101, (k * 37) % 101 + k % 9) for k in range(60)]
    test = overlapped(spans)
    for start in range(0, 110, 3):
        for end in range(start, start + 12):
            assert test(start, end) == any(s < end and start < t for s, t in spans)


def test_a_words_features_as_its_neighbours_see_them() -> None:
    features = Features(None)
    for word in ("Harbourview", "Road", "14", "the", "apt."):
        own = [x for x in features.word(word) if not x.startswith("sh=")]
        assert features.near(word) == tuple(tuple(f"{d}:{x}" for x in own) for d in _SIDES)


def test_the_town_cue_is_guarded_and_finds_the_same() -> None:
    assert _CUE_SCAN.pattern == f"(?={first_chars(_CUE)})(?:{_CUE.pattern})" and _CUE_SCAN.flags == _CUE.flags
    text = (
        "She lives in Leith and grew up in Ayr. We moved back to oban. Flew out of Leeds via Dublin, then route 9 in "
        "hadley; the mill in lowell. \u017ftayed in Cork, \u212aids from Hull, residents of Marlow, U.S. route 1 near "
        "Bliss -in Tralee 'from Derry"
    )
    assert [(m.span(), m.groupdict()) for m in _CUE_SCAN.finditer(text)] == [
        (m.span(), m.groupdict()) for m in _CUE.finditer(text)
    ]


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (r"\b(?:lives|lived)\s+in\s+", "[l]"),
        (r"\b(?<!-)(?:(?:state|county)\s+)?(?:route|road)\s*\d+", "[scr]"),
        (r"(?:[a-f]{2}|x)\d", "[a-fx]"),
        (r"(?:mr\.?\s+)?[A-Z]\w+", "[mA-Z]"),
        (r"\d{3}-\d{4}", r"[\d]"),  # digits first
        (r"(?:#|no\.)\s*\d+", r"[\#n]"),  # a mark or a letter
        (r"(?:mr\.?\s+)?\w+", None),  # any word character
        (r"\b(?:the\s+)?", None),  # may match nothing
        (r"[^\W\d_]+ville", None),  # any letter
        (r"(?-i:x)?\d", None),  # a flag changed inside
    ],
)
def test_what_a_pattern_starts_with_is_read_right(pattern: str, first: str | None) -> None:
    assert first_chars(re.compile(pattern, re.IGNORECASE)) == first


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:lives|lived)\s+in\s+",
        r"\b(?<!-)(?:(?:state|county)\s+)?(?:route|road)\s*\d+",
        r"(?:[a-f]{2}|x)\d",
        r"\bjr\b",
        r"\b(?:sir|kay)\b",
    ],
)
def test_a_guarded_pattern_finds_the_same(pattern: str) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    quick = guarded(regex)
    assert quick is not regex and quick.pattern.startswith("(?=[")
    text = (
        "She lives in Leith, LIVED IN Ayr; route 9 and County Road 12, ab4 X7 jr. Kelvin sign: \u212aoad 3, "
        "long s: \u017ftate road 4 -route 6, \u0130 and \u0131 x9, \u017fir and \u212aay"
    )
    assert [(m.span(), m.groups()) for m in quick.finditer(text)] == [
        (m.span(), m.groups()) for m in regex.finditer(text)
    ]


def test_a_verbose_pattern_is_left_alone() -> None:
    regex = re.compile(r"\b(?:lives|lived)\s+in\s+  # a comment", re.IGNORECASE | re.VERBOSE)
    assert guarded(regex) is regex
