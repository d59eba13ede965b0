"""A second line behind the manifest check: while NeMo restores a model, torch.load unpickles no code.

The tampered test model of tests/models/test_tampered_model.py (hostile weights, genuine size) is given
to NeMo directly, past the store, with ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` set as a careless or hostile
environment might. The control: NeMo itself, unguarded, runs the payload.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import errors
from core.nemo import asr as nemo_asr
from tests.models.helpers import tampered


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's and NeMo's, about the hostile file and the override
def test_nemo_given_hostile_weights_runs_them_unguarded_and_refuses_them_guarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from nemo.collections.asr.models import ASRModel

    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    control = tmp_path / "control"
    with pytest.raises(Exception):  # noqa: B017 - the hostile weights are no state dict
        ASRModel.restore_from(str(tampered(tmp_path / "c.nemo", control)), map_location=torch.device("cpu"))
    assert control.exists()  # unguarded, NeMo ran the pickle

    marker = tmp_path / "marker"
    with pytest.raises(errors.BadInput, match="UnpicklingError"):
        nemo_asr.load(tampered(tmp_path / "t.nemo", marker), model_id="t", device="cpu")
    assert not marker.exists()
    assert os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] == "1"  # the process's environment is put back
    assert "TORCH_FORCE_WEIGHTS_ONLY_LOAD" not in os.environ
