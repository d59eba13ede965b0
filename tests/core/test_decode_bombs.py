"""Issue 22, low: inputs that claim little and expand to a lot are refused before they fill the disk.

- a FLAC whose STREAMINFO declares a few seconds but which holds far more audio;
- a backup whose tar holds a sparse member: a few KB in the archive, a GiB once written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from core import errors
from core.audio import importer
from core.audio.importer import SAMPLE_RATE_HZ, ImportLimits
from core.vault import backup
from tests.core import test_cli
from tests.core.audio_fixtures import encode
from tests.core.test_cli import PASS, Cli
from tests.session.test_recordings_import import assert_nothing_left
from tests.session.test_session import Vault, make_vault

vs = test_cli.vs
_keep_pytests_core_limit = test_cli._keep_pytests_core_limit


def lying_flac(path: Path, *, holds_s: float, declares_s: float) -> Path:
    """A genuine FLAC whose STREAMINFO total-samples field is rewritten to ``declares_s``."""
    encode(path, "flac", "flac", SAMPLE_RATE_HZ, seconds=holds_s)
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO comes first
    field = int.from_bytes(data[18:26], "big")  # sample rate (20 bits), channels, bits, total samples (36 bits)
    field = (field & ~((1 << 36) - 1)) | int(declares_s * SAMPLE_RATE_HZ)
    data[18:26] = field.to_bytes(8, "big")
    path.write_bytes(data)
    return path


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")


def test_a_flac_whose_header_understates_its_length_is_refused_as_it_decodes(vault: Vault, tmp_path: Path) -> None:
    bomb = lying_flac(tmp_path / "bomb.flac", holds_s=60.0, declares_s=2.0)
    with pytest.raises(errors.BadInput, match=r"declares 2\.0 s of audio but holds more"):
        vault.session.recordings.import_audio(bomb)  # the default limits: 12 hours
    assert_nothing_left(vault)


def test_the_lying_flac_is_stopped_early_not_after_all_of_it(tmp_path: Path) -> None:
    bomb = lying_flac(tmp_path / "bomb.flac", holds_s=60.0, declares_s=2.0)
    written: list[int] = []
    with open(bomb, "rb") as source, pytest.raises(errors.BadInput):
        importer.decode(source, name="bomb.flac", on_pcm=lambda b: written.append(len(b)), limits=ImportLimits())
    assert sum(written) < 5 * SAMPLE_RATE_HZ * 4  # a few seconds of PCM, not 60


def test_a_flac_that_declares_its_true_length_imports(vault: Vault, tmp_path: Path) -> None:
    honest = lying_flac(tmp_path / "honest.flac", holds_s=5.0, declares_s=5.0)
    assert abs(vault.session.recordings.import_audio(honest).duration_s - 5.0) < 0.1


# -- a sparse member in a backup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hole", "padding", "why"),
    [
        (1 << 30, 0, "its manifest declares more data than the archive holds"),
        # zeros after the end of the tar make the archive as big as the manifest says: the member is caught
        (1 << 20, 2 << 20, "holds less data than it declares (a sparse or cut file)"),
    ],
    ids=["manifest", "member"],
)
def test_a_backup_with_a_sparse_member_is_refused_before_it_is_written(
    vs: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hole: int, padding: int, why: str
) -> None:
    if shutil.which("tar") is None:
        pytest.skip("GNU tar is needed to make a sparse archive")
    real = tmp_path / "real.vsbackup"
    rc, _, err = vs("backup", "--out", str(real), "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, err
    parts = tmp_path / "parts"
    with tarfile.open(real) as tar:
        tar.extractall(parts, filter="data")
    blob = "blobs/" + "ab" * 16 + ".vsb"
    (parts / "blobs").mkdir(exist_ok=True)
    with open(parts / blob, "wb") as sparse:
        sparse.truncate(hole)  # holes: a few KB in the archive
    manifest = json.loads((parts / backup.MANIFEST).read_text())
    manifest["files"][blob] = {"size": hole, "sha256": "0" * 64}
    (parts / backup.MANIFEST).write_text(json.dumps(manifest))
    bomb = tmp_path / "bomb.vsbackup"
    names = [backup.MANIFEST, *sorted(n for n in manifest["files"] if n != blob), blob]
    subprocess.run(["tar", "--format=gnu", "--sparse", "-cf", str(bomb), "-C", str(parts), *names], check=True)
    with open(bomb, "ab") as fh:
        fh.write(bytes(padding))
    assert bomb.stat().st_size < (1 << 20) + padding

    copied: list[str] = []
    real_copy = backup._copy_checked
    monkeypatch.setattr(
        backup,
        "_copy_checked",
        lambda archive, src, target, entry: (copied.append(target.name), real_copy(archive, src, target, entry)),
    )
    target = Cli(tmp_path / "restored")
    rc, _, err = target("restore", str(bomb), "--recovery-stdin", stdin=f"{vs.recovery}\n{PASS}\n")  # type: ignore[attr-defined]
    assert rc != 0 and "not a usable VaultScribe backup" in err and why in err, err
    assert blob.split("/")[1] not in copied  # refused before a byte of it was written
    assert not (tmp_path / "restored").exists() and not (tmp_path / ".restored.restoring").exists()
