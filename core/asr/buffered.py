"""Buffered chunked streaming, the part every engine shares: the audio buffer, the chunk steps, and
which decoded words are settled.

Each step hands an engine [left context | chunk | right context] of 16 kHz audio; the engine decodes
the chunk's encoder frames from the decoder state it carried over from the previous chunk (so the
chunk's tokens are committed for good) and the right context speculatively from that state (the
partial words, replaced at the next step). The chunk then becomes left context, trimmed to its limit.
The last word of the committed tokens stays partial until the next chunk shows whether it goes on.

Subclasses (``core.nemo.asr.NemoStream``, ``core.asr.onnx_engine.OnnxStream``) give ``_decode_step``,
``_starts_word`` and ``_to_words``; a token is any tuple whose first item is the token id. Only
float32 arrays in memory; nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from core.asr.engine import SAMPLE_RATE, AsrWord
from core.asr.live import StreamOptions, StreamUpdate

Token = tuple[Any, ...]


class BufferedStream:
    """A ``LiveStream`` over an engine whose encoder frames are ``frame_samples`` of audio each."""

    def __init__(self, options: StreamOptions, *, frame_samples: int, defaults: tuple[float, float, float]) -> None:
        """``defaults``: the engine's own (chunk, left, right context) seconds, for settings left None."""
        self._frame = frame_samples
        self._frame_s = frame_samples / SAMPLE_RATE

        def frames(seconds: float) -> int:
            return max(0, round(seconds * SAMPLE_RATE / frame_samples))

        chunk_s, left_s, right_s = options.seconds(defaults)
        self._chunk = max(1, frames(chunk_s)) * frame_samples
        self._left = frames(left_s) * frame_samples
        self._right = frames(right_s) * frame_samples
        self._audio = np.zeros(0, np.float32)  # [left context | not yet committed]
        self._left_len = 0  # samples of left context at the front of _audio
        self._seen = 0  # samples received in all
        self._done = 0  # samples committed in all: the current chunk starts here
        self._tokens: list[Token] = []  # committed, with absolute times
        self._emitted = 0  # complete words already handed out as final
        self._partial: tuple[AsrWord, ...] = ()

    # -- what an engine gives ----------------------------------------------------------

    def _decode_step(
        self, buffer: np.ndarray, *, left_frames: int, chunk: int, right: int, last: bool
    ) -> tuple[list[Token], list[Token]]:
        """Decode one buffer (``left_frames`` encoder frames of left context, then ``chunk`` and
        ``right`` samples): the chunk's committed tokens, carrying the decoder state on, and the right
        context's speculative ones. Token times are absolute (``self._done`` is the chunk's start)."""
        raise NotImplementedError

    def _starts_word(self, token: Token) -> bool:
        raise NotImplementedError

    def _to_words(self, tokens: Sequence[Token]) -> list[AsrWord]:
        raise NotImplementedError

    def _reset(self) -> None:
        """Drop the decoder state (``close``)."""

    # -- the stream --------------------------------------------------------------------

    def chunk_frames(self, chunk: int, available: int, *, last: bool) -> int:
        """How many of the ``available`` encoder frames after the left context are the chunk's: a last,
        short chunk takes its partial frame too."""
        return min(available, -(-chunk // self._frame) if last else chunk // self._frame)

    def feed(self, samples: np.ndarray) -> StreamUpdate:
        self._audio = np.concatenate([self._audio, np.asarray(samples, dtype=np.float32).reshape(-1)])
        self._seen += int(samples.size)
        final: list[AsrWord] = []
        while self._audio.size - self._left_len >= self._chunk + self._right:
            final += self._step(self._chunk, self._right)
        return StreamUpdate(tuple(final), self._partial, self._seen / SAMPLE_RATE)

    def finish(self) -> StreamUpdate:
        """Decode what is left (no right context to wait for): every word becomes final."""
        rest = self._audio.size - self._left_len
        final: list[AsrWord] = []
        while rest > 0:
            take = min(rest, self._chunk + self._right)
            final += self._step(take, 0, last=take == rest)
            rest = self._audio.size - self._left_len
        final += self._settle(everything=True)
        self._partial = ()
        return StreamUpdate(tuple(final), (), self._seen / SAMPLE_RATE)

    def close(self) -> None:
        self._audio = np.zeros(0, np.float32)
        self._tokens = []
        self._reset()

    def _step(self, chunk: int, right: int, *, last: bool = False) -> list[AsrWord]:
        buffer = self._audio[: self._left_len + chunk + right]
        committed, speculative = self._decode_step(
            buffer, left_frames=self._left_len // self._frame, chunk=chunk, right=right, last=last
        )
        self._tokens += committed
        self._done += chunk
        # slide: the chunk becomes left context, and the left context keeps its limit
        keep_from = max(0, self._left_len + chunk - self._left)
        self._audio = self._audio[keep_from:]
        self._left_len = self._left_len + chunk - keep_from
        final = self._settle(everything=False)
        tail = self._tokens[self._complete_tokens() :]
        self._partial = tuple(self._to_words(tail + speculative))
        return final

    def _complete_tokens(self) -> int:
        """How many committed tokens belong to complete words: all but the last word, which the next
        chunk may continue."""
        starts = [i for i, token in enumerate(self._tokens) if self._starts_word(token)]
        return starts[-1] if starts else 0

    def _settle(self, *, everything: bool) -> list[AsrWord]:
        upto = len(self._tokens) if everything else self._complete_tokens()
        words = self._to_words(self._tokens[:upto])
        new, self._emitted = words[self._emitted :], len(words)
        return new
