"""Small model files the tests make themselves, and manifest entries that describe them."""

from __future__ import annotations

import hashlib
import io
import pickle
import random
import tarfile
from pathlib import Path

from models.manifest import ModelSpec

#: The project's trained test models (speech, diarization), and the member of a .nemo that holds its
#: pickled weights.
GENUINE = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
GENUINE_DIARIZER = GENUINE.with_name("vaultscribe-test-sortformer-diar-small.nemo")
WEIGHTS = "model_weights.ckpt"

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


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def tampered(dest: Path, marker: Path, *, same_size: bool = True, genuine: Path = GENUINE) -> Path:
    """The ``genuine`` archive (the speech test model unless told) with hostile weights, whose unpickling
    creates ``marker``; with ``same_size``, padded so only the hash can tell."""
    hostile = pickle.dumps(_Payload(marker))
    with tarfile.open(genuine) as src, tarfile.open(dest, "w") as out:
        for member in src.getmembers():
            if member.name.endswith(WEIGHTS):
                info = tarfile.TarInfo(member.name)
                info.size = len(hostile)
                out.addfile(info, io.BytesIO(hostile))
            else:
                out.addfile(member, src.extractfile(member) if member.isfile() else None)
        if same_size:  # a padding member, then the two end-of-archive blocks, land exactly on the size
            filler = genuine.stat().st_size - out.offset - tarfile.BLOCKSIZE - 2 * tarfile.BLOCKSIZE
            info = tarfile.TarInfo("padding")
            info.size = filler
            out.addfile(info, io.BytesIO(bytes(filler)))
    if same_size:
        assert dest.stat().st_size == genuine.stat().st_size
    return dest
