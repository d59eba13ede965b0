"""A private, real Secret Service: a dbus-daemon and a gnome-keyring-daemon under a throwaway HOME.

Used by the test suite (``tests/conftest.py``) and by the scripts that run the real app
(``bench/startup.py``, ``bench/screenshots.py``). Nothing here touches the caller's own keyring.

The daemons are kept out of the caller's terminal session and login session, where both used to reach
them: they run in a session of their own (``start_new_session``), so a hang-up or a Ctrl-C meant for the
test run does not reach them (gnome-keyring-daemon installs its own SIGHUP handler and quits on it, even
under ``nohup``), and without the variables that tie gnome-keyring to a desktop or a login
(``XDG_SESSION_ID`` makes it watch logind and quit when that login session starts closing). They are
tied to the process that started them instead: each gets SIGTERM when it ends.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

TOOLS = ("dbus-daemon", "gnome-keyring-daemon")

#: The Secret Service's well-known name, and where its default collection is found.
SECRETS = "org.freedesktop.secrets"
_SERVICE_PATH = "/org/freedesktop/secrets"

#: Variables of the caller's desktop or login session that gnome-keyring-daemon acts on: its control
#: socket (``--replace`` would quit the daemon it names), the session manager's id (it quits when that
#: session ends) and logind's session (it quits when that login session is closing).
_SESSION_HOOKS = ("GNOME_KEYRING_CONTROL", "DESKTOP_AUTOSTART_ID", "XDG_SESSION_ID")

_PR_SET_PDEATHSIG = 1


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


def _detached() -> None:
    """``preexec_fn``: the daemon gets SIGTERM when the thread that started it ends (Linux), so a test run
    killed outright does not leave it behind now that it no longer shares the run's session."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


class PrivateSecretService:
    """Both daemons for one HOME (which must exist). ``start()`` brings them up; ``problem()`` says
    cheaply whether the keyring still answers on the private bus, unlocked; ``restart_keyring()`` starts
    a new gnome-keyring-daemon on the same bus with the same environment, which unlocks the same keyring
    file with the same password; ``stop()`` ends both.

    ``env`` holds the variables that reach them (HOME, the XDG dirs, DBUS_SESSION_BUS_ADDRESS,
    GNOME_KEYRING_CONTROL); it does not change when the keyring daemon is restarted.
    """

    def __init__(self, home: Path, password: str, base_env: Mapping[str, str]) -> None:
        runtime = home / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.home = home
        self._password = password
        self.env = {
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
        }
        self._full = {k: v for k, v in base_env.items() if k not in _SESSION_HOOKS} | self.env
        self.bus: subprocess.Popen[str] | None = None
        self.daemon: subprocess.Popen[str] | None = None
        #: Where each daemon's own messages go (gnome-keyring says why it quits or aborts there).
        self.logs = {"dbus-daemon": home / "dbus-daemon.log", "gnome-keyring-daemon": home / "gnome-keyring.log"}
        self._log_from = 0  # where the running keyring daemon's part of its log starts

    def _popen(self, args: list[str], log: str, **kwargs: Any) -> subprocess.Popen[str]:
        with self.logs[log].open("a") as err:
            return subprocess.Popen(
                args, stderr=err, text=True, env=self._full, start_new_session=True, preexec_fn=_detached, **kwargs
            )

    def start(self) -> None:
        self.bus = self._popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"], "dbus-daemon",
            stdout=subprocess.PIPE,
        )
        assert self.bus.stdout is not None
        address = self.bus.stdout.readline().strip()
        if not address:
            raise RuntimeError(f"the private dbus-daemon did not start ({describe_exit(self.bus.wait(5))})")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self._full["DBUS_SESSION_BUS_ADDRESS"] = address
        self._start_keyring()

    def _start_keyring(self, *, replace: bool = False) -> None:
        # --replace quits a daemon that D-Bus activation may have started on this bus's control directory
        # (locked: it was given no password) once ours was gone.
        args = ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"]
        log = self.logs["gnome-keyring-daemon"]
        self._log_from = log.stat().st_size if log.exists() else 0
        daemon = self._popen(
            args + (["--replace"] if replace else []), "gnome-keyring-daemon",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        self.daemon = daemon
        assert daemon.stdin is not None and daemon.stdout is not None
        daemon.stdin.write(self._password)
        daemon.stdin.close()
        for line in iter(daemon.stdout.readline, ""):
            key, _, value = line.strip().partition("=")
            if key == "GNOME_KEYRING_CONTROL":
                self.env[key] = value
                break

    def problem(self) -> str | None:
        """None when the fixture's own gnome-keyring-daemon owns the Secret Service's name on the
        private bus and its default collection is unlocked; else what is wrong. A few D-Bus calls, none
        of which can start a service."""
        from jeepney import DBusAddress, MessageFlag, Properties, new_method_call
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        assert self.bus is not None and self.daemon is not None
        if self.bus.poll() is not None:
            return f"the private dbus-daemon {describe_exit(self.bus.returncode)}"
        gone = f"gnome-keyring-daemon (pid {self.daemon.pid}) {describe_exit(self.daemon.poll())}"

        def call(conn: Any, msg: Any) -> tuple[Any, ...]:
            msg.header.flags |= MessageFlag.no_auto_start
            body: tuple[Any, ...] = unwrap_msg(conn.send_and_get_reply(msg, timeout=5))
            return body

        try:
            with closing(open_dbus_connection(bus=self.env["DBUS_SESSION_BUS_ADDRESS"])) as conn:
                if not call(conn, message_bus.NameHasOwner(SECRETS))[0]:
                    return f"nothing owns {SECRETS} on the private bus; {gone}"
                (owner_pid,) = call(conn, message_bus.GetConnectionUnixProcessID(SECRETS))
                if owner_pid != self.daemon.pid:
                    return f"{SECRETS} is owned by process {owner_pid}, not the fixture's daemon; {gone}"
                service = DBusAddress(_SERVICE_PATH, bus_name=SECRETS, interface="org.freedesktop.Secret.Service")
                (path,) = call(conn, new_method_call(service, "ReadAlias", "s", ("default",)))
                if path == "/":
                    return "the keyring has no default collection"
                collection = DBusAddress(path, bus_name=SECRETS, interface="org.freedesktop.Secret.Collection")
                (_, locked), = call(conn, Properties(collection).get("Locked"))
                if locked:
                    return f"the default collection ({path}) is locked"
        except Exception as exc:  # noqa: BLE001 - whatever stops the calls is the problem to report
            return f"the Secret Service did not answer on the private bus ({exc!r}); {gone}"
        return None

    def restart_keyring(self, *, timeout: float = 15.0) -> str:
        """Stop what is left of the keyring daemon and start a new one on the same bus, with the same
        environment and password; returns once it answers, unlocked, with the last lines it left in its
        log before (what it said as it went). Raises RuntimeError if it never does."""
        if self.bus is None or self.bus.poll() is not None:
            raise RuntimeError("the private dbus-daemon is gone: the keyring cannot be restarted on the same bus")
        with self.logs["gnome-keyring-daemon"].open("rb") as log:
            log.seek(self._log_from)
            said = log.read().decode(errors="replace").splitlines()[-5:]
        _stop(self.daemon)
        self._start_keyring(replace=True)
        deadline = time.monotonic() + timeout
        while (problem := self.problem()) is not None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the restarted keyring daemon did not come up: {problem}")
            time.sleep(0.05)
        return " | ".join(line.strip() for line in said if line.strip()) or "nothing"

    def stop(self) -> None:
        _stop(self.daemon)
        _stop(self.bus)


def _stop(proc: subprocess.Popen[str] | None) -> None:
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()


@contextmanager
def private_secret_service(home: Path, password: str, base_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Start both daemons for ``home`` (which must exist); yields the variables that reach them
    (HOME, the XDG dirs, DBUS_SESSION_BUS_ADDRESS, GNOME_KEYRING_CONTROL). Stops them on exit."""
    service = PrivateSecretService(home, password, base_env)
    try:
        service.start()
        yield service.env
    finally:
        service.stop()

