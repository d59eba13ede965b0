"""Quicker forms of the recognizers' patterns (`core.redaction.fast_patterns`): guarded by the characters a match
starts with, and case-insensitive ones run case-sensitively on lowercased text. A speed-up that must find exactly
what the patterns find the slow way."""

from __future__ import annotations

import re

import pytest

from core.redaction import recognizers
from core.redaction.detect import builtin_recognizers
from core.redaction.fast_patterns import caseless, folded_text, guarded
from core.redaction.spoken import SpokenView
from tests.data.redaction_eval import load


def test_text_folds_when_every_character_has_a_simple_case_pair() -> None:
    assert folded_text("Dr. José Núñez, ZIP 02139, K-9") == "dr. josé núñez, zip 02139, k-9"
    assert folded_text("Ørsted Ærø Ça") == "ørsted ærø ça"
    # Each of these folds to another letter (or two) under IGNORECASE: the text is searched the slow way.
    for odd in ("50 µg", "Straße", "İstanbul", "ſtreet", "ıl", "Σίσυφος"):
        assert folded_text(odd) is None, odd


@pytest.mark.parametrize(
    ("pattern", "flags", "folds"),
    [
        (r"\b(?:on|by|for)\s+(?P<v>[a-z'’-]+)\b", re.IGNORECASE, True),
        (r"\b[A-Za-z]\d{2}(?:st|nd)?[éè]", re.IGNORECASE, True),
        (r"(?<!score )(?:3[01]|[12]\d)\b(?=\s)", re.IGNORECASE, True),
        (r"\bMrn\b", re.IGNORECASE, False),  # an uppercase letter
        (r"\b[A-Z]{2}\d", re.IGNORECASE, False),  # a class with uppercase letters only
        (r"\bat (?-i:[A-Z])\w+", re.IGNORECASE, False),  # a case-sensitive group
        (r"\bstra[ßs]e", re.IGNORECASE, False),  # a letter that folds to two
        (r"\bon\b", 0, False),  # case-sensitive already
    ],
)
def test_a_pattern_folds_only_where_it_finds_the_same(pattern: str, flags: int, folds: bool) -> None:
    assert (caseless(re.compile(pattern, flags)) is not None) is folds


@pytest.mark.parametrize(
    ("pattern", "flags", "guard"),
    [
        (r"(?<!score )(?<![\w.])\d{3}-\d{2}", re.IGNORECASE, r"(?=[\d])"),
        (r"\b(?:cvv|pin|card code)\b", re.IGNORECASE, "(?=[cpc])"),
        (r"(?:the\s+)?(?:3[01]|[12]\d)", 0, "(?=[t312])"),
        (r"\w+\d", 0, None),  # any letter: no guard
        (r"[^a]b", 0, None),  # a negated class
        (r"(?:a|)", 0, None),  # can match empty
        (r"(?i)\bx", 0, None),  # global flags must come first
        (r"\b(?-i:X)y", re.IGNORECASE, None),  # a group with flags of its own
    ],
)
def test_a_guard_names_the_characters_a_match_can_start_with(pattern: str, flags: int, guard: str | None) -> None:
    quick = guarded(re.compile(pattern, flags))
    if guard is None:
        assert quick.pattern == pattern
    else:
        assert quick.pattern == f"{guard}(?:{pattern})"
        assert quick.flags == re.compile(pattern, flags).flags


def test_every_quick_form_finds_what_the_pattern_finds_the_slow_way() -> None:
    """The product's own patterns, on the eval set's sentences as one text and on accented and oddly cased text."""
    texts = [
        " ".join(c.text for c in load()),
        "MRN 00734192, DOB March 3rd 1931. PIN ONE TWO THREE FOUR. Lives at 12 RUE DE LA PAIX, Paris 75002. "
        "Zip code is 02139; plate KXV 4471; call 555-0134 ext 12. José Núñez, fax (617) 555 0199. ICU BED 4.",
    ]
    views = [SpokenView(text) for text in texts]
    folded = guards = 0
    for rec in builtin_recognizers():
        if not isinstance(rec, recognizers.RegexRecognizer):
            continue
        for regex, quick in zip(rec._regexes, rec._quick, strict=True):
            folded += quick.on_folded is not None
            guards += quick.on_text is not regex
            for view in views:
                assert view.folded is not None
                slow = [(m.span(), m.groupdict()) for m in regex.finditer(view.text)]
                forms = [(quick.on_text, view.text)]
                if quick.on_folded is not None:
                    forms.append((quick.on_folded, view.folded))
                for form, text in forms:
                    found = [(m.span(), m.groupdict()) for m in form.finditer(text)]
                    assert [s for s, _ in found] == [s for s, _ in slow], rec.name
                    assert [{k: v is None for k, v in d.items()} for _, d in found] == [
                        {k: v is None for k, v in d.items()} for _, d in slow
                    ], rec.name
    # Most of the product's patterns have both; if they stop to, detection slows down.
    assert folded >= 100
    assert guards >= 100
