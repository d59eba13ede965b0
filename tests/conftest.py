"""Shared fixtures. The real Secret Service is started here, by the suite itself:
a private dbus-daemon and gnome-keyring-daemon under a throwaway HOME."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.secret_service import PrivateSecretService, environment, missing_tools

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


class SecretServiceRestarted(UserWarning):
    """The test Secret Service was found gone (or locked) before a test and was brought back."""


@pytest.fixture(scope="session")
def secret_service_daemons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateSecretService]:
    """The private dbus-daemon and gnome-keyring-daemon of this test session (tests ask for
    ``secret_service``, which checks them first).

    Fails (never skips) when gnome-keyring or dbus is missing: the test command installs them.
    """
    if missing_tools():
        pytest.fail(f"{', '.join(missing_tools())} not installed; run 'make test', which installs them")
    service = PrivateSecretService(tmp_path_factory.mktemp("home"), KEYRING_PASSWORD, dict(os.environ))
    try:
        service.start()
        with environment(service.env):
            import keyring.core

            keyring.core.init_backend()  # forget any backend chosen before this bus existed
            _wait_for_secret_service()
            yield service
    finally:
        service.stop()


#: The last test that was handed a working keyring: if the next one finds it gone, it went during or after it.
_last_handed: list[str] = []


@pytest.fixture()
def secret_service(secret_service_daemons: PrivateSecretService, request: pytest.FixtureRequest) -> dict[str, str]:
    """A real Secret Service for this test; returns the environment that reaches it (in force in
    ``os.environ`` for the whole session).

    Before each test it checks, with a few D-Bus calls, that the session's gnome-keyring-daemon still
    owns the Secret Service on the private bus and its default collection is unlocked. If not (a CI run
    once lost it part way, and every later keyring test failed), it starts the daemon again on the same
    bus with the same environment and password, and says so: a SecretServiceRestarted warning, in the
    log and the warnings summary, naming this test and the last one handed a working keyring. A test
    that breaks the keyring itself still fails: the check runs before a test, never during one.
    """
    service = secret_service_daemons
    problem = service.problem()
    if problem is not None:
        try:
            said = service.restart_keyring()
            _wait_for_secret_service()
        except RuntimeError as exc:
            pytest.fail(f"the test Secret Service was gone ({problem}) and could not be restarted: {exc}")
        before = f"the last test handed a working one was {_last_handed[0]}" if _last_handed else "no test had used it"
        message = (
            f"the test Secret Service was gone when {request.node.nodeid} asked for it ({problem}; {before}; "
            f"the daemon's last words: {said}); gnome-keyring-daemon was restarted on the same bus"
        )
        logging.getLogger("tests.secret_service").warning(message)
        warnings.warn(SecretServiceRestarted(message), stacklevel=1)
    _last_handed[:] = [request.node.nodeid]
    return dict(service.env)


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
