"""Parakeet TDT (and any NeMo transducer `.nemo`), and Sortformer diarization, through nemo_toolkit.

This is the only module in VaultScribe that imports torch or nemo, and it does so inside functions:
`import nemo.collections.asr` takes 12-18 s on a laptop CPU, so nothing on the GUI's start-up path may
reach it. `load()` reports its stages as progress and runs on a worker thread.

Audio reaches NeMo only as in-memory float32 arrays, never as paths: given paths, NeMo writes a
manifest naming them into the temp dir. For the duration of every call NeMo's temp dir is redirected
to a private folder that is wiped afterwards, on success and on failure.

Custom vocabulary reaches NeMo the same way: as a list in memory (`key_phrases_list` of NeMo's
boosting tree), never as a phrase file and never as a saved tree (`model_path` stays unset, or NeMo
would write the tree, and so the phrases, to it).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.asr import chunking
from core.asr.engine import (
    DEFAULT_BOOST_WEIGHT,
    SAMPLE_RATE,
    AsrTranscript,
    AsrWord,
    AudioSource,
    DeviceInfo,
    TranscribeOptions,
)
from core.asr.live import StreamOptions, StreamUpdate
from core.diarization.frames import turns_from_probabilities
from core.diarization.stitch import WindowProbs, stitch
from core.diarization.types import Diarization
from core.jobs import CancelToken, Progress, no_progress
from core.security.sandbox import SandboxReport

#: Every switch NeMo, Hugging Face and friends read to stay off the network.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "WANDB_MODE": "disabled",
    "TOKENIZERS_PARALLELISM": "false",
}

#: Chosen by measurement in bench/asr.py (bench/RESULTS.md): limited context keeps cost linear in
#: window length, was faster than full attention on 30 s windows and no less accurate on the test model.
DEFAULT_ATTENTION = "local"

_TEMPDIR_LOCK = threading.Lock()
_WEIGHTS_ONLY_LOCK = threading.Lock()
log = logging.getLogger(__name__)


#: torch.load's switches: the first makes it refuse any pickle but tensors and plain containers, even
#: where a caller asks otherwise; the second (which NeMo honours) would let any pickle run.
_WEIGHTS_ONLY, _NO_WEIGHTS_ONLY = "TORCH_FORCE_WEIGHTS_ONLY_LOAD", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"


@contextlib.contextmanager
def weights_only() -> Iterator[None]:
    """While a model is restored, torch.load unpickles no code, whatever the environment says.

    A second line behind the manifest check (a .nemo's weights are a pickle), scoped to the restore so
    the training recipe's own checkpoints in the same process are unaffected.
    """
    with _WEIGHTS_ONLY_LOCK:
        saved = {key: os.environ.get(key) for key in (_WEIGHTS_ONLY, _NO_WEIGHTS_ONLY)}
        os.environ.pop(_NO_WEIGHTS_ONLY, None)
        os.environ[_WEIGHTS_ONLY] = "1"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def go_offline() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value


@contextlib.contextmanager
def private_tempdir(root: Path | None) -> Iterator[Path]:
    """Point `tempfile` (and so NeMo) at a fresh private folder; wipe it afterwards, whatever happens."""
    if root is not None:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    job_dir = Path(tempfile.mkdtemp(prefix="asr-", dir=root))
    with _TEMPDIR_LOCK:
        saved = tempfile.tempdir
        tempfile.tempdir = str(job_dir)
        try:
            yield job_dir
        finally:
            tempfile.tempdir = saved
            shutil.rmtree(job_dir, ignore_errors=True)


def choose_device(preference: str, torch: Any) -> DeviceInfo:
    """CUDA when there is one (bf16 where the GPU has it), else every CPU core; with the reason why."""
    if preference not in ("auto", "cpu", "cuda"):
        raise errors.UsageError(f"Unknown device {preference!r}: use auto, cpu or cuda.")
    has_cuda = bool(torch.cuda.is_available())
    if preference == "cuda" and not has_cuda:
        raise errors.UsageError("A CUDA GPU was asked for, but none is available (see the GPU driver).")
    if has_cuda and preference != "cpu":
        bf16 = bool(torch.cuda.is_bf16_supported())
        return DeviceInfo(
            "cuda",
            str(torch.cuda.get_device_name(0)),
            "bfloat16" if bf16 else "float32",
            "an NVIDIA GPU is available" + (" with bfloat16" if bf16 else ""),
        )
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    reason = "the CPU was asked for" if preference == "cpu" else "no CUDA GPU was found"
    return DeviceInfo("cpu", f"CPU, {threads} threads", "float32", reason)


def load(
    path: Path,
    *,
    model_id: str,
    device: str = "auto",
    attention: str = DEFAULT_ATTENTION,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> NemoEngine:
    """Import NeMo and restore a verified local `.nemo`. Never touches a model hub.

    `attention="local"` switches the encoder to limited-context attention (128 frames, about 10 s, each
    side), which NeMo documents for Parakeet on long audio: cost grows linearly with window length.
    """
    if attention not in ("full", "local"):
        raise errors.UsageError(f"Unknown attention {attention!r}: use full or local.")
    cancel = cancel or CancelToken()
    go_offline()
    progress(0.02)
    import torch

    cancel.raise_if_cancelled()
    progress(0.15)
    for name in ("nemo_logger", "nemo", "lightning", "pytorch_lightning", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from nemo.collections.asr.models import ASRModel
    from nemo.utils import logging as nemo_logging

    nemo_logging.setLevel(logging.ERROR)
    cancel.raise_if_cancelled()
    progress(0.7)
    info = choose_device(device, torch)
    try:
        with warnings.catch_warnings(), weights_only():  # the LSTM warning: harmless, and noise in every log
            warnings.filterwarnings("ignore", message="dropout option adds dropout", category=UserWarning)
            model = ASRModel.restore_from(str(path), map_location=torch.device(info.kind))
    except Exception as exc:  # NeMo raises many types for a bad archive
        raise errors.BadInput(f"The model file of {model_id} could not be loaded: {type(exc).__name__}.") from exc
    if attention == "local":
        model.change_attention_model("rel_pos_local_attn", [128, 128])
        model.change_subsampling_conv_chunking_factor(1)
    model.eval()
    progress(1.0)
    return NemoEngine(model, model_id=model_id, device=info, torch=torch)


#: NeMo's boosting tree gives the i-th token of a phrase `context_score * depth_scaling + log(i)` (the
#: first token: `context_score` alone), times the user's weight (`boosting_tree_alpha`), and takes it all
#: back if the decoder leaves the phrase. Measured on the test model (bench/vocab.py, bench/RESULTS.md),
#: NeMo's own `context_score` of 1.0 cost 4 WER points on sentences without the phrases before recall
#: moved: a phrase's first piece (a single letter, or even the bare word boundary, in a small BPE
#: vocabulary) is the first piece of most words, so boosting it turns uncertain words into phrase
#: starts. With 0 the decoder must start a phrase on its own evidence, and boosting only helps it
#: finish one: recall rose at a WER cost within noise. Depth scaling then multiplies zero; kept as NeMo's.
BOOST_CONTEXT_SCORE = 0.0
BOOST_DEPTH_SCALING = 2.0


def phrase_forms(phrases: tuple[str, ...], vocabulary: list[str]) -> list[str]:
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


class NemoEngine:
    def __init__(self, model: Any, *, model_id: str, device: DeviceInfo, torch: Any) -> None:
        self._model = model
        self._model_id = model_id
        self._device = device
        self._torch = torch
        #: The (phrases, weight) the decoder is built for; None: as loaded, with no boosting tree.
        self._vocabulary: tuple[tuple[str, ...], float] | None = None
        self._vocabulary_unsure = False  # a rebuild failed part-way: rebuild next time, whatever is asked

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return self._device

    @property
    def alive(self) -> bool:
        return True  # in this process: alive until dropped

    @property
    def sandbox(self) -> SandboxReport | None:
        return None  # confined, if at all, by the process that loaded it (core.asr.process)

    def close(self) -> None:
        """Nothing to end: the model is freed with the engine."""

    @property
    def nemo_model(self) -> Any:
        """The NeMo model itself, for the benchmark's side-by-side runs."""
        return self._model

    @property
    def can_stream(self) -> bool:
        """A transducer decoded by NeMo's label-looping decoder (Parakeet's greedy_batch) can stream."""
        return _decoding_computer(self._model) is not None

    def open_stream(self, options: StreamOptions) -> NemoStream:
        """A live stream on this model (chunked, with left and right context); see ``NemoStream``."""
        return NemoStream(self, options)

    def transcribe(
        self,
        audio: AudioSource,
        options: TranscribeOptions,
        *,
        progress: Progress,
        cancel: CancelToken,
    ) -> AsrTranscript:
        total = audio.num_samples
        windows = chunking.plan_windows(audio, options.chunk_s, options.overlap_s)
        words: list[AsrWord] = []
        batch, i = max(1, options.batch_size or (8 if self._device.kind == "cuda" else 1)), 0
        progress(0.0)
        self._use_vocabulary(options.phrases, options.boost_weight)
        with private_tempdir(options.temp_dir):
            while i < len(windows):
                cancel.raise_if_cancelled()
                group = windows[i : i + batch]
                arrays = [np.ascontiguousarray(audio.read(w.start, w.end - w.start)) for w in group]
                try:
                    hyps = self._decode(arrays)
                except self._torch.cuda.OutOfMemoryError:
                    batch = self._after_oom(batch)
                    continue
                for window, hyp in zip(group, hyps, strict=True):
                    words += chunking.keep_core(window, self._words(hyp))
                i += len(group)
                progress(group[-1].core_end / max(1, total))
        segments = chunking.segments(words)
        return AsrTranscript(
            text=" ".join(w.text for w in words),
            words=tuple(words),
            segments=tuple(segments),
            model_id=self._model_id,
            device=self._device,
            duration_s=total / SAMPLE_RATE,
            language=options.language,
        )

    def _use_vocabulary(self, phrases: tuple[str, ...], weight: float | None) -> None:
        """Rebuild NeMo's decoder with a boosting tree for these phrases, or without one for none.

        Only when they change: the windows of a recording, and every recording with the same lists,
        share one tree. The decoding config is the model's own with boosting added, so everything else
        (greedy batch, TDT durations, word timestamps) stays as the model decodes without it.
        """
        key = (phrases, DEFAULT_BOOST_WEIGHT if weight is None else float(weight)) if phrases else None
        if key == self._vocabulary and not self._vocabulary_unsure:
            return
        if key is not None and not key[1] >= 0:
            raise errors.UsageError(f"The boost weight must be zero or more, not {key[1]}.")
        from omegaconf import OmegaConf, open_dict

        cfg: Any = OmegaConf.create(OmegaConf.to_container(self._model.cfg.decoding))
        with open_dict(cfg):
            # transcribe(timestamps=True) would rebuild the decoder again if this were left unset
            cfg.compute_timestamps = True
            cfg.greedy = cfg.get("greedy") or {}
            if key is None:
                cfg.greedy.pop("boosting_tree", None)
                cfg.greedy.boosting_tree_alpha = 0.0
            else:
                if cfg.get("strategy") == "greedy":  # NeMo fuses only in the batched label-looping decoder
                    cfg.strategy = "greedy_batch"
                cfg.greedy.boosting_tree = {
                    "key_phrases_list": phrase_forms(phrases, list(self._model.tokenizer.vocab)),
                    "key_phrases_file": None,
                    "model_path": None,  # never a file: NeMo saves the tree there when it is set
                    "context_score": BOOST_CONTEXT_SCORE,
                    "depth_scaling": BOOST_DEPTH_SCALING,
                    "use_triton": None,  # NeMo's "auto": Triton on a GPU if installed, PyTorch otherwise
                }
                cfg.greedy.boosting_tree_alpha = key[1]
        self._vocabulary_unsure = True
        try:
            self._model.change_decoding_strategy(cfg, verbose=False)  # verbose would log the phrases
        except Exception as exc:  # NeMo raises many types; the message must not carry the phrases
            raise errors.VaultScribeError(
                f"The custom vocabulary could not be applied to the model ({type(exc).__name__})."
            ) from exc
        self._vocabulary, self._vocabulary_unsure = key, False

    def _decode(self, arrays: list[np.ndarray]) -> list[Any]:
        torch = self._torch
        amp = (
            torch.autocast("cuda", dtype=torch.bfloat16)
            if self._device.kind == "cuda" and self._device.dtype == "bfloat16"
            else contextlib.nullcontext()
        )
        with torch.inference_mode(), amp:
            out = self._model.transcribe(
                arrays, batch_size=len(arrays), timestamps=True, verbose=False, num_workers=0
            )
        if isinstance(out, tuple):  # some NeMo versions return (best, all) for transducers
            out = out[0]
        return list(out)

    def _after_oom(self, batch: int) -> int:
        """Halve the batch; at batch 1, move to the CPU. The user is told why through `device`."""
        self._torch.cuda.empty_cache()
        if batch > 1:
            log.warning("GPU out of memory: retrying with batch size %d", batch // 2)
            return batch // 2
        log.warning("GPU out of memory at batch size 1: falling back to the CPU")
        self._model.to(self._torch.device("cpu"))
        self._torch.set_num_threads(os.cpu_count() or 1)
        self._device = DeviceInfo(
            "cpu", f"CPU, {os.cpu_count() or 1} threads", "float32",
            "the GPU ran out of memory even one chunk at a time, so this job moved to the CPU",
        )
        return 1

    def _words(self, hyp: Any) -> list[AsrWord]:
        """Normalise NeMo's word timestamps (seconds, or frame offsets in older shapes) to AsrWord."""
        stamps = (getattr(hyp, "timestamp", None) or {}).get("word") or []
        stride = self._frame_stride()
        out = []
        for item in stamps:
            text = str(item.get("word", "")).strip()
            if not text:
                continue
            start = item.get("start")
            end = item.get("end")
            if start is None or end is None:
                start, end = item["start_offset"] * stride, item["end_offset"] * stride
            out.append(AsrWord(text, float(start), max(float(start), float(end))))
        if not out and str(getattr(hyp, "text", "")).strip():
            raise errors.VaultScribeError("The model returned text without word timestamps.")
        return out

    def _frame_stride(self) -> float:
        cfg = self._model.cfg
        return float(cfg.preprocessor.window_stride) * int(getattr(self._model.encoder, "subsampling_factor", 8))


class NemoStream:
    """Buffered streaming for a transducer (RNNT/TDT) model, as NeMo's
    ``speech_to_text_streaming_infer_rnnt.py`` does it: each step runs the encoder over
    [left context | chunk | right context], decodes only the chunk's frames with the label-looping
    decoder's state carried over from the previous chunk, and so commits the chunk's tokens for good.
    The right context is then decoded speculatively from a copy of that state: those are the partial
    words, shown at once and replaced at the next step.

    Only 16 kHz float32 arrays in memory; nothing is written anywhere.
    """

    def __init__(self, engine: NemoEngine, options: StreamOptions) -> None:
        model = engine.nemo_model
        self._engine = engine
        self._model = model
        self._torch = engine._torch
        hop = round(float(model.cfg.preprocessor.window_stride) * SAMPLE_RATE)
        self._frame = hop * int(getattr(model.encoder, "subsampling_factor", 8))  # samples per encoder frame
        self._frame_s = self._frame / SAMPLE_RATE

        def frames(seconds: float) -> int:
            return max(0, round(seconds * SAMPLE_RATE / self._frame))

        self._chunk = max(1, frames(options.chunk_s)) * self._frame
        self._left = frames(options.left_context_s) * self._frame
        self._right = frames(options.right_context_s) * self._frame
        self._audio = np.zeros(0, np.float32)  # [left context | not yet committed]
        self._left_len = 0  # samples of left context at the front of _audio
        self._seen = 0  # samples received in all
        self._state: Any = None
        self._tokens: list[tuple[int, int]] = []  # committed (token id, encoder frame), absolute
        self._emitted = 0  # complete words already handed out as final
        self._partial: tuple[AsrWord, ...] = ()
        self._computer = self._decoding_computer()

    def _decoding_computer(self) -> Any:
        computer = _decoding_computer(self._model)
        if computer is None:
            raise errors.ModelError("This speech model cannot decode a stream (no label-looping decoder).")
        with contextlib.suppress(AttributeError):
            computer.disable_cuda_graphs()
        return computer

    def feed(self, samples: np.ndarray) -> StreamUpdate:
        self._audio = np.concatenate([self._audio, np.asarray(samples, dtype=np.float32).reshape(-1)])
        self._seen += int(samples.size)
        final: list[AsrWord] = []
        stepped = False
        while self._audio.size - self._left_len >= self._chunk + self._right:
            final += self._step(self._chunk, self._right)
            stepped = True
        if stepped:
            return StreamUpdate(tuple(final), self._partial, self._seen / SAMPLE_RATE)
        return StreamUpdate((), self._partial, self._seen / SAMPLE_RATE)

    def finish(self) -> StreamUpdate:
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
        self._state = None
        self._tokens = []

    def _step(self, chunk: int, right: int, *, last: bool = False) -> list[AsrWord]:
        torch = self._torch
        buffer = self._audio[: self._left_len + chunk + right]
        # NeMo's transcribe() ends by unfreezing the encoder, which puts it back in training mode
        # (dropout on): every step makes sure the model is in eval mode, or the stream is not deterministic.
        self._model.eval()
        with torch.inference_mode(), _streaming_features(self._model):
            signal, length = _one_item_batch(torch, buffer, self._model.device)
            encoded, encoded_len = self._model(input_signal=signal, input_signal_length=length)
            encoded = encoded.transpose(1, 2)[:, self._left_len // self._frame :]
            available = int(encoded_len[0]) - self._left_len // self._frame
            chunk_frames = min(available, -(-chunk // self._frame) if last else chunk // self._frame)
            hyps, self._state = self._computer(
                x=encoded, out_len=torch.tensor([chunk_frames], device=signal.device), prev_batched_state=self._state
            )
            self._tokens += self._token_frames(hyps)
            speculative: list[tuple[int, int]] = []
            right_frames = min(available - chunk_frames, right // self._frame)
            if right_frames > 0:
                guess, _ = self._computer(
                    x=encoded[:, chunk_frames:],
                    out_len=torch.tensor([right_frames], device=signal.device),
                    prev_batched_state=copy.deepcopy(self._state),  # the decoder updates its state in place
                )
                speculative = self._token_frames(guess)
        # slide: the chunk becomes left context, and the left context keeps its limit
        keep_from = max(0, self._left_len + chunk - self._left)
        self._audio = self._audio[keep_from:]
        self._left_len = self._left_len + chunk - keep_from
        final = self._settle(everything=False)
        tail = self._tokens[self._complete_tokens() :]
        self._partial = tuple(self._to_words(tail + speculative))
        return final

    def _token_frames(self, hyps: Any) -> list[tuple[int, int]]:
        from nemo.collections.asr.parts.utils.rnnt_utils import batched_hyps_to_hypotheses

        hyp = batched_hyps_to_hypotheses(hyps, batch_size=1)[0]
        return list(zip(hyp.y_sequence.tolist(), hyp.timestamp.tolist(), strict=True))

    def _complete_tokens(self) -> int:
        """How many committed tokens belong to complete words: all but the last word, which the next
        chunk may continue."""
        starts = [i for i, (token, _) in enumerate(self._tokens) if self._starts_word(token)]
        return starts[-1] if starts else 0

    def _settle(self, *, everything: bool) -> list[AsrWord]:
        upto = len(self._tokens) if everything else self._complete_tokens()
        words = self._to_words(self._tokens[:upto])
        new, self._emitted = words[self._emitted :], len(words)
        return new

    def _starts_word(self, token: int) -> bool:
        piece = str(self._model.tokenizer.ids_to_tokens([token])[0])
        return piece.startswith("\u2581")

    def _to_words(self, tokens: list[tuple[int, int]]) -> list[AsrWord]:
        groups: list[list[tuple[int, int]]] = []
        for token, frame in tokens:
            if not groups or self._starts_word(token):
                groups.append([])
            groups[-1].append((token, frame))
        words = []
        for group in groups:
            text = str(self._model.tokenizer.ids_to_text([t for t, _ in group])).strip()
            if text:
                start, end = group[0][1] * self._frame_s, (group[-1][1] + 1) * self._frame_s
                words.append(AsrWord(text, round(start, 3), round(end, 3)))
        return words


def _decoding_computer(model: Any) -> Any:
    """The label-looping decoder that streaming carries state through (greedy_batch), or None."""
    decoding = getattr(getattr(model, "decoding", None), "decoding", None)
    return getattr(decoding, "decoding_computer", None)


def _one_item_batch(torch: Any, samples: np.ndarray, device: Any) -> tuple[Any, Any]:
    """One clip as NeMo's models take audio: a (1, samples) float32 signal and its length, on ``device``."""
    signal = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(0).to(device)
    return signal, torch.tensor([signal.shape[1]], device=signal.device)


@contextlib.contextmanager
def _streaming_features(model: Any) -> Iterator[None]:
    """No padding of the feature frames while streaming (NeMo's script sets pad_to 0 and dither 0); the
    offline path's settings come back afterwards."""
    featurizer = model.preprocessor.featurizer
    saved = (featurizer.pad_to, featurizer.dither)
    featurizer.pad_to, featurizer.dither = 0, 0.0
    try:
        yield
    finally:
        featurizer.pad_to, featurizer.dither = saved


def load_diarizer(
    path: Path, *, model_id: str, device: str = "auto", progress: Progress = no_progress, streaming: bool | None = None
) -> NemoDiarizer:
    """Restore a verified local Sortformer `.nemo` (NeMo's `SortformerEncLabelModel`).

    ``streaming``: None runs the model as its config says (``streaming_mode``); True runs an offline
    model through the streaming loop (bench/diarization.py compares the two on the test model)."""
    go_offline()
    progress(0.05)
    import torch

    for name in ("nemo_logger", "nemo", "lightning", "pytorch_lightning", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from nemo.collections.asr.models import SortformerEncLabelModel
    from nemo.utils import logging as nemo_logging

    nemo_logging.setLevel(logging.ERROR)
    progress(0.7)
    info = choose_device(device, torch)
    try:
        model = SortformerEncLabelModel.restore_from(str(path), map_location=torch.device(info.kind))
    except Exception as exc:  # NeMo raises many types for a bad archive, or one of another model class
        raise errors.BadInput(f"The diarization model {path.name} could not be loaded: {type(exc).__name__}.") from exc
    model.eval()
    if streaming is not None:
        model.streaming_mode = streaming
    progress(1.0)
    return NemoDiarizer(model, model_id=model_id, device=info, torch=torch)


#: How a streaming Sortformer (NVIDIA's ``diar_streaming_sortformer_4spk-v2`` and ``-v2.1``) runs over a
#: whole recording: the setting of its model card with the most context (30.4 s of latency), the most
#: accurate one, as nothing waits on it here. In 80 ms frames; left context stays the model's own.
STREAMING_SETTINGS = {
    "chunk_len": 340,
    "chunk_right_context": 40,
    "fifo_len": 40,
    "spkcache_update_period": 300,
    "spkcache_len": 188,
}

#: Extra audio, in feature frames, computed on each side of a streamed chunk and thrown away, so that
#: the chunk's own frames come out as they would from the whole recording (STFT window, pre-emphasis).
_FEATURE_MARGIN = 16


class NemoDiarizer:
    """Sortformer on in-memory audio: `forward(audio_signal, audio_signal_length)` takes tensors, so
    nothing is written (its `diarize()` wants paths or manifests, which would put audio on disk).

    An offline Sortformer (``diar_sortformer_4spk-v1``, the test model) sees audio longer than its
    session length (``session_len_sec``; 90 s for NVIDIA's) in windows overlapping by a third, joined
    by `core.diarization.stitch`. A streaming one (its config's ``streaming_mode``) runs once over the
    whole recording, chunk by chunk, keeping NeMo's speaker cache from chunk to chunk, so no joins are
    needed: this is NeMo's own `forward_streaming` loop, driven here so that the audio is read and
    featurised one chunk at a time, and progress and cancel are checked between chunks.
    """

    def __init__(self, model: Any, *, model_id: str, device: DeviceInfo, torch: Any) -> None:
        self._model = model
        self._model_id = model_id
        self._device = device
        self._torch = torch
        cfg = model.cfg
        self.frame_s = float(cfg.preprocessor.window_stride) * int(cfg.encoder.subsampling_factor)
        self.window_s = float(cfg.get("session_len_sec", 90.0))
        self.streaming = bool(getattr(model, "streaming_mode", False))
        if self.streaming:
            for name, value in STREAMING_SETTINGS.items():
                setattr(model.sortformer_modules, name, value)

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return self._device

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Per-frame speaker probabilities of one window, (frames, speakers), sorted by arrival."""
        torch = self._torch
        signal, length = _one_item_batch(torch, samples, self._model.device)
        with torch.inference_mode():
            preds = self._model.forward(audio_signal=signal, audio_signal_length=length)
        out: np.ndarray = preds[0].float().cpu().numpy()
        return out

    def diarize(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> Diarization:
        progress(0.0)
        if self.streaming:
            joined = self.streamed_probabilities(audio, progress=progress, cancel=cancel)
        else:
            joined = self._windowed_probabilities(audio, progress=progress, cancel=cancel)
        progress(1.0)
        turns = turns_from_probabilities(joined, frame_s=self.frame_s)
        return Diarization(tuple(turns), self._model_id, audio.num_samples / SAMPLE_RATE)

    def _windowed_probabilities(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> np.ndarray:
        total = audio.num_samples
        win = max(1, int(self.window_s * SAMPLE_RATE))
        hop = max(1, win - win // 3)
        frame = self.frame_s * SAMPLE_RATE
        total_frames = int(np.ceil(total / frame))
        windows: list[WindowProbs] = []
        start = 0
        while True:
            cancel.raise_if_cancelled()
            count = min(win, total - start)
            if count <= 0:
                break
            probs = self.probabilities(audio.read(start, count))
            windows.append(WindowProbs(round(start / frame), probs))
            progress(min(1.0, (start + count) / max(1, total)))
            if start + count >= total:
                break
            start += hop
        return stitch(windows, total_frames)

    def streamed_probabilities(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> np.ndarray:
        """(frames, speakers) for the whole recording, from a streaming Sortformer.

        The chunks, their left and right context and the state are those of NeMo's
        `SortformerEncLabelModel.forward_streaming` (through its `streaming_feat_loader` arithmetic and
        `forward_streaming_step`), so the result is what `forward()` gives on the whole recording
        (tests/asr/test_diarization_real.py compares them) without the whole recording's audio or
        features in memory at once. That holds for models whose features are not normalised over the
        whole signal, as NVIDIA's streaming ones; one that normalises per feature (the test model) is
        normalised per chunk here.
        """
        torch, model = self._torch, self._model
        modules = model.sortformer_modules
        sub = int(modules.subsampling_factor)
        total = audio.num_samples
        if total == 0:
            return np.zeros((0, int(modules.n_spk)), np.float32)
        featurizer = model.preprocessor.featurizer
        hop = int(featurizer.hop_length)
        feat_len = int(featurizer.get_seq_len(torch.tensor([total], dtype=torch.float32)).item())
        steps = -(-feat_len // (modules.chunk_len * sub))
        device = model.device
        with torch.inference_mode(), _streaming_features(model):
            state = modules.init_streaming_state(batch_size=1, async_streaming=model.async_streaming, device=device)
            preds = torch.zeros((1, 0, modules.n_spk), device=device)
            start, step = 0, 0
            while start < feat_len:
                cancel.raise_if_cancelled()
                left = min(modules.chunk_left_context * sub, start)
                end = min(start + modules.chunk_len * sub, feat_len)
                right = min(modules.chunk_right_context * sub, feat_len - end)
                feats = self._features(audio, start - left, end + right, hop=hop)
                lengths = torch.tensor([feats.shape[1]], device=device)
                state, preds = model.forward_streaming_step(
                    processed_signal=feats, processed_signal_length=lengths, streaming_state=state,
                    total_preds=preds, left_offset=left, right_offset=right,
                )
                start, step = end, step + 1
                progress(min(1.0, step / steps))
        out: np.ndarray = preds[0].float().cpu().numpy()
        return out

    def _features(self, audio: AudioSource, first: int, stop: int, *, hop: int) -> Any:
        """Feature frames [first, stop) of the recording, (1, frames, features), computed from that
        stretch of audio plus a margin: frame i is centred on sample i * hop."""
        torch, model = self._torch, self._model
        lo = max(0, first - _FEATURE_MARGIN) * hop
        hi = min(audio.num_samples, (stop + _FEATURE_MARGIN) * hop)
        samples = audio.read(lo, hi - lo)
        signal, length = _one_item_batch(torch, samples, model.device)
        feats, _ = model.preprocessor(input_signal=signal, length=length)
        offset = lo // hop
        return feats[:, :, first - offset : stop - offset].transpose(1, 2)
