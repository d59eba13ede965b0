"""Issue 23, round 17: defects that show only when sentences follow each other in one transcript, as the product
reads a recording (`core/session/review.py` detects on the whole text; `bench/redaction_eval.py --scenes`
scores it so). Sentences written for this file, none from a set.

1. A spoken e-mail address closed by a full stop and followed by the next sentence: the full stop and the next
   word are no part of its domain ("... at example dot com. The card ..." was read as "example.com.the", no
   known top-level domain, and the address was lost; in a line alone it was found).
"""

from __future__ import annotations

import pytest

from core.redaction.spoken import SpokenView
from tests.redaction.general import assert_marked_found

SENTENCES: list[str] = [
    "Reach her at [EMAIL|tamsin dot vale forty one at example dot com]. The card on file is a Visa.",
    "It's [EMAIL|o underscore brennan at example dot net]. Do you want the PIN as well?",
    "Send the scan to [EMAIL|kwame dot asante at example dot co dot uk]. He reads it at night.",
    "Copy [EMAIL|r dash oyelaran at example dot org]. Then close the ticket.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_found_in_a_running_transcript(line: str) -> None:
    assert_marked_found(line)


def test_a_full_stop_and_the_next_word_are_no_part_of_a_domain() -> None:
    assert SpokenView("mail lee at example dot com. The rest").text == "mail lee@example.com. The rest"
    # A written domain's dots touch their words; only a full stop is followed by a space.
    assert SpokenView("mail lee at mail.example.com. The rest").text == "mail lee@mail.example.com. The rest"
