"""Small model files the tests make themselves, and manifest entries that describe them."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from models.manifest import ModelSpec

# A bit more than two 1 MiB chunks, so progress, cancel and resume happen mid-file.
SIZE = 2 * (1 << 20) + 123


def payload(seed: int, size: int = SIZE) -> bytes:
    return random.Random(seed).randbytes(size)


def spec_for(data: bytes, name: str, *, url: str | None = None) -> ModelSpec:
    return ModelSpec(
        id=f"test/{name}",
        file_name=f"{name}.nemo",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        licence="test",
        languages=("en",),
        url=url,
        test_model=True,
        description="made by the test",
    )


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def files_in(folder: Path) -> list[str]:
    """Every file under folder, hidden ones and leftovers included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
