"""The name tagger's recipe without its pinned inputs: the synthetic sentences and their gold spans."""

from __future__ import annotations

from core.redaction.name_tagger import tokenize
from models.training.names_corpus import NamePools, generate, lowercase, templates
from models.training.names_train import labels_for
from tests.data.redaction_eval import normalise

POOLS = NamePools.split(
    ["tomasz", "maria", "grace", "chidinma", "li", "oluwaseun", "anneke", "pedro", "yuki", "farah"],
    ["wojcik", "okafor", "nguyen", "smith", "haddad", "lindqvist", "garcia", "tanaka", "petrovic", "osei"],
)


def test_the_same_seed_gives_the_same_sentences_and_the_dev_templates_stay_out() -> None:
    a = generate(POOLS, seed=3, rounds=2, dev=False)
    assert a == generate(POOLS, seed=3, rounds=2, dev=False)
    held_out = [t for t in templates() if t.held_out]
    assert 0 < len(held_out) < len(templates()) // 4
    dev = generate(POOLS, seed=3, rounds=1, dev=True)
    assert {e.kind for e in dev} == {t.kind for t in held_out}


def test_gold_spans_are_names_and_the_lower_version_is_the_eval_sets_rule() -> None:
    examples = generate(POOLS, seed=5, rounds=3, dev=False)
    cased = [e for e in examples if e.version == "cased"]
    lower = [e for e in examples if e.version == "lower"]
    assert len(cased) == len(lower) > 300
    for c, lo in zip(cased, lower, strict=True):
        assert lo.text == normalise(c.text) and lo.text == lowercase(c).text
        assert [lo.text[a:b] for a, b in lo.spans] == [normalise(c.text[a:b]) for a, b in c.spans]
        for a, b in c.spans:
            assert c.text[a:b] == c.text[a:b].strip(" ,.?") and c.text[a].isupper()
    # Parakeet-like casing: proper nouns that are not names are capitalised too, so a capital is no giveaway.
    capitals_outside = sum(
        any(w[0].isupper() for w in e.text[1:].split() if not any(a <= e.text.find(w) < b for a, b in e.spans))
        for e in cased
    )
    assert capitals_outside > len(cased) // 3
    assert any(not e.spans for e in cased) and any(len(e.spans) >= 2 for e in cased)


def test_token_labels_follow_the_spans() -> None:
    text = "so his name is uh tomasz tomasz wojcik, and li"
    tokens = tokenize(text)
    a = text.index("tomasz")
    spans = [(a, text.index(",")), (text.index(" li") + 1, len(text))]
    assert labels_for(tokens, spans) == ["O"] * 5 + ["B-NAME", "I-NAME", "I-NAME", "O", "O", "B-NAME"]


def test_each_person_is_a_span_of_its_own_and_spellings_follow_names() -> None:
    # Before round 4 a restart ("maria, maria smith") reused a span id, so the next person's span swallowed
    # the template's words between them ("maria today with her sister anna").
    examples = generate(POOLS, seed=11, rounds=6, dev=False)
    for e in examples:
        for a, b in e.spans:
            words = set(e.text[a:b].lower().replace(",", " ").split())
            assert not words & {"and", "the", "with", "her", "today", "told", "is"}, (e.text, e.text[a:b])
    spelled = [e.text[a:b] for e in examples for a, b in e.spans if all(len(w) == 1 for w in e.text[a:b].split())]
    assert len(spelled) > 20 and all(len(s.split()) >= 2 for s in spelled)
