"""The product's detector with the trained name, identifier and address taggers: their files checked against the
manifest, then loaded.

The core cannot import `models` (import-linter), so the composition roots (``app.main``'s context,
``app.cli``) call `product_detector` and hand the detector to the core. A file whose size or SHA-256 is not
the manifest's is refused with `ModelMismatch` before it is parsed: the size first (a wrong size is never
read), then the hash of the bytes read once, and the tagger is opened from those very bytes. Never touches
the network; never imports the training recipe or its inputs (wordfreq, philter-lite, names).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from core.errors import ModelMismatch, ModelNotFound
from core.redaction.address_tagger import AddressTagger
from core.redaction.detect import load_detector
from core.redaction.id_tagger import IdTagger
from core.redaction.name_tagger import Lexicon, NameTagger
from core.redaction.types import Detector
from models.manifest import (
    ADDRESS_TAGGER_MODEL,
    ID_TAGGER_MODEL,
    NAME_TAGGER_LEXICON,
    NAME_TAGGER_MODEL,
    ArtefactSpec,
)

#: Where the artefacts ship: inside the package, beside this module.
ARTEFACTS_DIR = Path(__file__).resolve().parent / "names"


def read_verified(spec: ArtefactSpec, folder: Path = ARTEFACTS_DIR) -> bytes:
    """The file's bytes, once its size and SHA-256 match `spec`; `ModelMismatch` otherwise."""
    path = folder / spec.file_name
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            if size != spec.size_bytes:
                raise _mismatch(spec, path, f"{size:,} bytes (not read)")
            fh.seek(0)
            data = fh.read(spec.size_bytes + 1)
    except FileNotFoundError as exc:
        raise ModelNotFound(f"{spec.id} is missing: {path} does not exist. Reinstall VaultScribe.") from exc
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != spec.size_bytes or not hmac.compare_digest(digest, spec.sha256):
        raise _mismatch(spec, path, f"{len(data):,} bytes, sha256 {digest}")
    return data


def _mismatch(spec: ArtefactSpec, path: Path, got: str) -> ModelMismatch:
    return ModelMismatch(
        f"{path} is not the file of {spec.id}: expected {spec.size_bytes:,} bytes, sha256 {spec.sha256}; "
        f"got {got}. It was not used."
    )


@lru_cache(maxsize=2)
def _lexicon(folder: Path, sha256: str) -> Lexicon:
    """Loaded once per process (about 0.1 s): read-only, so detectors built for other terms share it.
    Keyed by the manifest's hash, so a changed manifest never gets a stale lexicon."""
    del sha256  # part of the key only
    return Lexicon.from_bytes(read_verified(NAME_TAGGER_LEXICON, folder))


def verified_lexicon(folder: Path = ARTEFACTS_DIR) -> Lexicon:
    return _lexicon(folder, NAME_TAGGER_LEXICON.sha256)


def load_name_tagger(folder: Path = ARTEFACTS_DIR) -> NameTagger:
    """A tagger on the verified model and lexicon; one per detector (CRFsuite's tagger is not thread-safe)."""
    return NameTagger(model=read_verified(NAME_TAGGER_MODEL, folder), lexicon=verified_lexicon(folder))


def load_id_tagger(folder: Path = ARTEFACTS_DIR) -> IdTagger:
    """A tagger on the verified identifier model; one per detector (CRFsuite's tagger is not thread-safe)."""
    return IdTagger(model=read_verified(ID_TAGGER_MODEL, folder))


def load_address_tagger(folder: Path = ARTEFACTS_DIR) -> AddressTagger:
    """A tagger on the verified address model, with the verified lexicon's word frequencies as features; one per
    detector (CRFsuite's tagger is not thread-safe)."""
    return AddressTagger(model=read_verified(ADDRESS_TAGGER_MODEL, folder), lexicon=verified_lexicon(folder))


def product_detector(terms: Sequence[str] = (), *, folder: Path = ARTEFACTS_DIR) -> Detector:
    """The rules inside Presidio plus the trained name, identifier and address taggers: what the app and the
    command line use."""
    return load_detector(
        terms,
        name_tagger=load_name_tagger(folder),
        id_tagger=load_id_tagger(folder),
        address_tagger=load_address_tagger(folder),
    )
