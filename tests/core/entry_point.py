"""The installed ``vaultscribe`` program, run as the user runs it: a real process, the real clock, the
real Secret Service of the ``secret_service`` fixture (its variables are in ``os.environ``).

The vault is made in-process (``tests.core.test_cli.Cli``, fast Argon2, a fake clock in 2023), so each
real run pays only the Argon2 cost stored in the header. Real runs use the real clock: each unlock
takes a later TOTP step, and a step is good for about 30 s, so a test gets a few unlocks at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import core
from core.security.totp import TotpSecret

VAULTSCRIBE = Path(sys.executable).with_name("vaultscribe")
#: The tree under test: a child process imports the same ``core`` as this one.
REPO = Path(core.__file__).resolve().parent.parent


class Program:
    def __init__(self, vault: Path, totp: TotpSecret, passphrase: str, *, site: Path | None = None) -> None:
        self.vault, self.totp, self.passphrase = vault, totp, passphrase
        path = [str(site)] if site is not None else []
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, str(REPO)])}
        self._step = int(time.time()) // 30 - 1  # the first unlock takes the current step

    def auth(self) -> list[str]:
        """Unlock arguments with the code of the next unused TOTP step (the current one, then the next)."""
        self._step += 1
        if self._step > int(time.time()) // 30 + 1:  # beyond the ±1 step a code is accepted in: wait
            time.sleep((self._step - 1) * 30 - time.time() + 0.5)
        return ["--passphrase-stdin", "--totp", self.totp.code_at(self._step * 30)]

    def step_unused(self) -> None:
        """The last run was refused before its code was checked: its TOTP step is still good for the next."""
        self._step -= 1

    def argv(self, *args: str) -> list[str]:
        return [str(VAULTSCRIBE), "--vault", str(self.vault), *args]

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout_s: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """One command that unlocks: the passphrase goes on stdin."""
        return subprocess.run(
            self.argv(*args, *self.auth()), input=self.passphrase + "\n", capture_output=True, text=True,
            env={**self.env, **(env or {})}, check=False, timeout=timeout_s,
        )  # fmt: skip

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """The same command left running; its passphrase is already on its stdin."""
        read_end, write_end = os.pipe()
        os.write(write_end, (self.passphrase + "\n").encode())
        os.close(write_end)
        try:
            return subprocess.Popen(
                self.argv(*args, *self.auth()), stdin=read_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, env={**self.env, **(env or {})},
            )  # fmt: skip
        finally:
            os.close(read_end)


def hold_vault_in_another_process(root: Path) -> subprocess.Popen[str]:
    """Another process that has taken the vault's lock (as an unlocked VaultScribe would) and keeps it until
    its stdin closes or it is killed. Returns once the lock is held."""
    code = (
        "import sys; from pathlib import Path; from core.paths import VaultPaths; "
        "from core.vault.lock import VaultLock; held = VaultLock.acquire(VaultPaths(Path(sys.argv[1]))); "
        "print('held', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder
