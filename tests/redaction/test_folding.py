"""Case-insensitive patterns run case-sensitively on lowercased text (`core.redaction.folding`): a speed-up that
must find exactly what the patterns find the slow way."""

from __future__ import annotations

import re

import pytest

from core.redaction import recognizers
from core.redaction.detect import builtin_recognizers
from core.redaction.folding import caseless, folded_text
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


def test_every_folded_pattern_finds_what_it_finds_the_slow_way() -> None:
    """The product's own patterns, on the eval set's sentences as one text and on accented and oddly cased text."""
    texts = [
        " ".join(c.text for c in load()),
        "MRN 00734192, DOB March 3rd 1931. PIN ONE TWO THREE FOUR. Lives at 12 RUE DE LA PAIX, Paris 75002. "
        "Zip code is 02139; plate KXV 4471; call 555-0134 ext 12. José Núñez, fax (617) 555 0199. ICU BED 4.",
    ]
    checked = 0
    for rec in builtin_recognizers():
        if not isinstance(rec, recognizers.RegexRecognizer):
            continue
        for regex, fast in zip(rec._regexes, rec._folded, strict=True):
            if fast is None:
                continue
            for text in texts:
                view = SpokenView(text)
                assert view.folded is not None
                slow = [(m.span(), m.groupdict()) for m in regex.finditer(view.text)]
                quick = [(m.span(), m.groupdict()) for m in fast.finditer(view.folded)]
                assert [s for s, _ in quick] == [s for s, _ in slow], rec.name
                assert [[g is None for g in d.values()] for _, d in quick] == [
                    [g is None for g in d.values()] for _, d in slow
                ], rec.name
            checked += 1
    assert checked >= 100  # most of the product's patterns fold; if they stop to, detection slows down
