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
from core.asr import nemo_engine
from core.asr.engine import SAMPLE_RATE, ArraySource, DeviceInfo, TranscribeOptions
from core.jobs import CancelToken


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


def engine(model: FakeModel, kind: str = "cuda") -> nemo_engine.NemoEngine:
    info = DeviceInfo(kind, "fake", "float32", "test")
    return nemo_engine.NemoEngine(model, model_id="fake", device=info, torch=fake_torch())


def run(eng: nemo_engine.NemoEngine, seconds: int, tmp: Path, **opts: Any) -> Any:
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
    cpu = nemo_engine.choose_device("auto", torch)
    assert cpu.kind == "cpu" and cpu.reason == "no CUDA GPU was found"
    with pytest.raises(errors.UsageError, match="CUDA"):
        nemo_engine.choose_device("cuda", torch)
    torch.cuda.is_available = lambda: True
    torch.cuda.is_bf16_supported = lambda: True
    torch.cuda.get_device_name = lambda i: "NVIDIA H100"
    gpu = nemo_engine.choose_device("auto", torch)
    assert (gpu.kind, gpu.dtype, gpu.name) == ("cuda", "bfloat16", "NVIDIA H100")
    assert nemo_engine.choose_device("cpu", torch).reason == "the CPU was asked for"
