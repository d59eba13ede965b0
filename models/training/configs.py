"""Model configs the training recipes share, as plain dicts: importing this needs neither torch nor NeMo."""

from __future__ import annotations

from typing import Any


def preprocessor_config() -> dict[str, Any]:
    """80 log-mel features every 10 ms, as Parakeet's (shared by the ASR and diarization test models)."""
    return {
        "_target_": "nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor",
        "sample_rate": 16000, "normalize": "per_feature", "window_size": 0.025, "window_stride": 0.01,
        "window": "hann", "features": 80, "n_fft": 512, "frame_splicing": 1, "dither": 1e-5, "pad_to": 0,
    }  # fmt: skip


def conformer_config(d_model: int, *, n_layers: int) -> dict[str, Any]:
    """A small FastConformer (8x depthwise-striding subsampling), as the test models use it."""
    return {
        "_target_": "nemo.collections.asr.modules.ConformerEncoder",
        "feat_in": 80, "feat_out": -1, "n_layers": n_layers, "d_model": d_model,
        "subsampling": "dw_striding", "subsampling_factor": 8, "subsampling_conv_channels": 64,
        "causal_downsampling": False, "ff_expansion_factor": 4, "self_attention_model": "rel_pos",
        "n_heads": 4, "att_context_size": [-1, -1], "xscaling": True, "untie_biases": True,
        "pos_emb_max_len": 5000, "conv_kernel_size": 9, "conv_norm_type": "batch_norm",
        "dropout": 0.1, "dropout_pre_encoder": 0.1, "dropout_emb": 0.0, "dropout_att": 0.1,
    }  # fmt: skip
