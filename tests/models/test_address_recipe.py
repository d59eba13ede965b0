"""The address tagger's recipe (issue 23, round 10): the synthetic sentences, their gold spans, the held-out
templates and the spoken house numbers."""

from __future__ import annotations

import random

from models.training.address_corpus import generate, say_house_number, templates
from tests.data.redaction_eval import normalise


def test_the_same_seed_gives_the_same_sentences_and_the_dev_templates_stay_out() -> None:
    a = generate(seed=3, rounds=2, dev=False, id_rounds=0)
    assert a == generate(seed=3, rounds=2, dev=False, id_rounds=0)
    assert a != generate(seed=4, rounds=2, dev=False, id_rounds=0)
    held_out = [t for t in templates() if t.held_out]
    assert len(templates()) // 10 < len(held_out) < len(templates()) // 4
    assert {t.kind for t in held_out} == {"address", "negative"}
    assert not {t.text for t in templates() if not t.held_out} & {t.text for t in held_out}


def test_gold_spans_are_tight_and_the_lower_version_is_the_eval_sets_rule() -> None:
    examples = generate(seed=5, rounds=3, dev=False, id_rounds=0)
    cased = [e for e in examples if e.version == "cased"]
    lower = [e for e in examples if e.version == "lower"]
    assert len(cased) == len(lower) > 200
    for c, lo in zip(cased, lower, strict=True):
        assert lo.text == normalise(c.text)
        assert [lo.text[a:b] for a, b, _ in lo.spans] == [normalise(c.text[a:b]) for a, b, _ in c.spans]
        for a, b, kind in c.spans:
            value = c.text[a:b]  # an abbreviation keeps its dot ("First St.")
            assert kind == "ADDRESS" and value == value.strip(" ,?") and not value.endswith(".."), c.text
    # hard negatives: sentences with no address, many with numbers or capitalised words
    negatives = [e for e in cased if not e.spans]
    assert len(negatives) > len(cased) // 3
    assert sum(any(ch.isdigit() for ch in e.text) for e in negatives) > 20
    # the identifier corpus's sentences join as negatives, never one that names a ZIP code
    with_ids = generate(seed=5, rounds=1, dev=False, id_rounds=1)
    extra = with_ids[len(generate(seed=5, rounds=1, dev=False, id_rounds=0)) :]
    assert extra and all(not e.spans and "zip" not in e.text.lower() for e in extra)


def test_house_numbers_are_said_as_people_say_them() -> None:
    rng = random.Random(0)
    assert say_house_number(rng, 2341) == "twenty three forty one"
    assert say_house_number(rng, 1405) in ("fourteen oh five", "one four oh five", "one four zero five")
    assert say_house_number(random.Random(2), 42) == "forty two"
    said = {say_house_number(random.Random(k), 312) for k in range(60)}
    assert {"three hundred twelve", "three twelve"} <= said
