"""The models VaultScribe may load: ids, exact sizes, SHA-256, licences.

A file is trusted only because its size and SHA-256 match an entry here; its name,
folder or download address prove nothing. This module only declares; it never
touches the disk or the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.errors import ModelNotFound

# The project's own test model, models/test/vaultscribe-test-tdt-en-small.nemo (recipe: models/training/).
TEST_MODEL_SIZE_BYTES = 7_301_120
TEST_MODEL_SHA256 = "9c576ce1082977e613d933b69cd8260e067076833d7dc28a93a99d2de4f91f9f"

# The project's own diarization test model, models/test/vaultscribe-test-sortformer-diar-small.nemo
# (recipe: models/training/diar_*.py): a small NeMo SortformerEncLabelModel.
TEST_DIARIZER_SIZE_BYTES = 5_007_360
TEST_DIARIZER_SHA256 = "63e336c9a4933d1e7c30b10da95d5bd879954135cc752b8e47a456f9990a1093"

_SHA256 = re.compile(r"[0-9a-f]{64}")

_EU25 = (
    "bg", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "hu", "it",
    "lv", "lt", "mt", "pl", "pt", "ro", "sk", "sl", "es", "sv", "ru", "uk",
)  # fmt: skip


@dataclass(frozen=True)
class ModelSpec:
    """One model file, identified by its bytes. Validated here so a bad entry fails at start-up."""

    id: str
    file_name: str
    size_bytes: int
    sha256: str
    licence: str
    languages: tuple[str, ...]
    url: str | None
    test_model: bool
    description: str
    #: What the model does: "asr" turns speech into words, "diarization" tells speakers apart.
    kind: Literal["asr", "diarization"] = "asr"

    def __post_init__(self) -> None:
        if self.kind not in ("asr", "diarization"):
            raise ValueError(f"{self.id}: kind must be 'asr' or 'diarization'")
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"{self.id}: sha256 must be 64 lowercase hex digits")
        if self.size_bytes < 0:
            raise ValueError(f"{self.id}: size_bytes must not be negative")
        # The name becomes a path inside the models folder: it must not be able to leave it.
        if not self.file_name.endswith(".nemo") or "/" in self.file_name or "\\" in self.file_name:
            raise ValueError(f"{self.id}: file_name must be a plain *.nemo name")
        if self.file_name.startswith("."):
            raise ValueError(f"{self.id}: file_name must not be hidden")


def _hf_url(repo: str, revision: str, file_name: str) -> str:
    """Pinned to a revision, so the address always serves the bytes the hash describes."""
    return f"https://huggingface.co/{repo}/resolve/{revision}/{file_name}"


# Sizes and SHA-256 are the Hugging Face LFS object ids (the sha256 in the file's LFS pointer).
# v2: nvidia/parakeet-tdt-0.6b-v2 at revision ae9ad07059c7c739ffaf932226a8fe64ae2620b0.
# v3: nvidia/parakeet-tdt-0.6b-v3 at revisions 541d1f99c6b0c3cd0b11a95167540bb8edefd82b and
#     7c35754d166cca382ad1e53e68b01e7c575f3a1d (the same object at both).
# Streaming Sortformer v2.1: nvidia/diar_streaming_sortformer_4spk-v2.1 at revision
#     fafaab5faa1617a0ca52d38dd3dc4bd636800d3d (its LFS object, the ETag Hugging Face serves it with).
# The URLs pin those revisions; even so, a download that does not match is never loaded.
MANIFEST: tuple[ModelSpec, ...] = (
    ModelSpec(
        id="nvidia/parakeet-tdt-0.6b-v2",
        file_name="parakeet-tdt-0.6b-v2.nemo",
        size_bytes=2_472_222_720,
        sha256="d99e39955c9d3d0350d8fb7c75e40c64a2b2eaeb003883d7c941fd2e8747b28c",
        licence="CC-BY-4.0",
        languages=("en",),
        url=_hf_url(
            "nvidia/parakeet-tdt-0.6b-v2", "ae9ad07059c7c739ffaf932226a8fe64ae2620b0", "parakeet-tdt-0.6b-v2.nemo"
        ),
        test_model=False,
        description="NVIDIA Parakeet TDT 0.6B v2: English, with punctuation, capitals and word times.",
    ),
    ModelSpec(
        id="nvidia/parakeet-tdt-0.6b-v3",
        file_name="parakeet-tdt-0.6b-v3.nemo",
        size_bytes=2_509_332_480,
        sha256="3cbdc85877e668ca7b82d0d56770eb1fac76691f55d6b97545e8d61ca588d10d",
        licence="CC-BY-4.0",
        languages=_EU25,
        url=_hf_url(
            "nvidia/parakeet-tdt-0.6b-v3", "541d1f99c6b0c3cd0b11a95167540bb8edefd82b", "parakeet-tdt-0.6b-v3.nemo"
        ),
        test_model=False,
        description="NVIDIA Parakeet TDT 0.6B v3: 25 European languages, detected automatically.",
    ),
    ModelSpec(
        id="vaultscribe/test-tdt-en-small",
        file_name="vaultscribe-test-tdt-en-small.nemo",
        size_bytes=TEST_MODEL_SIZE_BYTES,
        sha256=TEST_MODEL_SHA256,
        licence="Proprietary (VaultScribe test fixture)",
        languages=("en",),
        url=None,
        test_model=True,
        description="VaultScribe's small English test model; for tests only, never for real transcripts.",
    ),
    ModelSpec(
        id="vaultscribe/test-sortformer-diar-small",
        file_name="vaultscribe-test-sortformer-diar-small.nemo",
        size_bytes=TEST_DIARIZER_SIZE_BYTES,
        sha256=TEST_DIARIZER_SHA256,
        licence="Proprietary (VaultScribe test fixture)",
        languages=("en",),
        url=None,
        test_model=True,
        description="VaultScribe's small Sortformer diarizer (2-3 espeak-ng voices); for tests only.",
        kind="diarization",
    ),
    ModelSpec(
        id="nvidia/diar_streaming_sortformer_4spk-v2.1",
        file_name="diar_streaming_sortformer_4spk-v2.1.nemo",
        size_bytes=471_367_680,
        sha256="8abd32832159c6ac1148c926b7276f35ba34582c444e559dce1f1253fea42ef8",
        licence="NVIDIA Open Model License",
        languages=(),  # it tells voices apart, whatever they say
        url=_hf_url(
            "nvidia/diar_streaming_sortformer_4spk-v2.1",
            "fafaab5faa1617a0ca52d38dd3dc4bd636800d3d",
            "diar_streaming_sortformer_4spk-v2.1.nemo",
        ),
        test_model=False,
        description="NVIDIA Streaming Sortformer 4spk v2.1: tells up to four speakers apart (who said what).",
        kind="diarization",
    ),
)


@dataclass(frozen=True)
class ArtefactSpec:
    """A file the redaction detector loads (not a speech model), trusted only when its size and SHA-256
    match; it ships inside the package (``models/names/``) rather than in the models folder."""

    id: str
    file_name: str
    size_bytes: int
    sha256: str
    licence: str
    description: str

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"{self.id}: sha256 must be 64 lowercase hex digits")
        if "/" in self.file_name or "\\" in self.file_name or self.file_name.startswith("."):
            raise ValueError(f"{self.id}: file_name must be a plain, visible name")


# The trained name tagger (recipe: models/training/names_train.py; models/training/README.md). After a
# rebuild, copy the sizes and hashes the recipe prints here.
NAME_TAGGER_MODEL = ArtefactSpec(
    id="vaultscribe/name-tagger-crf",
    file_name="name-tagger.crfsuite",
    size_bytes=820_432,
    sha256="dbcd0aa1c69d3fd78bb46b8c434228a01adb486a771c53de6801d29da0acb850",
    licence="Proprietary (VaultScribe); trained on synthetic sentences",
    description="CRF (CRFsuite) that tags person names in cased and lowercase transcripts.",
)
NAME_TAGGER_LEXICON = ArtefactSpec(
    id="vaultscribe/name-lexicon",
    file_name="name-lexicon.bin.gz",
    size_bytes=1_834_283,
    sha256="3d672d5e0d9a6cae2292dd027da06e5054465ab8c0033e44d83a4d3552e6833f",
    # Its Zipf buckets adapt wordfreq's data; the attribution is in the file's header and in
    # models/names/ATTRIBUTION.md.
    licence="CC-BY-SA-4.0 (wordfreq data); name lists BSD-3-Clause (philter-lite), public domain (US Census)",
    description="The name tagger's features per word: name and place list membership, English word frequency.",
)
# The trained identifier tagger (issue 23, round 8; recipe: models/training/ids_train.py). After a rebuild,
# copy the size and hash the recipe prints here.
ID_TAGGER_MODEL = ArtefactSpec(
    id="vaultscribe/id-tagger-crf",
    file_name="id-tagger.crfsuite",
    size_bytes=226_884,
    sha256="4e9726d36e6be1bf8ec01b95f3df29587a285a0871f5aa4f0d74f08664d0074d",
    licence="Proprietary (VaultScribe); trained on synthetic sentences",
    description="CRF (CRFsuite) that tags structured identifiers after their cues in cased and lowercase text.",
)
# The trained address tagger (issue 23, round 10; recipe: models/training/address_train.py). After a rebuild,
# copy the size and hash the recipe prints here.
ADDRESS_TAGGER_MODEL = ArtefactSpec(
    id="vaultscribe/address-tagger-crf",
    file_name="address-tagger.crfsuite",
    size_bytes=292_372,
    sha256="065f6796b7ceab5903bf63e1629d8b89914f9fcc7542e7f75cf762cf8fda6302",
    licence="Proprietary (VaultScribe); trained on synthetic sentences",
    description="CRF (CRFsuite) that tags addresses, streets, towns and neighbourhoods in cased and lowercase text.",
)
REDACTION_ARTEFACTS: tuple[ArtefactSpec, ...] = (
    NAME_TAGGER_MODEL,
    NAME_TAGGER_LEXICON,
    ID_TAGGER_MODEL,
    ADDRESS_TAGGER_MODEL,
)


def find(model_id: str, manifest: Sequence[ModelSpec] = MANIFEST) -> ModelSpec:
    for spec in manifest:
        if spec.id == model_id:
            return spec
    known = ", ".join(spec.id for spec in manifest) or "none"
    raise ModelNotFound(f"Unknown model {model_id!r}; known models: {known}.")
