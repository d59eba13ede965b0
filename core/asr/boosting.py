"""Phrase boosting for greedy transducer decoding outside NeMo: NeMo's boosting tree, in numpy.

The NeMo engine hands a custom vocabulary to NeMo's own boosting tree (GPU-PB context biasing,
`core.nemo.asr`). The ONNX engine decodes in numpy, so this module rebuilds the same tree and the same
scores, read from NeMo 3.0's source rather than guessed:

- Spelling (`spell`): each phrase in the model's pieces as SentencePiece BPE writes it (NeMo's
  ``tokenizer.text_to_ids``): a word-boundary mark before every word, then the adjacent pair whose merged
  piece comes first in the vocabulary is merged, leftmost first, until none is left. A SentencePiece BPE
  vocabulary lists its merges in the order they were learned (the score of piece ``i`` is ``-i``), so
  the vocabulary's order is the merge table. A phrase with a character the model cannot write is left
  out: NeMo would spell it with ``<unk>``, which boosting would then push into the transcript.
- The tree (`ContextGraph.build`, `GPUBoostingTreeModel.from_context_graph`): a trie of the phrases'
  pieces with Aho-Corasick failure links. The piece at depth ``i`` (1-based) scores ``context_score``
  when ``i`` is 1 and ``context_score * depth_scaling + log(i)`` after; a shared prefix keeps the larger
  score. Leaving a partial match (the back-off to the failure link) takes back what the match had
  gathered beyond the failure link's; leaving a finished phrase costs nothing.
- The scores (`NGramGPULanguageModel._advance_pytorch`): from a state, a piece scores its arc's weight
  if the state has one; otherwise the back-off weight is added and the failure link asked, down to the
  root, where the phrases' first pieces score ``context_score`` and every other piece 0 (staying there).
- The fusion (`GreedyBatchedTDTLabelLoopingComputer`): the joint chooses blank or not from its own
  logits; only when it chose a token is the token re-chosen, as the argmax over the non-blank logits
  plus ``weight`` times the scores, and the tree advances by the token emitted. Durations are the
  joint's. NeMo adds the scores to the joint's log-probabilities; the ONNX decoder gives logits, and a
  log-softmax subtracts one constant from a row, which moves no argmax.

Phrases live in memory only: nothing here writes or logs them.
"""

from __future__ import annotations

import math
import unicodedata
from collections import deque
from collections.abc import Sequence

import numpy as np

from core import errors
from core.asr.engine import DEFAULT_BOOST_WEIGHT

#: SentencePiece's word-boundary mark: a piece that starts with it starts a word.
WORD_START = "\u2581"

#: The tree's settings, for both engines (the NeMo engine hands them to NeMo's tree). The i-th piece of
#: a phrase scores `context_score * depth_scaling + log(i)` (the first: `context_score` alone), times the
#: user's weight, all taken back if the decoder leaves the phrase. Measured on the test model
#: (bench/vocab.py, bench/RESULTS.md), NeMo's own `context_score` of 1.0 cost 4 WER points on sentences
#: without the phrases before recall moved: a phrase's first piece (a single letter, or even the bare
#: word boundary, in a small BPE vocabulary) is the first piece of most words, so boosting it turns
#: uncertain words into phrase starts. With 0 the decoder must start a phrase on its own evidence, and
#: boosting only helps it finish one: recall rose at a WER cost within noise. Depth scaling then
#: multiplies zero; kept as NeMo's.
BOOST_CONTEXT_SCORE = 0.0
BOOST_DEPTH_SCALING = 2.0


def phrase_forms(phrases: tuple[str, ...], vocabulary: Sequence[str]) -> list[str]:
    """The phrases as the model writes them: trimmed, blank ones dropped, duplicates once, in order.

    A model whose tokenizer has no capital letters (the test model) would see a capitalised phrase as
    unknown tokens, so for it the phrases are lowercased; a cased model (Parakeet) gets them as typed.
    """
    cased = any(ch.isupper() for piece in vocabulary for ch in piece)
    out: dict[str, None] = {}
    for phrase in phrases:
        form = " ".join(phrase.split())
        if form:
            out[form if cased else form.lower()] = None
    return list(out)


def merge_ranks(vocabulary: Sequence[str]) -> dict[str, int]:
    """Each piece's id, the merge priority `spell` uses; control pieces (``<unk>``, ``<s>``…) are never
    the result of a merge, so they are left out."""
    return {p: i for i, p in enumerate(vocabulary) if not (len(p) > 2 and p[0] == "<" and p[-1] == ">")}


def spell(text: str, ranks: dict[str, int]) -> list[int] | None:
    """``text`` in the model's piece ids, as SentencePiece BPE encodes it; None if a character of it is
    not in the vocabulary (``ranks``, from `merge_ranks`)."""
    out: list[int] = []
    for word in unicodedata.normalize("NFKC", text).split():
        symbols = [WORD_START, *word]
        while len(symbols) > 1:
            best, at = None, -1
            for i in range(len(symbols) - 1):
                rank = ranks.get(symbols[i] + symbols[i + 1])
                if rank is not None and (best is None or rank < best):
                    best, at = rank, i
            if best is None:
                break
            symbols[at : at + 2] = [symbols[at] + symbols[at + 1]]
        ids = [ranks.get(s) for s in symbols]
        if any(i is None for i in ids):
            return None
        out += [i for i in ids if i is not None]
    return out or None


class PhraseBoost:
    """NeMo's boosting tree over piece ids, and the greedy choice of a token under it.

    A decoding keeps one state (an int, `start` at first) and calls `choose` each time the joint has
    decided to emit a token. Built once per (phrases, weight) and shared by every window decoded with
    them; the per-state score rows it computes are kept (at most one small pair of arrays per trie
    node reached).
    """

    start = 0  # the root

    def __init__(
        self,
        spellings: Sequence[Sequence[int]],
        *,
        vocab_size: int,
        weight: float,
        context_score: float,
        depth_scaling: float,
    ) -> None:
        if not weight >= 0:
            raise ValueError(f"the boost weight must be zero or more, not {weight}")
        self.vocab_size = vocab_size
        self._weight = float(weight)
        # The trie, one list entry per node (0 = root): NeMo's ContextGraph.build, non-uniform weights.
        self._next: list[dict[int, int]] = [{}]
        self._token_score: list[float] = [0.0]
        self._node_score: list[float] = [0.0]
        self._is_end: list[bool] = [False]
        for tokens in spellings:
            if any(not 0 <= t < vocab_size for t in tokens):
                raise ValueError("a phrase's piece is outside the vocabulary")
            node = 0
            for i, token in enumerate(tokens):
                last = i == len(tokens) - 1
                child = self._next[node].get(token)
                if child is None:
                    score = context_score * depth_scaling + math.log(i + 1) if i > 0 else context_score
                    child = len(self._next)
                    self._next.append({})
                    self._token_score.append(score)
                    self._node_score.append(self._node_score[node] + score)
                    self._is_end.append(last)
                    self._next[node][token] = child
                else:  # a shared node keeps the larger score (NeMo: max with the plain context score)
                    self._token_score[child] = max(context_score, self._token_score[child])
                    self._node_score[child] = self._node_score[node] + self._token_score[child]
                    self._is_end[child] = self._is_end[child] or last
                node = child
        self._fail = self._failure_links()
        # NeMo's back-off weight: give back the gathered score beyond the failure link's, unless finished
        self._backoff = [
            0.0 if self._is_end[n] else self._node_score[self._fail[n]] - self._node_score[n]
            for n in range(len(self._next))
        ]
        self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def nodes(self) -> int:
        return len(self._next)

    def _failure_links(self) -> list[int]:
        """Aho-Corasick: each node's longest proper suffix that is also a path from the root."""
        fail = [0] * len(self._next)
        queue = deque(self._next[0].values())
        while queue:
            node = queue.popleft()
            for token, child in self._next[node].items():
                link = fail[node]
                while link and token not in self._next[link]:
                    link = fail[link]
                fail[child] = self._next[link].get(token, 0)
                queue.append(child)
        return fail

    def scores(self, state: int) -> np.ndarray:
        """The tree's score of every piece from ``state``, before the weight: NeMo's ``advance``."""
        tokens, values, rest = self._arcs(state)
        out = np.full(self.vocab_size, rest)
        out[tokens] = values
        return out

    def next_state(self, state: int, token: int) -> int:
        """The state after emitting ``token`` from ``state``."""
        node = state
        while True:
            child = self._next[node].get(token)
            if child is not None:
                return child
            if node == 0:
                return 0
            node = self._fail[node]

    def choose(self, state: int, logits: np.ndarray) -> tuple[int, int]:
        """(token, next state): the token to emit, given the joint's logits over the non-blank pieces
        (the joint having already chosen to emit one), and the tree's state after it."""
        row = self._rows.get(state)
        if row is None:
            tokens, values, rest = self._arcs(state)
            # every piece off the failure chain scores ``rest``: adding it to all moves no argmax
            bonus = (values - rest) * self._weight
            row = self._rows[state] = (tokens[bonus != 0], bonus[bonus != 0])
        tokens, bonus = row
        if len(tokens):
            logits = logits.astype(np.float64)  # a copy: the caller's row stays the joint's
            logits[tokens] += bonus
        token = int(np.argmax(logits))
        return token, self.next_state(state, token)

    def _arcs(self, state: int) -> tuple[np.ndarray, np.ndarray, float]:
        """The pieces an arc on ``state``'s failure chain names, with their scores (the nearest arc
        wins), and the score of every other piece: the back-offs gathered down to the root."""
        found: dict[int, float] = {}
        gathered, node = 0.0, state
        while True:
            for token, child in self._next[node].items():
                found.setdefault(token, gathered + self._token_score[child])
            if node == 0:
                break
            gathered += self._backoff[node]
            node = self._fail[node]
        tokens = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        return tokens, np.fromiter(found.values(), dtype=np.float64, count=len(found)), gathered


def build(
    phrases: tuple[str, ...],
    vocabulary: Sequence[str],
    *,
    weight: float | None,
    context_score: float = BOOST_CONTEXT_SCORE,
    depth_scaling: float = BOOST_DEPTH_SCALING,
) -> PhraseBoost | None:
    """The boosting tree for a user's phrases on a model with this vocabulary (its pieces, blank not
    included) and weight (None: `DEFAULT_BOOST_WEIGHT`); None when no phrase can be spelled in its
    pieces or the weight is 0, which would change nothing."""
    weight = DEFAULT_BOOST_WEIGHT if weight is None else float(weight)
    if not weight >= 0:
        raise errors.UsageError(f"The boost weight must be zero or more, not {weight}.")
    ranks = merge_ranks(vocabulary)
    spellings = [s for form in phrase_forms(phrases, vocabulary) if (s := spell(form, ranks))]
    if not spellings or weight == 0:
        return None
    return PhraseBoost(
        spellings, vocab_size=len(vocabulary), weight=weight, context_score=context_score, depth_scaling=depth_scaling
    )
