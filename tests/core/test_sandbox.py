"""The model child's sandbox (core.security.sandbox), proven in fresh processes (tests/core/sandbox_probe.py).

Each test confines a new interpreter and checks what it can still do: read a file standing in for the
vault, list HOME, write its private temp dir, connect to a server this test runs, signal its parent,
run a program. The probe runs every action before confining too, so a refusal is the sandbox's doing.
Each layer is also tried alone: a layer that silently did nothing would fail its own test.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.security import sandbox

REPO = Path(__file__).resolve().parents[2]
needs_landlock = pytest.mark.skipif(sandbox.landlock_abi() == 0, reason="this kernel has no Landlock")
needs_seccomp = pytest.mark.skipif(
    sys.platform != "linux" or ctypes.util.find_library("seccomp") is None, reason="no libseccomp"
)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[dict[str, object]]:
    """A TCP server on loopback and a unix socket server (a stand-in for D-Bus and the keyring)."""
    tcp = socket.create_server(("127.0.0.1", 0))
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(tmp_path / "bus"))
    unix.listen()
    secret = tmp_path / "vault" / "vault.db"
    secret.parent.mkdir()
    secret.write_bytes(b"the vault's bytes")
    private = tmp_path / "asr-private"
    private.mkdir(mode=0o700)
    yield {
        "port": tcp.getsockname()[1],
        "unix": str(tmp_path / "bus"),
        "secret": str(secret),
        "home": str(Path.home()),
        "private": str(private),
    }
    tcp.close()
    unix.close()


def probe(args: dict[str, object], layers: list[str], *, thread: bool = False) -> dict[str, dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.sandbox_probe", json.dumps({**args, "layers": layers, "thread": thread})],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    out: dict[str, dict[str, str]] = json.loads(done.stdout)
    assert set(out["before"].values()) == {"ok"}, out["before"]  # the controls: each probe works unconfined
    out["layers"] = {name: ("on" if active else detail) for name, active, detail in out.pop("report")}  # type: ignore[misc]
    return out


@needs_landlock
def test_all_layers_are_on_here_and_the_child_reaches_only_its_private_dir(servers: dict[str, object]) -> None:
    out = probe(servers, ["landlock", "seccomp"])
    assert out["layers"] == {"no_new_privs": "on", "landlock": "on", "seccomp": "on"}
    assert out["after"] == {
        "read_vault": "PermissionError",
        "list_home": "PermissionError",
        "write_private": "ok",
        "tcp": "PermissionError",
        "udp": "PermissionError",
        "unix": "PermissionError",
        "signal_parent": "PermissionError",
        "exec": "PermissionError",
        "import": "ok",  # Python and its packages stay readable
    }
    # an unsandboxed control, from this process, while the probe was refused
    socket.create_connection(("127.0.0.1", servers["port"]), timeout=5).close()  # type: ignore[arg-type]


@needs_landlock
def test_landlock_alone_confines_files_tcp_and_signals(servers: dict[str, object]) -> None:
    out = probe(servers, ["landlock"])
    assert out["layers"]["landlock"] == "on" and out["layers"]["seccomp"] == "not asked for"
    after = out["after"]
    assert after["read_vault"] == after["list_home"] == "PermissionError"
    assert after["tcp"] == "PermissionError"
    assert after["signal_parent"] == "PermissionError"  # ABI 6 scoping; the kernel here has ABI 7
    assert after["write_private"] == after["import"] == "ok"


@needs_seccomp
def test_seccomp_alone_stops_every_new_socket_and_exec(servers: dict[str, object]) -> None:
    """What Landlock (up to ABI 7) leaves open: UDP, and pathname unix sockets such as the session bus."""
    out = probe(servers, ["seccomp"])
    assert out["layers"]["seccomp"] == "on" and out["layers"]["landlock"] == "not asked for"
    after = out["after"]
    assert after["tcp"] == after["udp"] == after["unix"] == "PermissionError"
    assert after["exec"] == "PermissionError"
    assert after["read_vault"] == "ok"  # files are Landlock's part


@needs_landlock
def test_landlock_is_reported_off_when_other_threads_already_run(servers: dict[str, object]) -> None:
    """A Landlock domain covers only the calling thread: with another thread running, the report must say
    Landlock is off rather than claim a confinement that thread escapes. seccomp syncs every thread."""
    out = probe(servers, ["landlock", "seccomp"], thread=True)
    assert out["layers"]["landlock"] == "2 threads were already running"
    assert out["layers"]["seccomp"] == "on"
    assert out["after"]["read_vault"] == "ok" and out["after"]["tcp"] == "PermissionError"


def test_the_report_crosses_the_pipe_as_plain_data_and_rejects_other_shapes() -> None:
    report = sandbox.SandboxReport((sandbox.Layer("landlock", True, "ABI 7"), sandbox.Layer("seccomp", False, "x")))
    assert sandbox.SandboxReport.from_wire(json.loads(json.dumps(report.to_wire()))) == report
    assert report.active == ("landlock",)
    for bad in ({"a": 1}, [["landlock", "yes", "x"]], [["landlock", True]]):
        with pytest.raises(ValueError):
            sandbox.SandboxReport.from_wire(bad)


def test_the_runtime_read_set_holds_neither_the_working_dir_nor_any_folder_above_home() -> None:
    home = Path.home().resolve()
    for path in sandbox.runtime_read_paths():
        assert path.is_absolute()
        assert not home.is_relative_to(path.resolve()), path


def test_a_frozen_app_can_read_its_own_executable_and_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The PyInstaller bundle imports its modules from an archive inside the executable: without it in the
    read set, the installed app's model child failed to import NeMo (PermissionError) once confined."""
    exe, bundle = tmp_path / "opt" / "vaultscribe" / "vaultscribe", tmp_path / "opt" / "vaultscribe" / "_internal"
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    paths = sandbox.runtime_read_paths()
    assert exe in paths and bundle in paths
