"""ModelStore import and verified loading, with real files and real hashing."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from core.errors import Cancelled, ModelMismatch, ModelNotFound
from core.progress import CancelToken
from models.store import ModelStore, default_models_dir

from .helpers import files_in, payload, spec_for, write

DATA_A, DATA_B = payload(1), payload(2)
SPEC_A, SPEC_B = spec_for(DATA_A, "alpha"), spec_for(DATA_B, "beta")


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(tmp_path / "models", manifest=[SPEC_A, SPEC_B])


def test_the_folder_is_private(store: ModelStore) -> None:
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700


def test_default_folder_follows_the_environment(tmp_path: Path) -> None:
    assert default_models_dir({"VAULTSCRIBE_MODELS": str(tmp_path / "m")}) == tmp_path / "m"
    assert default_models_dir({"VAULTSCRIBE_HOME": str(tmp_path / "v")}) == tmp_path / "v" / "models"


def test_import_copies_a_matching_file_and_reports_progress(store: ModelStore, tmp_path: Path) -> None:
    source = write(tmp_path / "downloads" / "whatever-name.nemo", DATA_A)
    seen: list[float] = []

    assert store.import_file(source, progress=seen.append) == [SPEC_A]

    dest = store.root / SPEC_A.file_name
    assert dest.read_bytes() == DATA_A
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert store.installed() == [(SPEC_A, dest)]
    assert store.verified_path(SPEC_A.id) == dest


def test_a_file_with_the_right_name_but_other_bytes_is_refused_and_not_copied(
    store: ModelStore, tmp_path: Path
) -> None:
    tampered = bytearray(DATA_A)
    tampered[1000] ^= 1
    source = write(tmp_path / SPEC_A.file_name, bytes(tampered))

    with pytest.raises(ModelMismatch) as caught:
        store.import_file(source)

    message = str(caught.value)
    assert str(source) in message and SPEC_A.sha256 in message and f"{len(DATA_A):,} bytes" in message
    assert files_in(store.root) == []


def test_a_wrong_size_is_refused_without_hashing(store: ModelStore, tmp_path: Path) -> None:
    source = write(tmp_path / SPEC_B.file_name, DATA_B[:-1])
    with pytest.raises(ModelMismatch, match=f"expected {len(DATA_B):,} bytes.*got {len(DATA_B) - 1:,} bytes"):
        store.import_file(source)
    assert files_in(store.root) == []


def test_a_file_not_in_the_manifest_is_refused(store: ModelStore, tmp_path: Path) -> None:
    for data in (payload(3), payload(3, size=len(DATA_A))):  # a size no entry has, then a known size
        source = write(tmp_path / "stranger.nemo", data)
        with pytest.raises(ModelNotFound, match=re.escape("stranger.nemo is not a model VaultScribe knows")):
            store.import_file(source)
    assert files_in(store.root) == []


def test_a_folder_imports_every_nemo_file(store: ModelStore, tmp_path: Path) -> None:
    folder = tmp_path / "provisioned"
    write(folder / "a.nemo", DATA_A)
    write(folder / "b.nemo", DATA_B)
    write(folder / "README.txt", b"not a model")

    assert store.import_file(folder) == [SPEC_A, SPEC_B]
    assert [spec for spec, _ in store.installed()] == [SPEC_A, SPEC_B]


def test_a_folder_with_one_unknown_file_imports_nothing(store: ModelStore, tmp_path: Path) -> None:
    folder = tmp_path / "provisioned"
    write(folder / "a.nemo", DATA_A)
    write(folder / "z.nemo", payload(4))
    with pytest.raises(ModelNotFound, match=re.escape("z.nemo")):
        store.import_file(folder)
    assert files_in(store.root) == []


def test_a_folder_without_models_is_refused(store: ModelStore, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFound, match=re.escape("no .nemo model file")):
        store.import_file(tmp_path / "empty")


def test_cancel_during_the_copy_leaves_nothing(store: ModelStore, tmp_path: Path) -> None:
    source = write(tmp_path / "a.nemo", DATA_A)
    token = CancelToken()

    def progress(fraction: float) -> None:
        if fraction > 0.6:  # past the check, in the middle of the copy
            token.cancel()

    with pytest.raises(Cancelled):
        store.import_file(source, progress=progress, cancel=token)
    assert files_in(store.root) == []


def test_verified_path_hashes_the_file_at_every_call(store: ModelStore, tmp_path: Path) -> None:
    # No record spares the hash: whoever can write the folder could forge one (issue 22, item 3).
    write(store.root / SPEC_A.file_name, DATA_A)
    first: list[float] = []
    second: list[float] = []

    store.verified_path(SPEC_A.id, progress=first.append)
    store.verified_path(SPEC_A.id, progress=second.append)

    assert first[-1] == 1.0 and second[-1] == 1.0
    assert files_in(store.root) == [SPEC_A.file_name]  # and nothing is written beside it


def test_verified_path_rehashes_a_file_changed_in_place(store: ModelStore, tmp_path: Path) -> None:
    dest = store.root / SPEC_A.file_name
    store.import_file(write(tmp_path / "a.nemo", DATA_A))
    store.verified_path(SPEC_A.id)
    before = dest.stat()

    with open(dest, "r+b") as fh:  # same size, one byte different
        fh.seek(12345)
        fh.write(bytes([DATA_A[12345] ^ 0xFF]))
    os.utime(dest, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))

    with pytest.raises(ModelMismatch, match=re.escape(str(dest))):
        store.verified_path(SPEC_A.id)


def test_verified_path_is_not_fooled_by_an_mtime_set_back(store: ModelStore, tmp_path: Path) -> None:
    dest = store.root / SPEC_A.file_name
    store.import_file(write(tmp_path / "a.nemo", DATA_A))
    store.verified_path(SPEC_A.id)
    before = dest.stat()

    tampered = bytearray(DATA_A)
    tampered[-1] ^= 0xFF
    dest.write_bytes(bytes(tampered))
    os.utime(dest, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old mtime, put back

    with pytest.raises(ModelMismatch):
        store.verified_path(SPEC_A.id)


def test_verified_path_of_a_missing_model_says_how_to_get_it(store: ModelStore) -> None:
    with pytest.raises(ModelNotFound, match=re.escape("not installed: import alpha.nemo or download it")):
        store.verified_path(SPEC_A.id)


def test_extra_folders_are_read_and_verified_but_never_written(tmp_path: Path) -> None:
    shared = tmp_path / "it-share"
    path = write(shared / SPEC_B.file_name, DATA_B)
    store = ModelStore(tmp_path / "models", manifest=[SPEC_A, SPEC_B], extra_dirs=[shared])

    assert store.installed() == [(SPEC_B, path)]
    assert store.verified_path(SPEC_B.id) == path
    assert files_in(shared) == [SPEC_B.file_name]

    tampered = bytearray(DATA_B)
    tampered[0] ^= 1
    path.write_bytes(bytes(tampered))
    with pytest.raises(ModelMismatch):
        store.verified_path(SPEC_B.id)


def test_verification_records_of_earlier_versions_are_removed(tmp_path: Path) -> None:
    stale = write(tmp_path / "models" / ".verified" / "0123.json", b'{"sha256": "forged"}')
    ModelStore(tmp_path / "models")
    assert not stale.parent.exists()
