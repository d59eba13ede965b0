"""A second line behind the manifest check: while NeMo restores a model, torch.load unpickles no code.

The test models (speech and diarization) with their weights swapped for hostile ones (genuine size; the
same file as tests/models/test_tampered_model.py) are given to NeMo directly, past the store, with
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` set as a careless or hostile environment might. The control: NeMo
itself, unguarded, runs the payload. Guarded, each of the product's loaders (`core.nemo.asr.load`,
`core.nemo.sortformer.load_diarizer`, both through `core.nemo.runtime.restore_verified`) refuses it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core import errors
from tests.models.helpers import GENUINE, GENUINE_DIARIZER, tampered


def _load_speech(path: Path) -> Any:
    from core.nemo import asr

    return asr.load(path, model_id="t", device="cpu")


def _load_diarizer(path: Path) -> Any:
    from core.nemo import sortformer

    return sortformer.load_diarizer(path, model_id="t", device="cpu")


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's and NeMo's, about the hostile file and the override
@pytest.mark.parametrize(
    ("genuine", "model_class", "load"),
    [(GENUINE, "ASRModel", _load_speech), (GENUINE_DIARIZER, "SortformerEncLabelModel", _load_diarizer)],
    ids=["speech", "diarizer"],
)
def test_nemo_given_hostile_weights_runs_them_unguarded_and_refuses_them_guarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, genuine: Path, model_class: str, load: Callable[[Path], Any]
) -> None:
    import torch
    from nemo.collections.asr import models

    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    control = tmp_path / "control"
    with pytest.raises(Exception):  # noqa: B017 - the hostile weights are no state dict
        getattr(models, model_class).restore_from(
            str(tampered(tmp_path / "c.nemo", control, genuine=genuine)), map_location=torch.device("cpu")
        )
    assert control.exists()  # unguarded, NeMo ran the pickle

    marker = tmp_path / "marker"
    with pytest.raises(errors.BadInput, match="UnpicklingError"):
        load(tampered(tmp_path / "t.nemo", marker, genuine=genuine))
    assert not marker.exists()
    assert os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] == "1"  # the process's environment is put back
    assert "TORCH_FORCE_WEIGHTS_ONLY_LOAD" not in os.environ
