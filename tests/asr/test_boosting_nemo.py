"""The ONNX engine's boosting tree (core.asr.boosting, numpy) against NeMo's own, the NeMo engine's: the
same phrases spelled in the same pieces, and the same score for every piece from every state reached,
on the trained test model's tokenizer and on random trees.

NeMo is the source of truth (issue 26); its tree is built here exactly as the NeMo engine builds it
(`BoostingTreeModelConfig.key_phrases_list`, the engine's context score and depth scaling).
"""

from __future__ import annotations

import random
import string
import tarfile
from typing import Any

import numpy as np
import pytest

from core.asr import boosting
from models.training import corpus
from tests.asr.conftest import TEST_MODEL


@pytest.fixture(scope="module")
def nemo_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from nemo.collections.common.tokenizers import SentencePieceTokenizer

    folder = tmp_path_factory.mktemp("tokenizer")
    with tarfile.open(TEST_MODEL) as tar:
        (member,) = (m for m in tar.getmembers() if m.name.endswith("_tokenizer.model"))
        tar.extract(member, folder, filter="data")
    return SentencePieceTokenizer(str(folder / member.name))


def nemo_tree(phrases: list[str], tokenizer: Any, *, context: float, depth: float) -> Any:
    from nemo.collections.asr.parts.context_biasing.boosting_graph_batched import (
        BoostingTreeModelConfig,
        GPUBoostingTreeModel,
    )

    cfg = BoostingTreeModelConfig(
        key_phrases_list=phrases, context_score=context, depth_scaling=depth, use_triton=False
    )
    return GPUBoostingTreeModel.from_config(cfg, tokenizer)


def walks(rng: random.Random, spellings: list[list[int]], vocab_size: int, count: int) -> list[list[int]]:
    """Token sequences that enter, follow, leave and re-enter phrases."""
    out = []
    for _ in range(count):
        seq: list[int] = []
        while len(seq) < 12:
            spelling = rng.choice(spellings)
            seq += spelling[: rng.randint(1, len(spelling))] if rng.random() < 0.7 else [rng.randrange(vocab_size)]
        out.append(seq)
    return out


def same_scores(ours: boosting.PhraseBoost, theirs: Any, sequences: list[list[int]]) -> None:
    for seq in sequences:
        state, their_state = ours.start, theirs.get_init_states(batch_size=1, bos=True)
        for token in seq:
            their_scores, their_next = theirs.advance(their_state)
            np.testing.assert_allclose(ours.scores(state), their_scores[0].detach().double().numpy(), atol=1e-5)
            state, their_state = ours.next_state(state, token), their_next[:, token]


def test_phrases_are_spelled_and_scored_as_the_nemo_engine_does(nemo_tokenizer: Any) -> None:
    vocabulary = [str(p) for p in nemo_tokenizer.ids_to_tokens(list(range(nemo_tokenizer.vocab_size)))]
    rng = random.Random(7)
    made_up = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 12))) for _ in range(300)]
    words = [*corpus.vocabulary(), *corpus.BOOST_WORDS, *made_up]
    ranks = boosting.merge_ranks(vocabulary)
    assert [boosting.spell(w, ranks) for w in words] == [nemo_tokenizer.text_to_ids(w) for w in words]

    phrases = (*corpus.BOOST_WORDS, "Doctor Okafor", "warfarin sodium", "war", "Kingsley Hall")
    forms = boosting.phrase_forms(phrases, vocabulary)  # what the NeMo engine hands NeMo
    ours = boosting.build(phrases, vocabulary, weight=1.0)
    assert ours is not None
    theirs = nemo_tree(forms, nemo_tokenizer, context=boosting.BOOST_CONTEXT_SCORE, depth=boosting.BOOST_DEPTH_SCALING)
    spellings = [nemo_tokenizer.text_to_ids(f) for f in forms]
    same_scores(ours, theirs, walks(rng, spellings, len(vocabulary), 40))


def test_random_trees_score_as_nemos_with_any_context_score(nemo_tokenizer: Any) -> None:
    """Shared prefixes, phrases inside phrases and a non-zero context score (NeMo's own default)."""
    from nemo.collections.asr.parts.context_biasing.context_graph_universal import ContextGraph

    rng = random.Random(11)
    for _ in range(6):
        context, depth = rng.choice([(1.0, 2.0), (0.5, 1.0), (0.0, 2.0)])
        spellings = [[rng.randrange(12) for _ in range(rng.randint(1, 5))] for _ in range(rng.randint(2, 8))]
        graph = ContextGraph(context_score=context, depth_scaling=depth)
        graph.build(token_ids=spellings, phrases=[str(s) for s in spellings], scores=[0.0] * len(spellings))
        from nemo.collections.asr.parts.context_biasing.boosting_graph_batched import GPUBoostingTreeModel

        theirs = GPUBoostingTreeModel.from_context_graph(graph, vocab_size=12, use_triton=False, uniform_weights=False)
        ours = boosting.PhraseBoost(spellings, vocab_size=12, weight=1.0, context_score=context, depth_scaling=depth)
        same_scores(ours, theirs, walks(rng, spellings, 12, 10))
