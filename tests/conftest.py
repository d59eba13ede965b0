"""Shared fixtures. The real Secret Service is started here, by the suite itself:
a private dbus-daemon and gnome-keyring-daemon under a throwaway HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.secret_service import environment, missing_tools, private_secret_service

KEYRING_PASSWORD = "throwaway-test-keyring"


def _private_home(factory: pytest.TempPathFactory, name: str, *tools: str) -> tuple[Path, Path]:
    """A throwaway HOME with a private XDG_RUNTIME_DIR, once the daemon's tools are known to be there."""
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed; run 'make test', which installs it")
    home = factory.mktemp(name)
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    return home, runtime


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Secret Service for this test session; yields the environment that reaches it.

    Fails (never skips) when gnome-keyring or dbus is missing: the test command installs them.
    """
    if missing_tools():
        pytest.fail(f"{', '.join(missing_tools())} not installed; run 'make test', which installs them")
    home = tmp_path_factory.mktemp("home")
    with private_secret_service(home, KEYRING_PASSWORD, dict(os.environ)) as env, environment(env):
        import keyring.core

        keyring.core.init_backend()  # forget any backend chosen before this bus existed
        _wait_for_secret_service()
        yield env


def _wait_for_secret_service() -> None:
    from keyring.backends.SecretService import Keyring

    deadline = time.monotonic() + 15
    while True:
        try:
            backend = Keyring()
            backend.set_password("vaultscribe-test", "probe", "ok")
            if backend.get_password("vaultscribe-test", "probe") == "ok":
                backend.delete_password("vaultscribe-test", "probe")
                return
        except Exception as exc:  # noqa: BLE001 - any failure means "not up yet"
            if time.monotonic() > deadline:
                pytest.fail(f"the test Secret Service did not come up: {exc!r}")
        time.sleep(0.1)


@pytest.fixture()
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every temp file of this process at a folder the test can scan."""
    import tempfile

    tmp = tmp_path / "systmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@pytest.fixture(scope="session")
def virtual_microphone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PortAudio input: a PulseAudio daemon with a null sink whose monitor is
    remapped as the default source. What is played to the sink is what the microphone hears.
    Yields the PortAudio device name to use. Fails (never skips) when PulseAudio is missing."""
    home, runtime = _private_home(tmp_path_factory, "pulse-home", "pulseaudio", "pactl")
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("PULSE_SERVER", None)
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=vsink",
            "--load=module-remap-source master=vsink.monitor source_name=vmic",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = f"unix:{runtime}/pulse/native"
    env["PULSE_SERVER"] = server
    deadline = time.monotonic() + 15
    while subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False).returncode != 0:
        if time.monotonic() > deadline or daemon.poll() is not None:
            daemon.kill()
            pytest.fail("the test PulseAudio daemon did not come up")
        time.sleep(0.1)
    for cmd in (["pactl", "set-default-sink", "vsink"], ["pactl", "set-default-source", "vmic"]):
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    saved = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server
    import sounddevice as sd

    sd._terminate()  # PortAudio lists devices once: list them again now that the daemon is up
    sd._initialize()
    try:
        yield "pulse"
    finally:
        if saved is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = saved
        daemon.terminate()
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.kill()


@pytest.fixture(scope="session")
def onnx_models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A models folder with the trained test model and its ONNX export (int8 encoder), made once by the
    product's own ``export_onnx`` (about half a minute on 2 cores). Tests that change it copy it first."""
    from models.loader import export_onnx
    from models.store import EXPORT_RECORD, MODELS_ENV, ModelStore
    from tests.asr.conftest import TEST_MODEL, TEST_MODEL_ID

    root = tmp_path_factory.mktemp("onnx-models")
    ModelStore(root).import_file(TEST_MODEL)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(MODELS_ENV, str(root))
        seen: list[float] = []
        folder = export_onnx(TEST_MODEL_ID, seen.append)
        assert seen[-1] == 1.0 and seen == sorted(seen)
        assert folder.parent == root / "onnx" and (folder / EXPORT_RECORD).is_file()
    yield root
