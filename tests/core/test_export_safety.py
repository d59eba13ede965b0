"""Exports that neither leak nor destroy (issue 22, item 4).

The attacks, each tried here through the command line: unredacted text and audio came out 0644
under the usual umask; the temporary ``.<name>.part`` file followed a link planted at its name, so
another user read the whole transcript and the final path became the attacker's link; an existing
file was overwritten without a word; and ``--out <vault>/vault.header`` replaced the vault's header,
destroying it for good. Now every export is created 0600 whatever the umask, its temporary file is
opened with O_CREAT|O_EXCL|O_NOFOLLOW under an unpredictable name in the target folder, an existing
file is refused unless ``--force``, and any path inside the vault folder is refused, links resolved.

The vault, its recording and transcript are made in-process (``Cli``, a fake engine); the attacks on
text and audio that matter most also run through the installed ``vaultscribe`` program.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import errors
from core.clock import FakeClock
from core.config import Config
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from tests.core.audio_fixtures import encode
from tests.core.entry_point import Program
from tests.core.helpers import PASSPHRASE, SeededRandom
from tests.core.test_cli import (  # noqa: F401  (fixtures)
    PASS,
    Cli,
    FakeFactory,
    _keep_pytests_core_limit,
    imported_ids,
    vs,
)

pytestmark = pytest.mark.real_keyring

EXPORTS = [
    ("export", "--unredacted"),
    ("export",),
    ("export-audio",),
    ("export-audio", "--redacted"),
]
IN_VAULT = "inside the vault folder"


@pytest.fixture()
def rid(vs: Cli, tmp_path: Path) -> str:  # noqa: F811
    vs.engine_factory = FakeFactory()
    audio = encode(tmp_path / "visit.flac", "flac", "flac", 44_100, seconds=2.0)
    rc, data, err = imported_ids(vs, audio, extra=("--transcribe",))
    assert rc == 0, err
    rid = str(data["recordings"][0]["id"])
    rc, _, err = vs("redact", rid, "--audio", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, err  # the redacted copy of the audio, for export-audio --redacted
    return rid


def export(vs: Cli, rid: str, out: Path, *how: str) -> tuple[int, str]:  # noqa: F811
    command, *flags = how
    auth = ("--passphrase-stdin", "--totp", vs.code())
    rc, _, err = vs(command, rid, "--out", str(out), *flags, *auth, stdin=PASS + "\n")
    return rc, err


@pytest.fixture()
def umask_022() -> object:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.parametrize("how", EXPORTS)
def test_an_existing_file_is_refused_unless_forced(
    vs: Cli, rid: str, tmp_path: Path, how: tuple[str, ...], umask_022: object  # noqa: F811
) -> None:
    out = tmp_path / "existing.txt"
    out.write_text("the user's notes")
    rc, err = export(vs, rid, out, *how)
    assert rc == errors.BadInput.exit_code
    assert err == f"vaultscribe: {out} already exists: choose another name, or give --force to replace it.\n"
    assert out.read_text() == "the user's notes"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left"

    rc, err = export(vs, rid, out, *how, "--force")
    assert rc == 0, err
    assert out.read_text(errors="replace") != "the user's notes"
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("how", EXPORTS)
def test_a_link_planted_at_the_temporary_name_is_not_followed(
    vs: Cli, rid: str, tmp_path: Path, how: tuple[str, ...], umask_022: object  # noqa: F811
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    loot = tmp_path / "attacker-reads-this"
    loot.write_text("")
    out = folder / "visit.txt"
    (folder / ".visit.txt.part").symlink_to(loot)  # the name exports used to write first
    rc, err = export(vs, rid, out, *how)
    assert rc == 0, err
    assert loot.read_text() == "", "nothing was written through the link"
    assert not out.is_symlink() and out.stat().st_size > 0
    assert out.stat().st_mode & 0o777 == 0o600, "private, although the umask would allow 0644"


@pytest.mark.parametrize("how", EXPORTS)
@pytest.mark.parametrize("where", ["vault.header", "blobs/new.wav", "link-into-vault/vault.header"])
def test_a_path_inside_the_vault_folder_is_refused(
    vs: Cli, rid: str, tmp_path: Path, how: tuple[str, ...], where: str  # noqa: F811
) -> None:
    (tmp_path / "link-into-vault").symlink_to(vs.vault)
    target = (vs.vault if not where.startswith("link") else tmp_path) / where
    header = (vs.vault / "vault.header").read_bytes()
    rc, err = export(vs, rid, target, *how, "--force")
    assert rc == errors.BadInput.exit_code
    assert err == f"vaultscribe: {target} is {IN_VAULT} ({vs.vault}): export somewhere else.\n"
    assert (vs.vault / "vault.header").read_bytes() == header
    assert not (vs.vault / "blobs" / "new.wav").exists()
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, "the vault still opens"


def test_the_audit_export_follows_the_same_rules(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    header = (vs.vault / "vault.header").read_bytes()
    rc, _, err = vs("audit", "export", "--output", str(vs.vault / "vault.header"), "--force",
                    "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")  # fmt: skip
    assert rc == errors.BadInput.exit_code and IN_VAULT in err
    assert (vs.vault / "vault.header").read_bytes() == header
    out = tmp_path / "audit.jsonl"
    out.write_text("kept")
    auth = ("--passphrase-stdin", "--totp", vs.code())
    rc, _, err = vs("audit", "export", "--output", str(out), *auth, stdin=PASS + "\n")
    assert rc == errors.BadInput.exit_code and "already exists" in err and out.read_text() == "kept"


class PlantedName:
    """Seeded random bytes until ``fixed``, then always 0xab: the next temporary name is known in advance."""

    def __init__(self) -> None:
        self.inner, self.fixed = SeededRandom(), False

    def bytes(self, n: int) -> bytes:
        return b"\xab" * n if self.fixed else self.inner.bytes(n)


def test_the_temporary_name_is_opened_exclusively_without_following_links(tmp_path: Path) -> None:
    """With the name known in advance, a link planted exactly there is refused, not followed."""
    rng = PlantedName()
    session = Session(VaultPaths(tmp_path / "vault"), keystore=MemoryKeystore(), clock=FakeClock(), rng=rng,
                      kdf_params=TEST_PARAMS, os_user="tester", config=Config())  # fmt: skip
    session.create(PASSPHRASE)
    rng.fixed = True
    loot = tmp_path / "loot"
    loot.write_text("")
    out = tmp_path / "audit.jsonl"
    planted = out.with_name(f".{out.name}.{'ab' * 8}.part")
    planted.symlink_to(loot)
    with pytest.raises(errors.BadInput, match="Could not write"):
        session.audit.export_to_file(out)
    assert loot.read_text() == "" and not out.exists() and planted.is_symlink()


def test_through_the_installed_program(
    vs: Cli, rid: str, tmp_path: Path, umask_022: object  # noqa: F811
) -> None:
    """The same attacks on the real process: an unredacted export past a planted link, then the vault's header."""
    assert vs.totp is not None
    program = Program(vs.vault, vs.totp, PASS)
    loot = tmp_path / "loot"
    loot.write_text("")
    out = tmp_path / "visit.txt"
    (tmp_path / ".visit.txt.part").symlink_to(loot)
    done = program.run("export", rid, "--unredacted", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert loot.read_text() == "" and out.stat().st_mode & 0o777 == 0o600 and out.read_text().strip()

    header = (vs.vault / "vault.header").read_bytes()
    done = program.run("export-audio", rid, "--force", "--out", str(vs.vault / "vault.header"))
    assert done.returncode == errors.BadInput.exit_code and IN_VAULT in done.stderr
    assert (vs.vault / "vault.header").read_bytes() == header


def test_batch_never_writes_one_export_over_another(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    """Two inputs with one name in different folders: the second export is refused, the batch goes on."""
    vs.engine_factory = FakeFactory()
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    encode(folder / "visit.flac", "flac", "flac", 44_100, seconds=2.0)
    encode(folder / "sub" / "visit.flac", "flac", "flac", 22_050, seconds=1.0)
    out = tmp_path / "out"
    auth = ("--passphrase-stdin", "--totp", vs.code())
    rc, data, err = vs("batch", str(folder), "--export", "txt", "--out", str(out), "--json", *auth, stdin=PASS + "\n")
    first, second = data["recordings"]
    assert rc == errors.BadInput.exit_code, err
    assert first["exports"] == [str(out / "visit.txt")] and first["status"] == "transcribed"
    assert second["status"] == "failed" and "already exists" in second["error"] and second["exports"] == []
    expected = "w0\n" if Path(first["file"]).parent.name == "sub" else "w0 w1\n"  # the fake engine: a word a second
    assert (out / "visit.txt").read_text() == expected, "the first export is intact"
