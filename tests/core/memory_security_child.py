"""Run by tests/core/test_memory_security.py in a fresh interpreter: SQLCipher's memory security is
process-wide and can never be turned off again, so each policy gets a process of its own.

It sets up a vault through the command line (``cli.main``, the real keyring) under the policy file it
is given (TOML, or a macOS managed-preferences plist; no file: no policy), unlocks it with
``status``, and prints one JSON object: what ``status --json`` reported, and SQLCipher's own
``PRAGMA cipher_memory_security`` on the vault's database read through the unlocked session.

    python -m tests.core.memory_security_child VAULT_DIR [POLICY_FILE]
"""

from __future__ import annotations

import base64
import io
import json
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from app.cli import commands as cli
from core.clock import FakeClock
from core.paths import VaultPaths
from core.policy import NO_POLICY, Policy, read_plist, read_toml
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.security.totp import TotpSecret
from core.session import Session
from tests.vault_access import vault_query

PASS = "correct horse battery staple"


def main(vault: Path, policy_file: Path | None) -> dict[str, Any]:
    def load() -> Policy:
        if policy_file is None:
            return NO_POLICY
        return read_plist(policy_file) if policy_file.suffix == ".plist" else read_toml(policy_file)

    clock = FakeClock()

    def run(*args: str) -> dict[str, Any]:
        out = io.StringIO()
        rc = cli.main(
            ["--vault", str(vault), *args, "--json"],
            stdin=io.StringIO(PASS + "\n"),
            stdout=out,
            clock=clock,
            kdf_params=TEST_PARAMS,
            policy=load,
        )
        if rc != 0:
            raise SystemExit(f"vaultscribe {args[0]} exited {rc}")
        data: dict[str, Any] = json.loads(out.getvalue())
        return data

    uri = run("init", "--passphrase-stdin")["totp_uri"]
    b32 = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    totp = TotpSecret(base64.b32decode(b32 + "=" * (-len(b32) % 8)))
    status = run("status", "--passphrase-stdin", "--totp", totp.code_at(clock.now_ms() // 1000))

    session = Session(VaultPaths(vault), keystore=KeyringKeystore(), clock=clock, kdf_params=TEST_PARAMS, policy=load())
    clock.advance(31)  # the next TOTP step: the last code is spent
    session.unlock(PASS, totp.code_at(clock.now_ms() // 1000))
    try:
        ((pragma,),) = vault_query(session, "PRAGMA cipher_memory_security")
    finally:
        session.lock()
    return {"status": status, "pragma": pragma}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)))
