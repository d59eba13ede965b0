"""The identifier tagger's recipe: the synthetic sentences, their gold spans and the token labels."""

from __future__ import annotations

import random

from core.redaction.id_tagger import tokenize
from models.training.ids_corpus import CUES, ID_TYPES, generate, lowercase, say_digits, templates, value
from models.training.ids_train import labels_for
from tests.data.redaction_eval import normalise


def test_the_same_seed_gives_the_same_sentences_and_the_dev_templates_stay_out() -> None:
    a = generate(seed=3, rounds=2, dev=False)
    assert a == generate(seed=3, rounds=2, dev=False)
    assert a != generate(seed=4, rounds=2, dev=False)
    held_out = [t for t in templates() if t.held_out]
    assert len(templates()) // 10 < len(held_out) < len(templates()) // 4
    assert {t.kind for t in held_out} == {"id", "negative"}
    train_keys = {t.key for t in templates() if not t.held_out}
    assert not train_keys & {t.key for t in held_out}


def test_every_type_has_gold_spans_and_the_lower_version_is_the_eval_sets_rule() -> None:
    examples = generate(seed=5, rounds=2, dev=False)
    cased = [e for e in examples if e.version == "cased"]
    lower = [e for e in examples if e.version == "lower"]
    assert len(cased) == len(lower) > 600
    assert {kind for e in cased for _, _, kind in e.spans} == set(ID_TYPES)
    for c, lo in zip(cased, lower, strict=True):
        assert lo.text == normalise(c.text) and lo.text == lowercase(c).text
        assert [lo.text[a:b] for a, b, _ in lo.spans] == [normalise(c.text[a:b]) for a, b, _ in c.spans]
        assert "  " not in c.text and c.text == c.text.strip()
        for a, b, _ in c.spans:
            assert c.text[a:b] == c.text[a:b].strip(" ,.?"), c.text
    # hard negatives: sentences with numbers and no identifier
    assert sum(1 for e in cased if not e.spans and any(ch.isdigit() for ch in e.text)) > 50


def test_values_take_spoken_and_written_forms() -> None:
    rng = random.Random(1)
    cards = [value(rng, "CARD") for _ in range(300)]
    assert any("-" in v for v in cards) and any(" " in v and v.replace(" ", "").isdigit() for v in cards)
    assert any(" dash " in v or "double" in v or " oh " in f" {v} " for v in cards)
    codes = [value(rng, "DEV") + " " + value(rng, "VIN") for _ in range(300)]
    assert any(" as in " in v for v in codes) and any("tango" in v or "hotel" in v or "sierra" in v for v in codes)
    # round 9: expiries with the month as a word or a name, PINs and CVVs with their digits apart or in pairs
    expiries = [value(rng, "EXP") for _ in range(400)]
    assert any(" of twenty-" in v for v in expiries) and any(" slash " in v and "oh" not in v for v in expiries)
    pins = [value(rng, "PIN") + "|" + value(rng, "CVV") for _ in range(300)]
    assert any(", " in v for v in pins) and any(" and " in v for v in pins)
    assert say_digits(random.Random(0), "0") in ("oh", "zero")
    assert any("double seven" in say_digits(random.Random(k), "477") for k in range(40))
    # every type has cue phrasings enough to learn a family rather than a phrase
    assert min(len(v) for v in CUES.values()) >= 10


def test_token_labels_follow_the_spans() -> None:
    text = "my card is 4111 1111, sorry, 4222 and room 4"
    tokens = tokenize(text)
    a, b = text.index("4111"), text.index(",")
    c = text.index("4222")
    spans = [(a, b, "CREDIT_DEBIT_NUMBER"), (c, c + 4, "CREDIT_DEBIT_NUMBER")]
    assert labels_for(tokens, spans) == (
        ["O"] * 3
        + ["B-CREDIT_DEBIT_NUMBER", "I-CREDIT_DEBIT_NUMBER"]
        + ["O"] * 3
        + ["B-CREDIT_DEBIT_NUMBER"]
        + ["O"] * 3
    )
