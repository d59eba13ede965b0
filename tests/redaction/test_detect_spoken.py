"""SpokenView: spoken numbers, emails and dates normalised, with an exact map back to the original."""

from __future__ import annotations

import pytest

from core.redaction.spoken import SpokenView


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("my number is five five five one two one two", "my number is 5551212"),
        ("My number is 555-1212.", "My number is 555-1212."),
        ("john dot smith at gmail dot com", "john.smith@gmail.com"),
        ("march third nineteen fifty eight", "march 3rd 1958"),
        ("march three nineteen fifty eight", "march 3 1958"),
        ("one two three dash four five dash six seven eight nine", "123-45-6789"),
        ("twenty one and nineteen eighty", "21 and 1980"),
        ("double four oh five", "4405"),
        ("triple seven", "777"),
        ("two thousand nineteen", "2019"),
        ("three hundred and twenty one main street", "321 main street"),
        ("the twenty-first of june", "the 21st of june"),
        ("oh I see", "oh I see"),
        ("double ninety", "double 90"),  # once an endless loop: "double" with nothing to repeat
        ("look at the dot", "look at the dot"),
        ("three slash four slash fifty eight", "3/4/58"),
        ("five four two, six one, nine nine eight seven", "542619987"),
        ("days one, two and three", "days 1, 2 and 3"),
        ("mail me at site dot com slash help", "mail me at site.com slash help"),
    ],
)
def test_normalises(text: str, normalised: str) -> None:
    assert SpokenView(text).text == normalised


def test_span_maps_back_to_original() -> None:
    view = SpokenView("call five five five one two one two now")
    start = view.text.index("5551212")
    s, e = view.span(start, start + 7)
    assert view.original[s:e] == "five five five one two one two"
    s, e = view.span(start + 1, start + 2)
    assert view.original[s:e] == "five"


def test_verbatim_text_maps_one_to_one() -> None:
    text = "Mr. Ode, 555-1212!"
    view = SpokenView(text)
    assert view.text == text
    assert all(view.span(i, i + 1) == (i, i + 1) for i in range(len(text)))


def test_empty_span_is_refused() -> None:
    with pytest.raises(ValueError, match="empty span"):
        SpokenView("abc").span(1, 1)
