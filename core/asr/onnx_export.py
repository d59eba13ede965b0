"""A verified NeMo TDT model, exported to ONNX for `core.asr.onnx_engine`, with its encoder quantised to int8.

Runs in the sandboxed model child, on a model `core.nemo.asr.load` restored from a `.nemo` the store
had just verified: the user never trusts a file from elsewhere, only what their own verified model
became. This module imports neither torch nor NeMo: it calls the restored model's own `export()`
(NeMo writes the encoder and the decoder+joint, `RNNTDecoderJoint`), then quantises the encoder with
ONNX Runtime's dynamic int8 quantisation, and writes beside them what decoding needs that the graphs do
not hold: the feature extractor's filterbank and window (`features.npz`) and the vocabulary, blank,
TDT durations and strides (`meta.json`). Only model files are written, into a folder of the child's
own; the store hashes them and moves them into place (`models.store.ModelStore.install_export`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.progress import CancelToken, Progress, no_progress

#: The files of an export, as the engine loads them.
ENCODER_INT8 = "encoder.int8.onnx"
#: The float encoder as NeMo wrote it (``encoder-model.onnx``, with any external data), kept only for
#: the benchmark (``keep_fp32``); never hashed, never loaded by the product.
FP32_DIR = "fp32"
DECODER_JOINT = "decoder_joint.onnx"
FEATURES = "features.npz"
META = "meta.json"
FORMAT = 1


def export(
    model: Any,
    out_dir: Path,
    *,
    keep_fp32: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[str]:
    """Write the export of ``model`` (a restored NeMo TDT model) into the empty folder ``out_dir``; the
    names of the files written. Raises ``ModelError`` for a model that is not a TDT transducer."""
    cancel = cancel or CancelToken()
    meta = _meta(model)
    progress(0.02)
    raw = out_dir / "raw"
    raw.mkdir()
    attention = str(model.cfg.encoder.get("self_attention_model", "rel_pos"))
    context = list(model.cfg.encoder.get("att_context_size") or [-1, -1])
    try:
        model.eval()
        if attention == "rel_pos_local_attn":
            # Traced, NeMo's limited-context attention keeps the padding of the example's length: the graph
            # then differs from the model on any longer window (measured: encoder frames off by up to 2.1 on
            # a 20 s clip). Full attention traces exactly, and on 120 s windows its cost is small beside the
            # feed-forward layers'.
            model.change_attention_model("rel_pos", [-1, -1])
        model.export(str(raw / "model.onnx"))  # NeMo names them encoder-model.onnx and decoder_joint-model.onnx
    except Exception as exc:  # torch's exporter raises many types
        raise errors.ModelError(f"The model could not be exported to ONNX: {type(exc).__name__}.") from exc
    finally:
        if attention == "rel_pos_local_attn":
            model.change_attention_model(attention, context)
    cancel.raise_if_cancelled()
    progress(0.6)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    encoder = raw / "encoder-model.onnx"
    # MatMul only: the weights that matter (attention, feed-forward), and ONNX Runtime's CPU kernels for
    # int8 convolutions are missing or slower than float ones.
    quantize_dynamic(
        encoder, out_dir / ENCODER_INT8, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
        per_channel=False,
    )
    cancel.raise_if_cancelled()
    progress(0.9)
    os.replace(raw / "decoder_joint-model.onnx", out_dir / DECODER_JOINT)
    names = [ENCODER_INT8, DECODER_JOINT, FEATURES, META]
    if keep_fp32:  # for the benchmark only: kept as written (a large one has external data beside it)
        raw.rename(out_dir / FP32_DIR)
    else:
        for leftover in raw.iterdir():
            leftover.unlink()
        raw.rmdir()
    featurizer = model.preprocessor.featurizer
    np.savez(
        out_dir / FEATURES,
        filterbank=featurizer.fb.detach().cpu().numpy().astype(np.float32)[0],
        window=featurizer.window.detach().cpu().numpy().astype(np.float32),
    )
    (out_dir / META).write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
    progress(1.0)
    return names


def _meta(model: Any) -> dict[str, Any]:
    cfg = model.cfg
    decoding = cfg.get("decoding") or {}
    durations = list(decoding.get("durations") or [])
    if decoding.get("model_type") != "tdt" or not durations:
        raise errors.ModelError("Only TDT transducers (Parakeet TDT) can run on the ONNX engine.")
    featurizer = model.preprocessor.featurizer
    normalize = featurizer.normalize
    if featurizer.frame_splicing != 1 or normalize not in ("per_feature", None) or not featurizer.log:
        raise errors.ModelError("This model's features cannot be computed by the ONNX engine.")
    tokenizer = model.tokenizer
    vocabulary = [str(piece) for piece in tokenizer.ids_to_tokens(list(range(tokenizer.vocab_size)))]
    greedy = decoding.get("greedy") or {}
    return {
        "format": FORMAT,
        "vocabulary": vocabulary,
        "blank": len(vocabulary),
        "durations": [int(d) for d in durations],
        "max_symbols": int(greedy.get("max_symbols") or 10),
        "pred_rnn_layers": int(model.decoder.pred_rnn_layers),
        "pred_hidden": int(model.decoder.pred_hidden),
        "subsampling_factor": int(cfg.encoder.subsampling_factor),
        "features": {
            "sample_rate": int(featurizer.sample_rate) if hasattr(featurizer, "sample_rate") else 16000,
            "n_fft": int(featurizer.n_fft),
            "hop_length": int(featurizer.hop_length),
            "win_length": int(featurizer.win_length),
            "preemph": None if featurizer.preemph is None else float(featurizer.preemph),
            "mag_power": float(featurizer.mag_power),
            "log_guard": _log_guard(featurizer),
            "log_guard_type": str(featurizer.log_zero_guard_type),
            "normalize": normalize,
            "pad_to": int(featurizer.pad_to) if isinstance(featurizer.pad_to, int) else 0,
            "pad_value": float(featurizer.pad_value),
            "window_stride_s": float(cfg.preprocessor.window_stride),
        },
    }


def _log_guard(featurizer: Any) -> float:
    value = featurizer.log_zero_guard_value
    if isinstance(value, str):  # "tiny" or "eps": NeMo takes them from float32's limits
        info = np.finfo(np.float32)
        return float(info.tiny if value == "tiny" else info.eps)
    return float(value)
