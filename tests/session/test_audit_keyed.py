"""Issue 22, item 6: the audit trail resists whoever holds the database key but not the vault's.

Each test performs the attack, then checks through the command line (``vaultscribe audit verify`` and
``audit export``), against a real SQLCipher vault and the real Secret Service. The attacker holds the
SQLCipher key (the data key) and edits the database directly; the chain's MACs and its sealed head are
under a key derived from the vault master key, which the database does not hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from typing import Any

import pytest

from core.audit import GENESIS, AuditEvent, AuditLog, PreauthLog
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.security.secret import SecretKey
from core.session import Session
from core.session.keyslots import Keyslots
from core.vault.store import VaultDB
from tests.core import test_cli
from tests.core.test_cli import PASS, Cli
from tests.vault_access import vault_context

pytestmark = pytest.mark.real_keyring


# the command line's vault (real SQLCipher, real Secret Service), as test_cli makes it
vs = test_cli.vs
_keep_pytests_core_limit = test_cli._keep_pytests_core_limit


@pytest.fixture(autouse=True)
def _some_events(vs: Cli) -> None:
    """A few events of the user's own in the command line's vault."""
    for _ in range(3):
        assert vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")[0] == 0


def verify(vs: Cli) -> tuple[int, dict[str, Any]]:
    rc, data, _ = vs("audit", "verify", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=PASS + "\n")
    return rc, data


def exported(vs: Cli) -> list[dict[str, Any]]:
    rc, text, _ = vs("audit", "export", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture()
def tamper(vs: Cli) -> Iterator[Callable[[str, tuple[Any, ...]], None]]:
    """Runs SQL on the vault's database the way an attacker holding only the data key would."""
    paths = VaultPaths(vs.vault)
    session = Session(paths, keystore=KeyringKeystore(), clock=vs.clock, kdf_params=TEST_PARAMS)
    session.unlock(PASS, vs.code())
    state = vault_context(session).require_open()
    dek, db_path = SecretKey(bytearray(state.dek.reveal())), paths.db(state.header.db_file)
    session.lock()
    db = VaultDB.open(db_path, dek)

    def run(sql: str, params: tuple[Any, ...] = ()) -> None:
        with db.transaction() as conn:
            conn.execute(sql, params)

    yield run
    db.close()


def test_the_untouched_trail_verifies(vs: Cli) -> None:
    rc, report = verify(vs)
    assert rc == 0 and report["ok"] is True and report["events"] > 5


def test_deleting_the_last_events_fails_verification(vs: Cli, tamper: Callable[..., None]) -> None:
    tamper("DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 2 FROM audit_events)")
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False
    # and it stays failed: later unlocks do not paper over the cut
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False


def test_deleting_every_event_fails_verification(vs: Cli, tamper: Callable[..., None]) -> None:
    tamper("DELETE FROM audit_events")
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False


def test_deleting_every_event_and_the_sealed_head_fails_verification(vs: Cli, tamper: Callable[..., None]) -> None:
    tamper("DELETE FROM audit_events")
    tamper("DELETE FROM settings WHERE key LIKE 'audit.%'")
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False


def test_a_trail_rewritten_from_scratch_without_the_key_fails_verification(
    vs: Cli, tamper: Callable[..., None]
) -> None:
    """The attacker rebuilds a plausible, internally consistent chain (SHA-256 links, as before the fix)."""
    events = exported(vs)
    tamper("DELETE FROM audit_events")
    prev = GENESIS
    for number, original in enumerate(events, start=1):
        fields = {k: original[k] for k in ("at_ms", "os_user", "kind", "object_id", "outcome", "detail")}
        event = AuditEvent(seq=number, prev_hash=prev, **fields)
        event = replace(event, hash=event.compute_hash())
        row = asdict(event)
        row["detail"] = json.dumps(row["detail"], sort_keys=True)
        tamper(
            "INSERT INTO audit_events(seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash)"
            " VALUES (:seq, :at_ms, :os_user, :kind, :object_id, :outcome, :detail, :prev_hash, :hash)",
            row,
        )
        prev = event.hash
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False


def test_editing_an_event_and_relinking_the_chain_without_the_key_fails(vs: Cli, tamper: Callable[..., None]) -> None:
    tamper("UPDATE audit_events SET outcome = 'failure' WHERE seq = 2")
    rc, report = verify(vs)
    assert rc != 0 and report["first_bad_seq"] == 2


def test_a_forged_preauth_export_success_is_shown_as_unauthenticated(vs: Cli) -> None:
    """A well-chained line in preauth.jsonl claiming an export: anyone who can write the folder can add it."""
    PreauthLog(VaultPaths(vs.vault).preauth_log).append(
        at_ms=vs.clock.now_ms(), os_user="alice", kind="transcript.export", outcome="success", detail={"bytes": 10}
    )
    events = exported(vs)
    forged = [e for e in events if e["kind"].endswith("transcript.export")]
    assert len(forged) == 1 and forged[0]["authenticated"] is False
    assert forged[0]["kind"].startswith("preauth.")
    assert all(e["authenticated"] is True for e in events if not e["kind"].startswith("preauth."))
    rc, report = verify(vs)
    assert rc == 0 and report["unauthenticated"] >= 1
    rc, text, _ = vs("audit", "verify", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert "before unlock" in text and "not authenticated" in text


# -- vaults from before the keyed chain ----------------------------------------------------------------


def _make_unkeyed(vs: Cli, *, break_seq: int | None = None) -> None:
    """Turn the vault into what an older VaultScribe wrote: SHA-256 links, no sealed head, no header flag."""
    paths = VaultPaths(vs.vault)
    session = Session(paths, keystore=KeyringKeystore(), clock=vs.clock, kdf_params=TEST_PARAMS)
    session.unlock(PASS, vs.code())
    state = vault_context(session).require_open()
    dek, db_path = SecretKey(bytearray(state.dek.reveal())), paths.db(state.header.db_file)
    Keyslots(vault_context(session)).write_header(replace(state.header, audit="", mac=b""))
    session.lock()
    assert b'"audit"' not in paths.header.read_bytes()
    db = VaultDB.open(db_path, dek)
    with db.transaction() as conn:
        prev = GENESIS
        for event in list(AuditLog(b"unused").events(conn)):
            linked = replace(event, prev_hash=prev)
            prev = linked.compute_hash()
            conn.execute(
                "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", (linked.prev_hash, prev, event.seq)
            )
        conn.execute("DELETE FROM settings WHERE key = 'audit.head'")
        if break_seq is not None:
            conn.execute("UPDATE audit_events SET outcome = 'failure' WHERE seq = ?", (break_seq,))
    db.close()


def test_an_unkeyed_vault_is_keyed_at_its_next_unlock(vs: Cli) -> None:
    _make_unkeyed(vs)
    rc, report = verify(vs)
    assert rc == 0 and report["ok"] is True
    assert b'"audit": "hmac-sha256-sealed"' in VaultPaths(vs.vault).header.read_bytes()
    kinds = [e["kind"] for e in exported(vs)]
    assert kinds.count("audit.keyed") == 1 and "audit.chain_broken" not in kinds


def test_an_unkeyed_chain_that_was_already_broken_stays_failed_once_keyed(vs: Cli) -> None:
    _make_unkeyed(vs, break_seq=2)
    rc, report = verify(vs)
    assert rc != 0 and report["ok"] is False and "unkeyed_chain_broken" in report["reason"]


def test_a_crash_after_keying_the_chain_but_before_the_header_is_finished_at_the_next_unlock(
    vs: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_unkeyed(vs)

    class Killed(BaseException):
        pass

    def crash(self: Keyslots, header: Any) -> None:
        raise Killed

    with monkeypatch.context() as patch, pytest.raises(Killed):
        patch.setattr(Keyslots, "write_header", crash)
        vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    rc, report = verify(vs)
    assert rc == 0 and report["ok"] is True
    assert [e["kind"] for e in exported(vs)].count("audit.keyed") == 1


def test_the_header_flag_cannot_be_removed_to_make_the_vault_look_unkeyed(vs: Cli) -> None:
    """Without it the next unlock would re-key whatever chain it found: the header's MAC covers it."""
    header = VaultPaths(vs.vault).header
    doc = json.loads(header.read_bytes())
    del doc["audit"]
    header.write_bytes(json.dumps(doc, sort_keys=True, indent=1).encode() + b"\n")
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 3 and "vaultscribe: " in err
