"""The manifest: real entries are well-formed, lookups fail clearly, bad entries are refused."""

from __future__ import annotations

import dataclasses
import re

import pytest

from core.asr.engine import DEFAULT_DIARIZER_ID, DEFAULT_MODEL_ID
from core.errors import ModelNotFound
from models.manifest import MANIFEST, ModelSpec, find


def test_every_entry_has_a_unique_id_and_file_name() -> None:
    assert len({spec.id for spec in MANIFEST}) == len(MANIFEST)
    assert len({spec.file_name for spec in MANIFEST}) == len(MANIFEST)


def test_parakeet_entries_download_from_hugging_face_over_https() -> None:
    v2, v3 = find("nvidia/parakeet-tdt-0.6b-v2"), find("nvidia/parakeet-tdt-0.6b-v3")
    assert v2.languages == ("en",)
    assert len(v3.languages) == 25 and {"en", "de", "uk", "mt"} <= set(v3.languages)
    for spec in (v2, v3):
        assert spec.licence == "CC-BY-4.0" and not spec.test_model
        assert spec.url is not None
        prefix, revision, name = spec.url.rsplit("/", 2)
        assert prefix == f"https://huggingface.co/{spec.id}/resolve" and name == spec.file_name
        assert len(revision) == 40, "pinned to a commit, not to a branch that can move"


def test_the_default_diarizer_is_nvidias_streaming_sortformer_pinned_on_hugging_face() -> None:
    spec = find(DEFAULT_DIARIZER_ID)
    assert spec.kind == "diarization" and not spec.test_model and spec.licence == "NVIDIA Open Model License"
    assert spec.url == (
        "https://huggingface.co/nvidia/diar_streaming_sortformer_4spk-v2.1/resolve/"
        "fafaab5faa1617a0ca52d38dd3dc4bd636800d3d/diar_streaming_sortformer_4spk-v2.1.nemo"
    )
    assert find(DEFAULT_MODEL_ID).kind == "asr"
    assert {spec.kind for spec in MANIFEST if "sortformer" in spec.id} == {"diarization"}


def test_the_test_model_is_never_downloaded() -> None:
    spec = find("vaultscribe/test-tdt-en-small")
    assert spec.test_model and spec.url is None and spec.file_name == "vaultscribe-test-tdt-en-small.nemo"


def test_an_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(ModelNotFound, match=re.escape("nvidia/parakeet-tdt-0.6b-v2")):
        find("nvidia/nope")


@pytest.mark.parametrize(
    "change",
    [
        {"sha256": "ABC"},
        {"sha256": "A" * 64},
        {"size_bytes": -1},
        {"file_name": "../escape.nemo"},
        {"file_name": ".hidden.nemo"},
        {"file_name": "model.bin"},
        {"kind": "vad"},
    ],
)
def test_a_malformed_entry_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(MANIFEST[0], **change)  # type: ignore[arg-type]


def test_specs_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        MANIFEST[0].size_bytes = 1  # type: ignore[misc]
    assert isinstance(MANIFEST[0], ModelSpec)
