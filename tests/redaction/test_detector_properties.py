"""Any text, however odd, gives entities inside it, sorted and disjoint, with known types; and the
redacted text never keeps a detected span. Hypothesis drives it with transcript-like and random text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.redaction.detect import default_detector, redact
from core.redaction.types import ENTITY_TYPES

DETECTOR = default_detector(["Project Nightingale"])
WORDS = st.sampled_from([
    "my", "name", "is", "maria", "Gonzalez", "call", "five", "oh", "double", "dash", "dot", "at", "slash",
    "march", "may", "will", "third", "nineteen", "fifty", "eight", "ssn", "mrn", "card", "ending", "in",
    "555-0147", "4111", "1111", "@", ".", ",", "-", "Dr.", "lives", "Main", "Street", "90210", "pin", "is",
    "ninety", "one", "years", "old", "Project", "nightingale", "é", "ß", "\u200b", "\n", "📞",
])  # fmt: skip


def _check(text: str) -> None:
    found = DETECTOR.detect(text)
    end = 0
    for e in found:
        assert e.type in ENTITY_TYPES
        assert end <= e.start < e.end <= len(text)
        end = e.end
    out = redact(text, found)
    for e in found:
        piece = text[e.start : e.end]
        if len(piece) > 3 and piece.strip():
            assert f"[{e.type}]" in out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_transcript_like_text(text: str) -> None:
    _check(text)
    _check(text.lower())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode(text: str) -> None:
    _check(text)


def test_a_transcript_may_end_on_any_word() -> None:
    """A transcript cut after any word, as a recording stopped mid-sentence is: the product's detector (its taggers
    included) must still answer. A cased transcript that ended on "Where did you grow up?" raised IndexError: the
    town after the question was looked for past the end of the text."""
    from models.name_tagger import product_detector
    from tests.data.redaction_eval import load

    detector = product_detector()
    for text in ("So tell me about yourself. Where did you grow up?", "Where were you born?", "She moved to, uh,"):
        detector.detect(text)
        detector.detect(text.lower())
    for case in load()[::4]:  # every fourth eval case, cased and lowercase alike (about 1,200 cuts)
        for cut in (case.text[:k] for k in range(1, len(case.text) + 1) if case.text[k - 1 : k + 1].endswith(" ")):
            for e in detector.detect(cut):
                assert e.type in ENTITY_TYPES and 0 <= e.start < e.end <= len(cut)
