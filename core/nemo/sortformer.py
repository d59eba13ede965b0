"""Sortformer diarization (NeMo's `SortformerEncLabelModel`) on in-memory audio.

Restored, as every NeMo model is, by `core.nemo.runtime.restore_verified` (weights only, eval mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from core.asr.engine import SAMPLE_RATE, AudioSource, DeviceInfo
from core.diarization.frames import turns_from_probabilities
from core.diarization.stitch import WindowProbs, stitch
from core.diarization.types import Diarization
from core.nemo.runtime import one_item_batch, restore_verified, streaming_features
from core.progress import CancelToken, Progress, no_progress


def load_diarizer(
    path: Path, *, model_id: str, device: str = "auto", progress: Progress = no_progress, streaming: bool | None = None
) -> NemoDiarizer:
    """Restore a verified local Sortformer `.nemo` (NeMo's `SortformerEncLabelModel`).

    ``streaming``: None runs the model as its config says (``streaming_mode``); True runs an offline
    model through the streaming loop (bench/diarization.py compares the two on the test model)."""
    restored = restore_verified(
        path,
        model_class="SortformerEncLabelModel",
        device=device,
        failure=f"The diarization model {path.name} could not be loaded",
        progress=progress,
    )
    if streaming is not None:
        restored.model.streaming_mode = streaming
    return NemoDiarizer(restored.model, model_id=model_id, device=restored.device, torch=restored.torch)


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
        signal, length = one_item_batch(torch, samples, self._model.device)
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
        with torch.inference_mode(), streaming_features(model):
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
        signal, length = one_item_batch(torch, samples, model.device)
        feats, _ = model.preprocessor(input_signal=signal, length=length)
        offset = lo // hop
        return feats[:, :, first - offset : stop - offset].transpose(1, 2)
