"""A TDT model on ONNX Runtime: the CPU engine for an export of a verified `.nemo` (core.asr.onnx_export).

It runs in the same sandboxed child as the NeMo engine and behind the same `Engine` protocol, with the
same windows and stitching (core.asr.chunking), windows capped at ``MAX_WINDOW_S`` (full attention).
Nothing here imports torch or NeMo, and onnxruntime is
imported only when an engine is built, off the GUI's start-up path. Every graph is given to ONNX
Runtime through the descriptor the store hashed it through (models.store.ModelStore.open_export), never
by a name that could be swapped in between; audio reaches it only as in-memory arrays.

Decoding is NeMo's greedy TDT (`GreedyTDTInfer`): at each frame the decoder+joint gives a token and a
duration; a blank or token moves time on by the duration, a token also advances the prediction net,
and at most ``max_symbols`` tokens are emitted per frame. Word times are NeMo's too: a token starts at
its frame and ends ``duration`` frames later, a word spans its tokens, a punctuation mark takes the
end of the token before it.

A custom vocabulary is boosted as the NeMo engine boosts it: NeMo's boosting tree, rebuilt in numpy by
`core.asr.boosting` with the NeMo engine's settings, re-chooses each token the joint decided to emit;
blanks and durations stay the joint's.
Live text: ``OnnxStream``, buffered chunked decoding (core.asr.buffered) with this engine's features,
greedy TDT carried from chunk to chunk, and its word times; its default chunk and contexts
(``STREAM_DEFAULTS``) are smaller than Parakeet's model-card settings, to keep up on a laptop's CPU.
"""

from __future__ import annotations

import json
import logging
import os
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from core import errors
from core.asr import boosting, chunking
from core.asr.buffered import BufferedStream, Token
from core.asr.engine import AsrTranscript, AsrWord, AudioSource, DeviceInfo, TranscribeOptions
from core.asr.live import StreamOptions
from core.asr.onnx_export import DECODER_JOINT, ENCODER_INT8, FEATURES, FORMAT, META
from core.progress import CancelToken, Progress, no_progress
from core.security.sandbox import SandboxReport

log = logging.getLogger(__name__)
#: The export has full attention (core.asr.onnx_export says why), so windows are capped here: on the
#: test model's 40 held-out sentences as one 180 s recording, int8 ONNX WER was 15.9% in 120 s windows,
#: 13.5% in 60 s and 13.7% in 30 s ones, against NeMo's 14.6% (limited-context attention, 120 s).
MAX_WINDOW_S = 60.0
#: Live text's (chunk, left context, right context) seconds on this engine. Each step encodes all three,
#: so a step costs about (left + chunk + right) / chunk times the offline pass: 2.25 here, 7 with
#: Parakeet's model-card settings (2, 10, 2). On 2 cores, full-size architecture, int8 (bench/live_onnx.py,
#: bench/RESULTS.md of 2026-12-07): live cost 2.5x the offline pass, against 3.0x with 4 s of left
#: context and 5.1x with the model card's; the only setting that kept up on that heavily loaded machine.
#: On the test model its live WER was 14.2% against 13.7% offline and 14.6% with the model card's.
STREAM_DEFAULTS = (2.0, 2.0, 0.5)
_NORMALIZE_EPS = 1e-5  # NeMo's CONSTANT in normalize_batch


def load(
    files: Mapping[str, Path], *, model_id: str, progress: Progress = no_progress, encoder: str = ENCODER_INT8
) -> OnnxTdtEngine:
    """An engine from an export's verified files (``files``: name -> the path to load it by: the store's
    ``/proc/self/fd`` path of the descriptor it hashed)."""
    progress(0.05)
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise errors.ModelError("ONNX Runtime is not installed: install VaultScribe with its 'asr' extra.") from exc
    meta = json.loads(Path(files[META]).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise errors.ModelError(f"The ONNX export of {model_id} is of another version: export it again.")
    with np.load(files[FEATURES], allow_pickle=False) as npz:
        filterbank, window = npz["filterbank"], npz["window"]
    threads = os.cpu_count() or 1
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # No memory pattern: ONNX Runtime plans one for a shape it has seen before and then allocates it as
    # one more block beside the arena's, and windows (cut at silences) and live chunks do repeat shapes.
    # On the full-size architecture, 60 s windows: +0.6 GiB the first time a length came back (peak
    # 2.67 GiB over 1,800 s, above the 2.5 GB goal); without it the peak stayed at the first window's
    # (bench/RESULTS.md, 2026-12-07).
    options.enable_mem_pattern = False
    progress(0.2)
    try:
        encoder_session = ort.InferenceSession(str(files[encoder]), options, providers=["CPUExecutionProvider"])
        progress(0.8)
        small = ort.SessionOptions()
        small.intra_op_num_threads = 1  # one frame at a time: threads cost more than they give
        small.log_severity_level = 3
        decoder = ort.InferenceSession(str(files[DECODER_JOINT]), small, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own types for a bad graph
        raise errors.ModelError(f"The ONNX export of {model_id} could not be loaded: {type(exc).__name__}.") from exc
    progress(1.0)
    device = DeviceInfo("cpu", f"CPU, {threads} threads", "int8" if encoder == ENCODER_INT8 else "float32",
                        "ONNX Runtime on the CPU, from this model's verified int8 export")
    return OnnxTdtEngine(encoder_session, decoder, meta, filterbank, window, model_id=model_id, device=device)


class Features:
    """NeMo's `FilterbankFeatures` in eval mode (no dither), in numpy: pre-emphasis, a centred STFT with
    zero padding, power spectrum, mel filterbank, log, per-feature normalisation over the valid frames."""

    def __init__(self, cfg: dict[str, Any], filterbank: np.ndarray, window: np.ndarray) -> None:
        self.n_fft, self.hop = int(cfg["n_fft"]), int(cfg["hop_length"])
        win_length = int(cfg["win_length"])
        left = (self.n_fft - win_length) // 2  # torch.stft centres a shorter window in n_fft
        self.window = np.zeros(self.n_fft, np.float32)
        self.window[left : left + win_length] = window
        self.filterbank = filterbank.astype(np.float32)
        self.preemph = cfg["preemph"]
        self.mag_power = float(cfg["mag_power"])
        self.guard, self.guard_type = float(cfg["log_guard"]), cfg["log_guard_type"]
        self.normalize = cfg["normalize"]
        self.pad_to, self.pad_value = int(cfg["pad_to"]), float(cfg["pad_value"])

    def __call__(self, samples: np.ndarray) -> tuple[np.ndarray, int]:
        """(features, frames): (n_mels, T) float32, and how many frames are valid."""
        x = np.asarray(samples, dtype=np.float32)
        valid = len(x) // self.hop  # NeMo's get_seq_len with centred frames
        if self.preemph is not None and len(x) > 1:
            x = np.concatenate([x[:1], x[1:] - np.float32(self.preemph) * x[:-1]])
        pad = self.n_fft // 2
        x = np.pad(x, (pad, pad))
        frames = 1 + (len(x) - self.n_fft) // self.hop
        idx = np.arange(self.n_fft)[None, :] + self.hop * np.arange(frames)[:, None]
        spectrum = np.fft.rfft(x[idx] * self.window, n=self.n_fft, axis=1)
        power = np.abs(spectrum).astype(np.float32)
        if self.mag_power != 1.0:
            power = power**self.mag_power
        mel = self.filterbank @ power.T  # (n_mels, frames)
        mel = np.log(mel + self.guard) if self.guard_type == "add" else np.log(np.maximum(mel, self.guard))
        if self.normalize == "per_feature" and valid > 0:
            part = mel[:, :valid]
            mean = part.mean(axis=1, keepdims=True)
            std = np.sqrt(((part - mean) ** 2).sum(axis=1, keepdims=True) / max(valid - 1, 1)) + _NORMALIZE_EPS
            mel = (mel - mean) / std
        mel[:, valid:] = self.pad_value
        if self.pad_to > 0 and mel.shape[1] % self.pad_to:
            extra = self.pad_to - mel.shape[1] % self.pad_to
            mel = np.pad(mel, ((0, 0), (0, extra)), constant_values=self.pad_value)
        return mel.astype(np.float32), valid


class DecoderState(NamedTuple):
    """Where greedy TDT decoding stopped: the prediction net's states, its last token, and the frame to
    go on from, counted from the next segment's start (a duration may jump past a segment's end)."""

    state1: np.ndarray
    state2: np.ndarray
    last: int
    t: int


class OnnxTdtEngine:
    def __init__(
        self,
        encoder: Any,
        decoder_joint: Any,
        meta: dict[str, Any],
        filterbank: np.ndarray,
        window: np.ndarray,
        *,
        model_id: str,
        device: DeviceInfo,
    ) -> None:
        self._encoder = encoder
        self._decoder = decoder_joint
        self._model_id = model_id
        self._device = device
        self._features = Features(meta["features"], filterbank, window)
        self._vocabulary: list[str] = meta["vocabulary"]
        self._blank = int(meta["blank"])
        self._durations = [int(d) for d in meta["durations"]]
        self._max_symbols = int(meta["max_symbols"])
        self._state_shape = (int(meta["pred_rnn_layers"]), 1, int(meta["pred_hidden"]))
        self.frame_s = float(meta["features"]["window_stride_s"]) * int(meta["subsampling_factor"])
        self.frame_samples = self._features.hop * int(meta["subsampling_factor"])
        self._punctuation = {
            i for i, piece in enumerate(self._vocabulary)
            if piece.strip("\u2581") and all(unicodedata.category(c).startswith("P") for c in piece.strip("\u2581"))
        }
        #: The boosting tree of the last (phrases, weight) asked for: every window, and every recording
        #: with the same lists, shares it.
        self._boost: tuple[tuple[tuple[str, ...], float | None], boosting.PhraseBoost | None] | None = None

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return self._device

    @property
    def alive(self) -> bool:
        return self._encoder is not None

    @property
    def sandbox(self) -> SandboxReport | None:
        return None  # in this process; in the app it runs in core.asr.process's child, which reports its own

    @property
    def can_stream(self) -> bool:
        return True

    def open_stream(self, options: StreamOptions) -> OnnxStream:
        """A live stream on this model (chunked, with left and right context); see ``OnnxStream``."""
        return OnnxStream(self, options)

    def close(self) -> None:
        self._encoder = self._decoder = None

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        boost = self._boosting(options.phrases, options.boost_weight)
        total = audio.num_samples
        windows = chunking.plan_windows(audio, min(options.chunk_s, MAX_WINDOW_S), options.overlap_s)
        words: list[AsrWord] = []
        progress(0.0)
        for window in windows:
            cancel.raise_if_cancelled()
            samples = np.ascontiguousarray(audio.read(window.start, window.end - window.start), dtype=np.float32)
            tokens = self.decode(self.encode(samples), cancel=cancel, boost=boost)
            words += chunking.keep_core(window, self.words(tokens))
            progress(window.core_end / max(1, total))
        return chunking.transcript(
            words, model_id=self._model_id, device=self._device, num_samples=total, language=options.language
        )

    def _boosting(self, phrases: tuple[str, ...], weight: float | None) -> boosting.PhraseBoost | None:
        """The boosting tree for these phrases (None for none), built only when they or the weight change."""
        if not phrases:
            return None
        if self._boost is None or self._boost[0] != (phrases, weight):
            self._boost = ((phrases, weight), boosting.build(phrases, self._vocabulary, weight=weight))
        return self._boost[1]

    def encode(self, samples: np.ndarray) -> np.ndarray:
        """The encoder's frames for one window, (T, D)."""
        feats, valid = self._features(samples)
        out, lengths = self._encoder.run(
            None, {"audio_signal": feats[None], "length": np.array([valid], dtype=np.int64)}
        )
        frames: np.ndarray = out[0, :, : int(lengths[0])].T
        return np.ascontiguousarray(frames, dtype=np.float32)

    def decode(
        self, encoded: np.ndarray, *, cancel: CancelToken | None = None, boost: boosting.PhraseBoost | None = None
    ) -> list[tuple[int, int, int]]:
        """Greedy TDT over (T, D) frames: (token, frame, duration) for every token emitted."""
        return self.decode_from(encoded, None, cancel=cancel, boost=boost)[0]

    def decode_from(
        self,
        encoded: np.ndarray,
        state: DecoderState | None,
        *,
        frames: int | None = None,
        cancel: CancelToken | None = None,
        boost: boosting.PhraseBoost | None = None,
    ) -> tuple[list[tuple[int, int, int]], DecoderState]:
        """Greedy TDT over the first ``frames`` of (T, D) frames (all by default), going on from
        ``state`` (where the previous segment's decoding stopped; None: the start). Returns the tokens
        with frames counted from this segment's start, and the state to go on from after it. ``boost``
        re-chooses each token the joint emits (never a blank, never a duration), from outside any phrase."""
        blank, durations, n_tokens = self._blank, self._durations, self._blank + 1
        if state is None:
            zeros = np.zeros(self._state_shape, np.float32)
            state = DecoderState(zeros, zeros, blank, 0)
        state1, state2, last, t = state
        end = len(encoded) if frames is None else min(frames, len(encoded))
        match = boosting.PhraseBoost.start
        out: list[tuple[int, int, int]] = []
        length = np.array([1], dtype=np.int32)
        steps = 0
        while t < end:
            frame = encoded[t][None, :, None]
            symbols, skip = 0, 0
            while symbols < self._max_symbols:
                logits, _, new1, new2 = self._decoder.run(
                    None,
                    {
                        "encoder_outputs": frame,
                        "targets": np.array([[last]], dtype=np.int32),
                        "target_length": length,
                        "input_states_1": state1,
                        "input_states_2": state2,
                    },
                )
                row = logits.reshape(-1)
                token = int(np.argmax(row[:n_tokens]))
                skip = durations[int(np.argmax(row[n_tokens:]))]
                if token != blank:
                    if boost is not None:
                        token, match = boost.choose(match, row[:blank])
                    out.append((token, t, skip))
                    state1, state2, last = new1, new2, token
                symbols += 1
                t += skip
                if skip != 0:
                    break
                frame = encoded[min(t, len(encoded) - 1)][None, :, None]
            if skip == 0:
                t += 1  # NeMo's guard: a blank of duration 0, or max_symbols reached, still moves on
            steps += 1
            if cancel is not None and steps % 256 == 0:
                cancel.raise_if_cancelled()
        # a duration may jump past the segment's end: the next segment starts that far in
        return out, DecoderState(state1, state2, last, t - end)

    def starts_word(self, token: int) -> bool:
        """Whether ``token`` begins a new word (a word-start piece that is not punctuation)."""
        piece = self._vocabulary[token] if token < len(self._vocabulary) else ""
        return piece.startswith("\u2581") and token not in self._punctuation

    def words(self, tokens: list[tuple[int, int, int]]) -> list[AsrWord]:
        """Words with times in seconds (from the window's start), as NeMo's TDT timestamps give them."""
        spans: list[tuple[int, int, int]] = []
        for token, start, duration in tokens:
            if token in self._punctuation and spans:  # NeMo's _refine_timestamps_tdt
                spans.append((token, spans[-1][2], spans[-1][2]))
            else:
                spans.append((token, start, start + duration))
        groups: list[list[tuple[int, int, int]]] = []
        for span in spans:
            if not groups or self.starts_word(span[0]):
                groups.append([])
            groups[-1].append(span)
        out = []
        for group in groups:
            text = "".join(self._vocabulary[t] for t, _, _ in group).replace("\u2581", " ").strip()
            if text:
                start_s = group[0][1] * self.frame_s
                end_s = max(start_s, max(span[2] for span in group) * self.frame_s)
                out.append(AsrWord(text, round(start_s, 3), round(end_s, 3)))
        return out


class OnnxStream(BufferedStream):
    """Buffered streaming on the ONNX engine (core.asr.buffered): each step encodes [left context |
    chunk | right context] with the engine's features and encoder, decodes the chunk's frames by greedy
    TDT from the decoder state the previous chunk left, and the right context speculatively from that
    state. Word times are the engine's, counted from the stream's start."""

    def __init__(self, engine: OnnxTdtEngine, options: StreamOptions) -> None:
        super().__init__(options, frame_samples=engine.frame_samples, defaults=STREAM_DEFAULTS)
        self._engine = engine
        self._state: DecoderState | None = None

    def _reset(self) -> None:
        self._state = None

    def _decode_step(
        self, buffer: np.ndarray, *, left_frames: int, chunk: int, right: int, last: bool
    ) -> tuple[list[Token], list[Token]]:
        engine = self._engine
        encoded = engine.encode(np.ascontiguousarray(buffer, dtype=np.float32))[left_frames:]
        chunk_frames = self.chunk_frames(chunk, len(encoded), last=last)
        base = self._done // self._frame
        tokens, self._state = engine.decode_from(encoded, self._state, frames=chunk_frames)
        committed: list[Token] = [(token, base + frame, duration) for token, frame, duration in tokens]
        speculative: list[Token] = []
        right_frames = min(len(encoded) - chunk_frames, right // self._frame)
        if right_frames > 0:
            guess, _ = engine.decode_from(encoded[chunk_frames:], self._state, frames=right_frames)
            base += chunk_frames
            speculative = [(token, base + frame, duration) for token, frame, duration in guess]
        return committed, speculative

    def _starts_word(self, token: Token) -> bool:
        return self._engine.starts_word(int(token[0]))

    def _to_words(self, tokens: Sequence[Token]) -> list[AsrWord]:
        return self._engine.words([(int(t), int(f), int(d)) for t, f, d in tokens])
