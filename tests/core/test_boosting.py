"""Phrase boosting outside NeMo (core.asr.boosting): spelling, the tree's scores and the greedy choice,
and the ONNX engine's decoding with it, on fake vocabularies and a fake joint.

That the scores are NeMo's own, tree for tree, is checked against NeMo in tests/asr/test_boosting_nemo.py;
that boosting brings phrases into a real transcript, with the test model's export through the model
child, in tests/asr/test_onnx_real.py.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from core import errors
from core.asr import boosting
from core.asr.engine import ArraySource, TranscribeOptions
from core.asr.onnx_engine import OnnxTdtEngine
from core.progress import CancelToken, no_progress

W = boosting.WORD_START
#: A SentencePiece BPE vocabulary in merge order, then its characters: "kingsley" is ▁kin gs ley.
VOCAB = ["<unk>", f"{W}k", "in", f"{W}kin", "gs", "le", "ley", f"{W}t", "he", f"{W}the", W, "k", "i", "n", "g", "s",
         "l", "e", "y", "t", "h"]  # fmt: skip
ID = {piece: i for i, piece in enumerate(VOCAB)}


# -- spelling ----------------------------------------------------------------------------------------


def test_spell_merges_the_earliest_learned_pair_first() -> None:
    ranks = boosting.merge_ranks(VOCAB)
    assert boosting.spell("kingsley", ranks) == [ID[f"{W}kin"], ID["gs"], ID["ley"]]
    assert boosting.spell("the kingsley", ranks) == [ID[f"{W}the"], ID[f"{W}kin"], ID["gs"], ID["ley"]]
    # equal pairs merge leftmost first, as SentencePiece does
    assert boosting.spell("iii", boosting.merge_ranks([W, "i", "ii"])) == [0, 2, 1]


def test_spell_gives_up_on_a_character_the_model_cannot_write_and_never_merges_into_control_pieces() -> None:
    ranks = boosting.merge_ranks(VOCAB)
    assert boosting.spell("kingsbury", ranks) is None
    assert boosting.spell("", ranks) is None
    assert "<unk>" not in ranks and boosting.spell("<unk>", ranks) is None


def test_phrase_forms_follow_the_models_case() -> None:
    assert boosting.phrase_forms((" Metoprolol ", "Dr  Okafor", "", "metoprolol"), ["▁m", "e"]) == [
        "metoprolol", "dr okafor"]  # fmt: skip
    assert boosting.phrase_forms(("Metoprolol", "iPhone"), ["▁M", "e"]) == ["Metoprolol", "iPhone"]


# -- the tree ----------------------------------------------------------------------------------------


def tree(*phrases: list[int], weight: float = 1.0, context: float = 0.0, depth: float = 2.0) -> boosting.PhraseBoost:
    return boosting.PhraseBoost(phrases, vocab_size=10, weight=weight, context_score=context, depth_scaling=depth)


def walk(t: boosting.PhraseBoost, tokens: list[int]) -> int:
    state = t.start
    for token in tokens:
        state = t.next_state(state, token)
    return state


def test_deeper_pieces_score_more_and_leaving_takes_the_match_back() -> None:
    t = tree([1, 2, 3], context=1.0)
    root = t.scores(t.start)
    assert root[1] == 1.0 and set(np.delete(root, 1)) == {0.0}  # a phrase's first piece: the context score
    after_1 = t.scores(walk(t, [1]))
    assert after_1[2] == pytest.approx(1.0 * 2.0 + math.log(2))
    assert after_1[5] == pytest.approx(-1.0)  # off the phrase: the 1.0 gathered is given back
    assert after_1[1] == pytest.approx(-1.0 + 1.0)  # ...and a new match may start at once
    after_12 = t.scores(walk(t, [1, 2]))
    assert after_12[3] == pytest.approx(2.0 + math.log(3))
    assert after_12[7] == pytest.approx(-(1.0 + 2.0 + math.log(2)))
    done = walk(t, [1, 2, 3])
    assert np.all(t.scores(done) == root)  # a finished phrase keeps its score: leaving it costs nothing
    assert walk(t, [1, 2, 7]) == t.start and walk(t, [1, 2, 1]) == walk(t, [1])


def test_a_failed_match_falls_back_to_the_longest_suffix_that_is_a_phrase_start() -> None:
    t = tree([1, 2, 3], [2, 4])
    after_12 = walk(t, [1, 2])
    assert t.next_state(after_12, 4) == walk(t, [2, 4])
    # leaving "1 2" for "2 4": give back log 2 (the score of "1 2" beyond "2"'s), earn "2 4"'s log 2
    assert t.scores(after_12)[4] == pytest.approx(-math.log(2) + math.log(2))
    assert t.scores(after_12)[3] == pytest.approx(math.log(3))


def test_a_shared_prefix_is_one_path() -> None:
    t = tree([1, 2, 3], [1, 2, 4], [1, 5])
    assert t.nodes == 1 + 5
    assert t.next_state(walk(t, [1, 2]), 3) != t.next_state(walk(t, [1, 2]), 4)


def test_choose_re_ranks_by_the_weighted_score_and_only_where_it_matters() -> None:
    t = tree([1, 2, 3], weight=3.0)
    logits = np.zeros(10)
    logits[6], logits[2] = 2.0, 0.5  # the joint prefers 6; the phrase goes on with 2
    assert t.choose(t.start, logits) == (6, t.start)  # no match yet: the joint's choice
    state = walk(t, [1])
    token, after = t.choose(state, logits)
    assert (token, after) == (2, walk(t, [1, 2]))  # 0.5 + 3 * log 2 > 2.0
    assert logits[2] == 0.5, "the caller's logits are left alone"
    assert tree([1, 2, 3], weight=1.0).choose(state, logits)[0] == 6  # 0.5 + log 2 < 2.0


def test_bad_trees_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        tree([1, 12])
    with pytest.raises(ValueError, match="zero or more"):
        tree([1], weight=-1.0)


def test_build_uses_the_engines_default_weight_and_refuses_a_negative_one() -> None:
    assert boosting.build(("kingsley",), VOCAB, weight=None) is not None
    assert boosting.build(("kingsley",), VOCAB, weight=0.0) is None  # nothing to change
    assert boosting.build(("kingsbury", "  "), VOCAB, weight=3.0) is None  # nothing the model can spell
    for bad in (-0.5, float("nan")):
        with pytest.raises(errors.UsageError, match="zero or more"):
            boosting.build(("kingsley",), VOCAB, weight=bad)


# -- the ONNX engine's greedy TDT decoding with it --------------------------------------------------

DURATIONS = [0, 1, 2]
BLANK = len(VOCAB)


class FakeEncoder:
    """Four frames whose single value is the frame's index, whatever the audio."""

    def run(self, _names: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        return [np.arange(4, dtype=np.float32)[None, None, :], np.array([4])]


class FakeJoint:
    """Scripted logits by (frame, previous token): blank with duration 1 unless the script says."""

    def __init__(self, script: dict[tuple[int, int], tuple[dict[str, float], int]]) -> None:
        self.script = script

    def run(self, _names: Any, feeds: dict[str, np.ndarray]) -> list[Any]:
        t, last = int(feeds["encoder_outputs"].reshape(-1)[0]), int(feeds["targets"][0, 0])
        prefs, duration = self.script.get((t, last), ({"<blank>": 1.0}, 1))
        row = np.zeros(BLANK + 1 + len(DURATIONS), np.float32)
        for piece, value in prefs.items():
            row[BLANK if piece == "<blank>" else ID[piece]] = value
        row[BLANK + 1 + DURATIONS.index(duration)] = 1.0
        return [row[None, None, None, :], None, feeds["input_states_1"], feeds["input_states_2"]]


def engine(script: dict[tuple[int, int], tuple[dict[str, float], int]]) -> OnnxTdtEngine:
    features = {"n_fft": 8, "hop_length": 4, "win_length": 8, "preemph": None, "mag_power": 2.0,
                "log_guard": 1e-5, "log_guard_type": "add", "normalize": None, "pad_to": 0, "pad_value": 0.0,
                "window_stride_s": 0.01}  # fmt: skip
    meta = {"vocabulary": VOCAB, "blank": BLANK, "durations": DURATIONS, "max_symbols": 10, "pred_rnn_layers": 1,
            "pred_hidden": 2, "subsampling_factor": 8, "features": features}  # fmt: skip
    return OnnxTdtEngine(FakeEncoder(), FakeJoint(script), meta, np.ones((2, 5), np.float32),
                         np.ones(8, np.float32), model_id="fake", device=None)  # type: ignore[arg-type]  # fmt: skip


#: "▁kin" at frame 0; at frame 1 blank narrowly beats "gs"; "gs" at frame 2, then "s" beats "ley" by 1.
SCRIPT = {
    (0, BLANK): ({f"{W}kin": 2.0}, 1),
    (1, ID[f"{W}kin"]): ({"<blank>": 1.0, "gs": 0.5}, 1),
    (2, ID[f"{W}kin"]): ({"gs": 2.0}, 0),
    (2, ID["gs"]): ({"s": 2.0, "ley": 1.0}, 1),
}


def transcribe(eng: OnnxTdtEngine, phrases: tuple[str, ...] = (), weight: float | None = None) -> str:
    options = TranscribeOptions(phrases=phrases, boost_weight=weight)
    return eng.transcribe(ArraySource(np.zeros(16000, np.float32)), options, progress=no_progress,
                          cancel=CancelToken()).text  # fmt: skip


def test_the_engine_spells_a_boosted_phrase_and_leaves_blanks_and_durations_to_the_joint() -> None:
    eng = engine(SCRIPT)
    assert transcribe(eng) == "kingss"
    assert transcribe(eng, ("Kingsley",)) == "kingsley"  # weight 3 (the default): 1.0 + 3 log 3 > 2.0
    assert transcribe(eng, ("Kingsley",), weight=0.5) == "kingss"
    frames = eng.encode(np.zeros(16000, np.float32))
    plain = eng.decode(frames)
    boosted = eng.decode(frames, boost=boosting.build(("kingsley",), VOCAB, weight=3.0))
    # at frame 1 "gs" would win with its bonus, but the joint chose blank: the blank stands
    assert [(f, d) for _, f, d in plain] == [(f, d) for _, f, d in boosted] == [(0, 1), (2, 0), (2, 1)]
    assert [VOCAB[t] for t, _, _ in boosted] == [f"{W}kin", "gs", "ley"]


def test_the_engine_keeps_one_tree_per_list_and_refuses_a_negative_weight() -> None:
    eng = engine(SCRIPT)
    transcribe(eng, ("kingsley",))
    first = eng._boost
    transcribe(eng, ("kingsley",))
    assert eng._boost is first
    assert transcribe(eng, ("kingsbury",)) == "kingss"  # nothing it can spell: decoded plainly
    with pytest.raises(errors.UsageError, match="zero or more"):
        transcribe(eng, ("kingsley",), weight=-1.0)
