"""A private, real Secret Service: a dbus-daemon and a gnome-keyring-daemon under a throwaway HOME.

Used by the test suite (``tests/conftest.py``) and by the scripts that run the real app
(``bench/startup.py``, ``bench/screenshots.py``). Nothing here touches the caller's own keyring.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TOOLS = ("dbus-daemon", "gnome-keyring-daemon")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """``env`` in force in ``os.environ`` for the block; the previous values (or absence) after."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def private_secret_service(home: Path, password: str, base_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Start both daemons for ``home`` (which must exist); yields the variables that reach them
    (HOME, the XDG dirs, DBUS_SESSION_BUS_ADDRESS, GNOME_KEYRING_CONTROL). Stops them on exit."""
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    full = {**base_env, **env}
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=full,
    )
    procs = [bus]
    try:
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = full["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=full,
        )
        procs.insert(0, daemon)
        assert daemon.stdin is not None and daemon.stdout is not None
        daemon.stdin.write(password)
        daemon.stdin.close()
        for line in iter(daemon.stdout.readline, ""):
            key, _, value = line.strip().partition("=")
            if key == "GNOME_KEYRING_CONTROL":
                env[key] = value
                break
        yield env
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
