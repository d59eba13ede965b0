"""Parakeet TDT (and any NeMo transducer `.nemo`) through nemo_toolkit: the speech engine and its live stream.

Torch and NeMo's modules come from `core.nemo.runtime`, which imports them inside functions: `import
nemo.collections.asr` takes 12-18 s on a laptop CPU, so nothing on the GUI's start-up path may reach it.
`load()` reports its stages as progress and runs on a worker thread.

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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.asr import chunking
from core.asr.boosting import BOOST_CONTEXT_SCORE, BOOST_DEPTH_SCALING, phrase_forms
from core.asr.buffered import BufferedStream
from core.asr.engine import (
    DEFAULT_BOOST_WEIGHT,
    SAMPLE_RATE,
    AsrTranscript,
    AsrWord,
    AudioSource,
    DeviceInfo,
    TranscribeOptions,
)
from core.asr.live import MODEL_CARD, StreamOptions
from core.nemo.runtime import (
    one_item_batch,
    private_tempdir,
    restore_verified,
    streaming_features,
    token_frames,
)
from core.progress import CancelToken, Progress, no_progress
from core.security.sandbox import SandboxReport

#: Chosen by measurement in bench/asr.py (bench/RESULTS.md): limited context keeps cost linear in
#: window length, was faster than full attention on 30 s windows and no less accurate on the test model.
DEFAULT_ATTENTION = "local"
log = logging.getLogger(__name__)


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

    def local_attention(model: Any) -> None:
        model.change_attention_model("rel_pos_local_attn", [128, 128])
        model.change_subsampling_conv_chunking_factor(1)

    restored = restore_verified(
        path,
        model_class="ASRModel",
        device=device,
        failure=f"The model file of {model_id} could not be loaded",
        prepare=local_attention if attention == "local" else None,
        progress=progress,
        cancel=cancel,
    )
    return NemoEngine(restored.model, model_id=model_id, device=restored.device, torch=restored.torch)


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
        return chunking.transcript(
            words, model_id=self._model_id, device=self._device, num_samples=total, language=options.language
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


class NemoStream(BufferedStream):
    """Buffered streaming for a transducer (RNNT/TDT) model, as NeMo's
    ``speech_to_text_streaming_infer_rnnt.py`` does it (core.asr.buffered): each step runs the encoder
    over [left context | chunk | right context] and decodes the chunk's frames with the label-looping
    decoder's state carried over from the previous chunk; the right context is decoded speculatively
    from a copy of that state.
    """

    def __init__(self, engine: NemoEngine, options: StreamOptions) -> None:
        model = engine.nemo_model
        self._engine = engine
        self._model = model
        self._torch = engine._torch
        hop = round(float(model.cfg.preprocessor.window_stride) * SAMPLE_RATE)
        frame = hop * int(getattr(model.encoder, "subsampling_factor", 8))
        super().__init__(options, frame_samples=frame, defaults=MODEL_CARD)
        self._state: Any = None
        self._computer = self._decoding_computer()

    def _decoding_computer(self) -> Any:
        computer = _decoding_computer(self._model)
        if computer is None:
            raise errors.ModelError("This speech model cannot decode a stream (no label-looping decoder).")
        with contextlib.suppress(AttributeError):
            computer.disable_cuda_graphs()
        return computer

    def _reset(self) -> None:
        self._state = None

    def _decode_step(
        self, buffer: np.ndarray, *, left_frames: int, chunk: int, right: int, last: bool
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        torch = self._torch
        # NeMo's transcribe() ends by unfreezing the encoder, which puts it back in training mode
        # (dropout on): every step makes sure the model is in eval mode, or the stream is not deterministic.
        self._model.eval()
        with torch.inference_mode(), streaming_features(self._model):
            signal, length = one_item_batch(torch, buffer, self._model.device)
            encoded, encoded_len = self._model(input_signal=signal, input_signal_length=length)
            encoded = encoded.transpose(1, 2)[:, left_frames:]
            available = int(encoded_len[0]) - left_frames
            chunk_frames = self.chunk_frames(chunk, available, last=last)
            hyps, self._state = self._computer(
                x=encoded, out_len=torch.tensor([chunk_frames], device=signal.device), prev_batched_state=self._state
            )
            committed = token_frames(hyps)
            speculative: list[tuple[Any, ...]] = []
            right_frames = min(available - chunk_frames, right // self._frame)
            if right_frames > 0:
                guess, _ = self._computer(
                    x=encoded[:, chunk_frames:],
                    out_len=torch.tensor([right_frames], device=signal.device),
                    prev_batched_state=copy.deepcopy(self._state),  # the decoder updates its state in place
                )
                speculative = token_frames(guess)
        return committed, speculative

    def _starts_word(self, token: tuple[Any, ...]) -> bool:
        piece = str(self._model.tokenizer.ids_to_tokens([token[0]])[0])
        return piece.startswith("\u2581")

    def _to_words(self, tokens: Sequence[tuple[Any, ...]]) -> list[AsrWord]:
        groups: list[list[tuple[Any, ...]]] = []
        for token in tokens:
            if not groups or self._starts_word(token):
                groups.append([])
            groups[-1].append(token)
        words = []
        for group in groups:
            text = str(self._model.tokenizer.ids_to_text([t[0] for t in group])).strip()
            if text:
                start, end = group[0][1] * self._frame_s, (group[-1][1] + 1) * self._frame_s
                words.append(AsrWord(text, round(start, 3), round(end, 3)))
        return words


def _decoding_computer(model: Any) -> Any:
    """The label-looping decoder that streaming carries state through (greedy_batch), or None."""
    decoding = getattr(getattr(model, "decoding", None), "decoding", None)
    return getattr(decoding, "decoding_computer", None)
