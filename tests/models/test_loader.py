"""The default engine factory, with the model store and NeMo replaced: what it resolves and translates."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from core import errors
from core.nemo import asr as nemo_asr
from models import loader
from models.manifest import MANIFEST, ModelSpec
from tests.core.fake_asr import FakeEngine


def _spec(model_id: str, kind: str = "asr") -> ModelSpec:
    return dataclasses.replace(MANIFEST[0], id=model_id, kind=kind)  # type: ignore[arg-type]


class FakeStore:
    """Stands in for models.store.ModelStore: every id is installed under /models."""

    imported: ClassVar[list[Path]] = []
    exported: ClassVar[bool] = False  # whether every model has a verified ONNX export
    manifest = (*MANIFEST, _spec("some/id"))

    def __init__(self, root: Path) -> None:
        self.root = root

    def open_verified(self, model_id: str, **_: Any) -> Any:
        return contextlib.nullcontext(SimpleNamespace(load_path=Path("/models") / model_id.replace("/", "_")))

    def has_export(self, model_id: str) -> bool:
        return self.exported

    def import_file(self, path: Path, **_: Any) -> list[Any]:
        self.imported.append(path)
        return [_spec("imported/model")]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_load(path: Path, **kwargs: Any) -> FakeEngine:
        calls.append({"path": path, **kwargs})
        kwargs["progress"](1.0)
        return FakeEngine(model_id=kwargs["model_id"])

    FakeStore.imported, FakeStore.exported = [], False
    monkeypatch.setattr(loader, "system_store", lambda: FakeStore(Path("unused")))
    monkeypatch.setattr(nemo_asr, "load", fake_load)
    return calls


def test_no_model_means_the_default_id_verified_by_the_store(loads: list[dict[str, Any]]) -> None:
    progress: list[float] = []
    engine = loader.load_engine(None, "cpu", progress.append)
    assert engine.model_id == loader.DEFAULT_MODEL_ID
    (call,) = loads
    assert call["path"] == Path("/models/nvidia_parakeet-tdt-0.6b-v2")
    assert (call["model_id"], call["device"]) == (loader.DEFAULT_MODEL_ID, "cpu")
    assert progress[-1] == 1.0


def test_a_nemo_path_is_imported_through_the_store_first(loads: list[dict[str, Any]]) -> None:
    engine = loader.load_engine("~/Downloads/model.nemo", "auto", lambda _f: None)
    assert FakeStore.imported == [Path("~/Downloads/model.nemo").expanduser()]
    assert engine.model_id == "imported/model"
    assert loads[0]["path"] == Path("/models/imported_model")


def test_a_model_of_the_other_kind_is_refused_before_loading(loads: list[dict[str, Any]]) -> None:
    with pytest.raises(errors.BadInput, match="tells speakers apart; it cannot transcribe"):
        loader.load_engine(loader.DEFAULT_DIARIZER_ID, "cpu", lambda _f: None)
    with pytest.raises(errors.BadInput, match="is a speech model, not a speaker"):
        loader.load_diarizer(FakeStore(Path("unused")), loader.DEFAULT_MODEL_ID, "cpu", lambda _f: None)  # type: ignore[arg-type]
    assert loads == []


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (ImportError("no torch", name="torch"), errors.ModelError),
        (RuntimeError("CUDA error: device-side assert"), errors.ModelError),
        (errors.UsageError("A CUDA GPU was asked for"), errors.UsageError),
    ],
)
def test_load_errors_join_the_error_tree(
    loads: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, raised: Exception, expected: type[Exception]
) -> None:
    def failing(path: Path, **kwargs: Any) -> FakeEngine:
        raise raised

    monkeypatch.setattr(nemo_asr, "load", failing)
    with pytest.raises(expected) as info:
        loader.load_engine("some/id", "cuda", lambda _f: None)
    assert "device-side" not in str(info.value)


@pytest.mark.parametrize("debug", [False, True])
def test_the_debug_switch_prints_where_loading_failed(
    loads: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], debug: bool
) -> None:
    def failing(path: Path, **kwargs: Any) -> FakeEngine:
        raise FileNotFoundError("tokenizer.model")

    monkeypatch.setattr(nemo_asr, "load", failing)
    if debug:
        monkeypatch.setenv(loader.DEBUG_ENV, "1")
    else:
        monkeypatch.delenv(loader.DEBUG_ENV, raising=False)
    with pytest.raises(errors.ModelError):
        loader.load_engine("some/id", "cpu", lambda _f: None)
    err = capsys.readouterr().err
    assert ("Traceback" in err and "in failing" in err) is debug


@pytest.mark.parametrize(
    ("device", "exported", "engine"),
    [
        ("cpu", True, "onnx"),  # auto on the CPU takes the verified export
        ("cpu", False, "nemo"),  # no export yet: NeMo, as before
        ("cpu:nemo", True, "nemo"),  # the user's override
        ("cpu:onnx", False, "onnx"),  # exports first (in _load_onnx)
        ("cuda", True, "nemo"),  # NeMo stays the engine for the GPU
    ],
)
def test_the_engine_is_chosen_by_device_setting_and_export(
    loads: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, device: str, exported: bool, engine: str
) -> None:
    onnx: list[str] = []

    def fake_onnx(store: Any, model_id: str, progress: Any, confine: Any) -> FakeEngine:
        onnx.append(model_id)
        return FakeEngine(model_id=model_id)

    FakeStore.exported = exported
    monkeypatch.setattr(loader, "_load_onnx", fake_onnx)
    loader.load_engine("some/id", device, lambda _f: None)
    assert (["onnx"] if onnx else []) + (["nemo"] if loads else []) == [engine]
    if engine == "nemo":
        assert loads[0]["device"] == device.partition(":")[0]


def test_onnx_on_a_gpu_is_refused(loads: list[dict[str, Any]]) -> None:
    with pytest.raises(errors.UsageError, match="CPU"):
        loader.load_engine("some/id", "cuda:onnx", lambda _f: None)
