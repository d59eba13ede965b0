"""What the bundle leaves out although PyInstaller collects it: files never used at run time.

Applied by vaultscribe.spec to the analysis' binaries and data files (each a (destination, source,
kind) entry), by destination path inside the bundle. Each rule says why; tests/packaging checks them.

spaCy stays: VaultScribe's NLP engine loads no spaCy model, but Presidio imports spaCy in every NLP
engine module, the no-op one ours extends included (spacy.vocab.Vocab, spacy.tokens.Doc), so the
detector cannot run without it (tests/packaging/test_linux_package_parts.py checks that this is still
so). Its test suite goes with the other packages' tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import TypeVar

#: Kept although a rule below matches: (pattern, why it is needed)
NEEDED: tuple[tuple[str, str], ...] = (
    ("torch/bin/torch_shm_manager", "`import torch` raises when it is missing (torch/__init__.py, _manager_path)"),
)

#: (pattern on the destination path, why it is never used at run time)
UNUSED: tuple[tuple[str, str], ...] = (
    ("torch/test/*", "PyTorch's C++ unit-test programs (83 MB)"),
    ("torch/bin/*", "PyTorch's C++ test programs, their models and protoc (50 MB), but torch_shm_manager"),
    ("*/tests/*", "third-party packages' own test suites: pyarrow, pandas, spaCy, numba, scipy, numpy"),
    ("*/__pycache__/*", "bytecode caches: the bundle's modules are compiled into its archive"),
    ("*.pyc", "bytecode outside the archive, as above"),
)

Entry = TypeVar("Entry", bound=tuple[str, ...])


def unused(dest: str) -> str | None:
    """Why the file at `dest` (a path inside the bundle) is left out; None when it is kept."""
    path = dest.replace("\\", "/")
    if any(fnmatchcase(path, pattern) for pattern, _why in NEEDED):
        return None
    return next((why for pattern, why in UNUSED if fnmatchcase(path, pattern)), None)


def prune(entries: Iterable[Entry]) -> list[Entry]:
    """The entries whose destination is used at run time."""
    return [entry for entry in entries if unused(entry[0]) is None]
