"""The NeMo adapter's own logic with a stand-in model and torch: batching, OOM retries, CPU fallback,
the private temp dir, cancel, and the normalisation of NeMo's hypotheses. The real model is in
test_nemo_real.py."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from core import errors
from core.asr.engine import DEFAULT_BOOST_WEIGHT, SAMPLE_RATE, ArraySource, DeviceInfo, TranscribeOptions
from core.nemo import asr as nemo_asr
from core.nemo import runtime
from core.progress import CancelToken


class FakeOOM(RuntimeError):
    pass


def fake_torch() -> Any:
    cuda = SimpleNamespace(OutOfMemoryError=FakeOOM, empty_cache=lambda: None, is_available=lambda: False)
    return SimpleNamespace(
        cuda=cuda, inference_mode=contextlib.nullcontext, device=lambda kind: kind, set_num_threads=lambda n: None,
        autocast=lambda *a, **k: contextlib.nullcontext(), bfloat16="bf16",
    )


def bursts(seconds: int) -> np.ndarray:
    """Silence with a 50 ms burst at k + 0.5 s for every whole second k: one "word" each."""
    x = np.zeros(seconds * SAMPLE_RATE, np.float32)
    for k in range(seconds):
        at = int((k + 0.5) * SAMPLE_RATE)
        x[at : at + SAMPLE_RATE // 20] = 0.9
    return x


class FakeModel:
    """Says a word for every burst it hears, with NeMo's timestamp shape; can run out of memory."""

    def __init__(self, oom_above: int | None = None) -> None:
        self.oom_above = oom_above
        self.batches: list[int] = []
        self.moved_to: str | None = None
        self.tempdirs: list[str | None] = []
        self.cfg = SimpleNamespace(preprocessor=SimpleNamespace(window_stride=0.01))
        self.encoder = SimpleNamespace(subsampling_factor=8)

    def transcribe(self, arrays: list[np.ndarray], **kwargs: Any) -> list[Any]:
        assert all(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in arrays), "arrays, never paths"
        assert kwargs["timestamps"] is True
        self.tempdirs.append(tempfile.gettempdir())
        if self.oom_above is not None and self.moved_to != "cpu" and len(arrays) > self.oom_above:
            raise FakeOOM("CUDA out of memory")
        self.batches.append(len(arrays))
        out = []
        for a in arrays:
            loud = np.flatnonzero(a > 0.5)
            onsets = loud[np.diff(loud, prepend=-10) > 1] / SAMPLE_RATE
            words = [{"word": "w", "start_offset": 0, "end_offset": 0, "start": t, "end": t + 0.05} for t in onsets]
            out.append(SimpleNamespace(text=" ".join(w["word"] for w in words), timestamp={"word": words}))
        return out

    def to(self, device: str) -> None:
        self.moved_to = device


def engine(model: FakeModel, kind: str = "cuda") -> nemo_asr.NemoEngine:
    info = DeviceInfo(kind, "fake", "float32", "test")
    return nemo_asr.NemoEngine(model, model_id="fake", device=info, torch=fake_torch())


def run(eng: nemo_asr.NemoEngine, seconds: int, tmp: Path, **opts: Any) -> Any:
    audio = ArraySource(bursts(seconds))
    options = TranscribeOptions(chunk_s=10, overlap_s=1, temp_dir=tmp, **opts)
    seen: list[float] = []
    out = eng.transcribe(audio, options, progress=seen.append, cancel=CancelToken())
    return out, seen


def test_windows_are_stitched_into_one_timeline_once(tmp_path: Path) -> None:
    out, progress = run(engine(FakeModel()), 95, tmp_path, batch_size=4)
    assert [round(w.start_s, 2) for w in out.words] == [k + 0.5 for k in range(95)]
    assert progress[0] == 0.0 and progress[-1] == 1.0 and progress == sorted(progress)


def test_oom_halves_the_batch_then_goes_on(tmp_path: Path) -> None:
    model = FakeModel(oom_above=2)
    eng = engine(model)
    out, _ = run(eng, 95, tmp_path, batch_size=8)
    assert set(model.batches) <= {1, 2} and out.words
    assert eng.device.kind == "cuda"


def test_oom_at_batch_one_falls_back_to_the_cpu_and_says_why(tmp_path: Path) -> None:
    model = FakeModel(oom_above=0)
    eng = engine(model)
    out, _ = run(eng, 30, tmp_path, batch_size=4)
    assert model.moved_to == "cpu" and out.words
    assert eng.device.kind == "cpu" and "ran out of memory" in eng.device.reason
    assert out.device.kind == "cpu"


def test_nemo_works_in_a_private_temp_dir_that_is_wiped(tmp_path: Path) -> None:
    model = FakeModel()
    before = tempfile.gettempdir()
    run(engine(model), 25, tmp_path)
    assert all(d is not None and Path(d).parent == tmp_path for d in model.tempdirs)
    assert list(tmp_path.iterdir()) == [] and tempfile.gettempdir() == before


def test_temp_dir_is_wiped_on_failure_too(tmp_path: Path) -> None:
    class Broken(FakeModel):
        def transcribe(self, arrays: list[np.ndarray], **kwargs: Any) -> list[Any]:
            Path(tempfile.gettempdir(), "manifest.json").write_text("would-be plaintext")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run(engine(Broken()), 5, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cancel_is_checked_between_batches(tmp_path: Path) -> None:
    model = FakeModel()
    eng = engine(model)
    cancel = CancelToken()

    def progress(fraction: float) -> None:
        if fraction > 0:
            cancel.cancel()

    audio = ArraySource(np.zeros(60 * SAMPLE_RATE, np.float32))
    with pytest.raises(errors.Cancelled):
        eng.transcribe(audio, TranscribeOptions(batch_size=1, chunk_s=10, overlap_s=1, temp_dir=tmp_path),
                       progress=progress, cancel=cancel)
    assert len(model.batches) == 1 and list(tmp_path.iterdir()) == []


def test_frame_offsets_are_used_when_nemo_gives_no_seconds() -> None:
    hyp = SimpleNamespace(text="hi there", timestamp={"word": [
        {"word": "hi", "start_offset": 5, "end_offset": 7}, {"word": "there", "start_offset": 9, "end_offset": 12}]})
    words = engine(FakeModel())._words(hyp)
    assert [(w.text, w.start_s, w.end_s) for w in words] == [("hi", 0.4, 0.56), ("there", 0.72, 0.96)]


def test_choose_device_explains_itself() -> None:
    torch = fake_torch()
    cpu = runtime.choose_device("auto", torch)
    assert cpu.kind == "cpu" and cpu.reason == "no CUDA GPU was found"
    with pytest.raises(errors.UsageError, match="CUDA"):
        runtime.choose_device("cuda", torch)
    torch.cuda.is_available = lambda: True
    torch.cuda.is_bf16_supported = lambda: True
    torch.cuda.get_device_name = lambda i: "NVIDIA H100"
    gpu = runtime.choose_device("auto", torch)
    assert (gpu.kind, gpu.dtype, gpu.name) == ("cuda", "bfloat16", "NVIDIA H100")
    assert runtime.choose_device("cpu", torch).reason == "the CPU was asked for"


class BoostableModel(FakeModel):
    """Keeps NeMo's decoding config and records every rebuild of the decoder, as `change_decoding_strategy`."""

    def __init__(self, vocab: list[str] | None = None, strategy: str = "greedy_batch") -> None:
        from omegaconf import OmegaConf

        super().__init__()
        self.cfg.decoding = OmegaConf.create({"strategy": strategy, "model_type": "tdt", "durations": [0, 1, 2],
                                              "greedy": {"max_symbols": 10}})
        self.tokenizer = SimpleNamespace(vocab=vocab or ["<unk>", "▁a", "b", "▁th"])
        self.rebuilds: list[Any] = []

    def change_decoding_strategy(self, decoding_cfg: Any, verbose: bool = True) -> None:
        assert verbose is False, "NeMo's verbose rebuild logs the whole config, phrases included"
        self.rebuilds.append(decoding_cfg)
        self.cfg.decoding = decoding_cfg


def boost(eng: nemo_asr.NemoEngine, tmp: Path, seconds: int = 5, **opts: Any) -> None:
    eng.transcribe(ArraySource(bursts(seconds)), TranscribeOptions(chunk_s=10, overlap_s=1, temp_dir=tmp, **opts),
                   progress=lambda f: None, cancel=CancelToken())


def test_without_phrases_the_decoder_is_left_as_loaded(tmp_path: Path) -> None:
    model = BoostableModel()
    boost(engine(model), tmp_path)
    assert model.rebuilds == [] and "boosting_tree" not in model.cfg.decoding.greedy


def test_phrases_go_to_nemos_boosting_tree_in_memory_with_the_default_weight(tmp_path: Path) -> None:
    model = BoostableModel()
    boost(engine(model), tmp_path, phrases=("Metoprolol", " Anna  Kowalski ", "metoprolol", ""))
    (cfg,) = model.rebuilds
    tree = cfg.greedy.boosting_tree
    assert list(tree.key_phrases_list) == ["metoprolol", "anna kowalski"]  # lowercase model: as it writes
    assert tree.key_phrases_file is None and tree.model_path is None, "never a file: the phrases stay in memory"
    assert cfg.greedy.boosting_tree_alpha == DEFAULT_BOOST_WEIGHT
    assert cfg.compute_timestamps is True and cfg.strategy == "greedy_batch" and cfg.greedy.max_symbols == 10


def test_the_tree_is_built_once_for_all_windows_and_calls_with_the_same_lists(tmp_path: Path) -> None:
    model = BoostableModel()
    eng = engine(model)
    boost(eng, tmp_path, seconds=45, phrases=("kowalski",), boost_weight=0.5, batch_size=1)  # 5 windows
    boost(eng, tmp_path, phrases=("kowalski",), boost_weight=0.5)
    assert len(model.rebuilds) == 1 and len(model.batches) > 2
    boost(eng, tmp_path, phrases=("kowalski",), boost_weight=0.7)
    assert len(model.rebuilds) == 2 and model.rebuilds[-1].greedy.boosting_tree_alpha == 0.7
    boost(eng, tmp_path, phrases=("kowalski", "novak"), boost_weight=0.7)
    assert list(model.rebuilds[-1].greedy.boosting_tree.key_phrases_list) == ["kowalski", "novak"]


def test_dropping_the_phrases_removes_the_tree(tmp_path: Path) -> None:
    model = BoostableModel()
    eng = engine(model)
    boost(eng, tmp_path, phrases=("kowalski",))
    boost(eng, tmp_path)
    assert len(model.rebuilds) == 2
    last = model.rebuilds[-1]
    assert "boosting_tree" not in last.greedy and last.greedy.boosting_tree_alpha == 0.0
    assert last.compute_timestamps is True, "word timestamps survive the rebuild"
    boost(eng, tmp_path)
    assert len(model.rebuilds) == 2


def test_a_cased_model_gets_the_phrases_as_typed(tmp_path: Path) -> None:
    assert nemo_asr.phrase_forms(("Metoprolol", "iPhone"), ["▁M", "e"]) == ["Metoprolol", "iPhone"]
    assert nemo_asr.phrase_forms(("Metoprolol", "iPhone"), ["▁m", "e"]) == ["metoprolol", "iphone"]


def test_plain_greedy_is_switched_to_the_batched_decoder_that_fuses(tmp_path: Path) -> None:
    model = BoostableModel(strategy="greedy")
    boost(engine(model), tmp_path, phrases=("kowalski",))
    assert model.rebuilds[-1].strategy == "greedy_batch"


def test_a_negative_or_nan_weight_is_refused_before_nemo_sees_it(tmp_path: Path) -> None:
    model = BoostableModel()
    for bad in (-1.0, float("nan")):
        with pytest.raises(errors.UsageError, match="boost weight"):
            boost(engine(model), tmp_path, phrases=("kowalski",), boost_weight=bad)
    assert model.rebuilds == [] and list(tmp_path.iterdir()) == []


def test_a_failed_rebuild_is_reported_without_the_phrases_and_retried(tmp_path: Path) -> None:
    class Failing(BoostableModel):
        fail = True

        def change_decoding_strategy(self, decoding_cfg: Any, verbose: bool = True) -> None:
            if self.fail:
                raise ValueError("tokenizer choked on 'kowalski'")
            super().change_decoding_strategy(decoding_cfg, verbose)

    model = Failing()
    eng = engine(model)
    with pytest.raises(errors.VaultScribeError) as caught:
        boost(eng, tmp_path, phrases=("kowalski",))
    assert "kowalski" not in str(caught.value) and "ValueError" in str(caught.value)
    model.fail = False
    boost(eng, tmp_path)  # no phrases now, but the decoder's state is unknown: rebuilt without a tree
    assert len(model.rebuilds) == 1 and "boosting_tree" not in model.rebuilds[0].greedy
