# ruff: noqa: S103 - the tests build permissive folders on purpose: they are the attacks
"""Issue 22, item 5: a machine policy only counts when only an administrator could have written it.

Every case goes through the command line's own policy loader (``load_system_policy``, the default of
``cli.main``) with the system locations pointed at a folder of the test's: the tests run as root and
build each case with ``os.chown`` to another uid (65534, "nobody") and ``chmod``. A refused policy stops
every command with a clear message (exit 1), never a traceback, and never runs without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import policy as policy_mod
from core.errors import PolicyInvalid
from tests.core import test_cli
from tests.core.test_cli import Cli

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="building files owned by others needs root")

NOBODY = 65534
vs = test_cli.vs  # a real vault, for the commands that run once the policy is accepted
_keep_pytests_core_limit = test_cli._keep_pytests_core_limit


@pytest.fixture()
def etc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root-owned 0755 folder standing for /etc/vaultscribe (its parents: pytest's root-only folders
    under the sticky /tmp); the policy and marker locations point into it."""
    folder = tmp_path / "etc" / "vaultscribe"
    folder.mkdir(parents=True)
    for path in (tmp_path / "etc", folder):
        os.chmod(path, 0o755)
    os.chmod(tmp_path, 0o755)
    monkeypatch.setattr(policy_mod, "LINUX_PATH", folder / "policy.toml")
    monkeypatch.setattr(policy_mod, "LINUX_MARKER", tmp_path / "usr" / "share" / "vaultscribe" / "policy-required")
    return folder


def write_policy(etc: Path, text: str = "allow_unredacted_export = false\n", mode: int = 0o644) -> Path:
    path = etc / "policy.toml"
    path.write_text(text)
    os.chmod(path, mode)
    return path


def refused(vs: Cli, *words: str) -> str:
    rc, _, err = vs("status", "--json")
    assert rc == 1, err
    assert err.startswith("vaultscribe: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


def test_a_root_owned_policy_not_writable_by_others_is_applied(vs: Cli, etc: Path) -> None:
    write_policy(etc)
    assert policy_mod.load_system_policy().allow_unredacted_export is False
    rc, _, err = vs("status", "--json")
    assert rc == 0, err


def test_a_world_writable_policy_is_refused(vs: Cli, etc: Path) -> None:
    path = write_policy(etc, mode=0o666)
    refused(vs, str(path), "writable by others")


def test_a_group_writable_policy_is_refused(vs: Cli, etc: Path) -> None:
    path = write_policy(etc, mode=0o664)
    refused(vs, str(path), "writable by its group")


def test_a_policy_owned_by_another_user_is_refused(vs: Cli, etc: Path) -> None:
    path = write_policy(etc)
    os.chown(path, NOBODY, NOBODY)
    refused(vs, str(path), f"owned by uid {NOBODY}", "not by root")


def test_a_policy_in_a_folder_owned_by_another_user_is_refused(vs: Cli, etc: Path) -> None:
    write_policy(etc)
    os.chown(etc, NOBODY, 0)
    refused(vs, str(etc), f"owned by uid {NOBODY}")


def test_a_policy_below_a_world_writable_folder_is_refused(vs: Cli, etc: Path) -> None:
    write_policy(etc)
    os.chmod(etc.parent, 0o777)  # anyone could rename vaultscribe/ away and put their own in its place
    refused(vs, str(etc.parent), "writable by others")


def test_a_policy_that_is_a_symlink_to_a_users_file_is_refused(vs: Cli, etc: Path, tmp_path: Path) -> None:
    users = tmp_path / "home" / "policy.toml"
    users.parent.mkdir()
    users.write_text("allow_unredacted_export = true\n")
    (etc / "policy.toml").symlink_to(users)
    refused(vs, "symbolic link")


def test_a_policy_below_a_symlinked_folder_is_refused(vs: Cli, etc: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    os.chmod(real, 0o755)
    write_policy(real)
    os.rmdir(etc)
    etc.symlink_to(real)
    refused(vs, str(etc), "symbolic link")


def test_a_policy_that_is_a_folder_or_a_pipe_is_refused_without_hanging(vs: Cli, etc: Path) -> None:
    (etc / "policy.toml").mkdir()
    refused(vs, "not a regular file")
    (etc / "policy.toml").rmdir()
    os.mkfifo(etc / "policy.toml", 0o644)
    refused(vs, "not a regular file")


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 5000 + "1" + "}" * 5000,
        "allow_audio_export = [[[[true]]]]",
        "allow_audio_export = tru",
        "[[[",
    ],
    ids=["deep-array", "deep-table", "nested-value", "typo", "garbage"],
)
def test_malformed_or_deeply_nested_toml_is_a_clear_error(vs: Cli, etc: Path, text: str) -> None:
    path = write_policy(etc, text)
    err = refused(vs, str(path))
    assert "RecursionError" not in err and len(err) < 400


def test_a_missing_policy_on_a_managed_install_fails_closed(vs: Cli, etc: Path) -> None:
    marker = policy_mod.LINUX_MARKER
    marker.parent.mkdir(parents=True)
    marker.write_text("")
    refused(vs, "managed", str(etc / "policy.toml"), "missing")


def test_a_missing_policy_without_the_marker_means_no_policy(vs: Cli, etc: Path) -> None:
    rc, _, err = vs("status", "--json")
    assert rc == 0, err
    assert policy_mod.load_system_policy() == policy_mod.NO_POLICY


# -- audit_export_path: only into a folder only root controls -------------------------------------------


def _export_policy(etc: Path, target: Path) -> None:
    write_policy(etc, f'audit_export_path = "{target}"\n')


@pytest.fixture()
def log_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "var" / "log" / "vaultscribe"
    folder.mkdir(parents=True)
    for path in (tmp_path / "var", tmp_path / "var" / "log", folder):
        os.chmod(path, 0o755)
    return folder


def test_audit_export_into_a_root_owned_folder_is_accepted(vs: Cli, etc: Path, log_dir: Path) -> None:
    _export_policy(etc, log_dir / "audit.jsonl")
    assert policy_mod.load_system_policy().audit_export_path == str(log_dir / "audit.jsonl")
    os.chmod(log_dir, 0o1777)  # a sticky drop folder (like /tmp) is fine too
    assert policy_mod.load_system_policy().audit_export_path == str(log_dir / "audit.jsonl")


def test_audit_export_into_a_users_folder_is_refused(vs: Cli, etc: Path, log_dir: Path) -> None:
    os.chown(log_dir, NOBODY, NOBODY)
    _export_policy(etc, log_dir / "audit.jsonl")
    refused(vs, "audit_export_path", f"owned by uid {NOBODY}")


def test_audit_export_into_a_world_writable_folder_is_refused(vs: Cli, etc: Path, log_dir: Path) -> None:
    os.chmod(log_dir, 0o777)
    _export_policy(etc, log_dir / "audit.jsonl")
    refused(vs, "audit_export_path", "writable by others")


def test_audit_export_through_a_symlinked_folder_is_refused(vs: Cli, etc: Path, log_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "var" / "log" / "link"
    link.symlink_to(log_dir)
    _export_policy(etc, link / "audit.jsonl")
    refused(vs, "audit_export_path", "symbolic link")


def test_the_audit_copy_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    """In a sticky drop folder another user may plant a link at the file's name before the first write."""
    from core.audit import AuditEvent, AuditMirror

    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (tmp_path / "audit.jsonl").symlink_to(victim)
    mirror = AuditMirror(tmp_path / "audit.jsonl", "vault-1")
    with pytest.raises(OSError):
        mirror.append([AuditEvent(1, 1, "u", "k", None, "success")])
    assert victim.read_text() == "precious\n"


def test_an_error_names_the_policy_not_a_traceback_even_from_the_parser() -> None:
    with pytest.raises(PolicyInvalid, match="nested too deeply"):
        policy_mod.parse_toml_text("x = " + "[" * 5000 + "]" * 5000, source="/etc/vaultscribe/policy.toml")


def test_inside_a_user_namespace_a_policy_owned_by_root_is_not_trusted(etc: Path) -> None:
    """``unshare -Ur`` makes any user root of a namespace of their own, where their files look root-owned."""
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    path = write_policy(etc)
    probe = (
        "import sys; from pathlib import Path; from core import policy; from core.errors import PolicyInvalid\n"
        f"policy.LINUX_PATH = Path({str(path)!r}); policy.LINUX_MARKER = Path('/nonexistent')\n"
        "try:\n    policy.load_system_policy()\nexcept PolicyInvalid as exc:\n    sys.exit(str(exc))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        ["unshare", "-Ur", sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"user namespaces are not allowed here: {done.stderr.strip()}")
    assert done.returncode == 1 and "cannot be trusted inside a user namespace" in done.stderr, done.stderr
