"""The audit trail: MAC-chained and sealed, content-free, and tamper-evident in and outside the vault.

The attacks through the command line on a real vault are in ``tests/session/test_audit_keyed.py``."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import pytest

from core.audit import GENESIS, AuditEvent, AuditLog, PreauthLog, verify_chain
from core.security.secret import SecretKey
from core.vault.store import VaultDB

KEY = os.urandom(32)


def log() -> AuditLog:
    return AuditLog(KEY)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[VaultDB]:
    vault = VaultDB.open(tmp_path / "vault-audit.db", SecretKey(os.urandom(32)), create=True)
    with vault.transaction() as conn:
        log().start(conn)
    yield vault
    vault.close()


def fill(db: VaultDB, n: int = 5) -> list[AuditEvent]:
    chain = log()
    out = []
    with db.transaction() as conn:
        for i in range(n):
            out.append(
                chain.append(
                    conn,
                    at_ms=1_000 + i,
                    os_user="alice",
                    kind=f"thing.did_{i}",
                    outcome="success",
                    object_id=f"obj-{i}" if i % 2 else None,
                    detail={"n": i, "ok": True, "ratio": 0.5, "reason": "because", "none": None},
                )
            )
    return out


def verify(db: VaultDB) -> Any:
    return log().verify(db.conn)


# -- append and verify ----------------------------------------------------------------


def test_append_chains_events(db: VaultDB) -> None:
    events = fill(db, 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert all(e.hash == e.compute_mac(KEY) and len(e.hash) == 64 for e in events)
    assert all(e.hash != e.compute_mac(os.urandom(32)) for e in events)
    assert len({e.hash for e in events}) == 3
    assert log().head(db.conn) == (3, events[2].hash)


def test_empty_log_verifies_and_has_genesis_head(db: VaultDB) -> None:
    assert log().head(db.conn) == (0, GENESIS)
    report = verify(db)
    assert report.ok and report.events == 0


def test_events_read_back_equal_what_was_written(db: VaultDB) -> None:
    written = fill(db, 4)
    assert list(log().events(db.conn)) == written
    report = verify(db)
    assert report.ok
    assert report.events == 4
    assert report.first_bad_seq is None and report.reason is None


def test_append_in_a_rolled_back_transaction_leaves_no_trace(db: VaultDB) -> None:
    fill(db, 2)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        log().append(conn, at_ms=5, os_user="u", kind="k", outcome="success")
        raise RuntimeError("boom")
    assert log().head(db.conn)[0] == 2
    assert verify(db).ok


def test_hash_covers_every_field() -> None:
    base = AuditEvent(1, 10, "u", "k", "o", "success", {"a": 1}, GENESIS)
    changes = {
        "seq": 2,
        "at_ms": 11,
        "os_user": "v",
        "kind": "j",
        "object_id": None,
        "outcome": "failure",
        "detail": {"a": 2},
        "prev_hash": "1" * 64,
    }
    assert {f.name for f in fields(AuditEvent)} - {"hash"} == set(changes)
    for name, value in changes.items():
        assert replace(base, **{name: value}).compute_hash() != base.compute_hash(), name
    # the stored hash itself is not an input
    assert replace(base, hash="x").compute_hash() == base.compute_hash()


# -- tamper detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("outcome", "'failure'"),
        ("kind", "'thing.did_nothing'"),
        ("at_ms", "999999"),
        ("os_user", "'mallory'"),
        ("object_id", "'other'"),
        ("detail", "'{\"n\": 7}'"),
    ],
)
def test_verify_detects_an_edited_event(db: VaultDB, column: str, value: str) -> None:
    fill(db, 5)
    db.conn.execute(f"UPDATE audit_events SET {column} = {value} WHERE seq = 3")
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 3
    assert report.reason == "this event was altered"


def test_verify_detects_an_edited_event_even_if_its_hash_is_recomputed(db: VaultDB) -> None:
    fill(db, 5)
    event = next(e for e in log().events(db.conn) if e.seq == 2)
    forged = replace(event, outcome="failure")
    db.conn.execute(
        "UPDATE audit_events SET outcome = ?, hash = ? WHERE seq = 2", (forged.outcome, forged.compute_hash())
    )
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 2
    assert report.reason == "this event was altered"


def test_verify_detects_an_edited_event_relinked_under_another_key(db: VaultDB) -> None:
    fill(db, 5)
    other = AuditLog(os.urandom(32))
    prev = GENESIS
    for event in list(log().events(db.conn)):
        relinked = replace(event, prev_hash=prev, outcome="failure")
        prev = relinked.compute_mac(os.urandom(32))
        db.conn.execute(
            "UPDATE audit_events SET outcome = 'failure', prev_hash = ?, hash = ? WHERE seq = ?",
            (relinked.prev_hash, prev, event.seq),
        )
    with db.transaction() as conn:
        other.start(conn)  # even a head sealed under the other key
    report = verify(db)
    assert not report.ok and report.first_bad_seq == 1


def test_cutting_off_the_newest_events_fails_and_the_next_event_leaves_a_gap(db: VaultDB) -> None:
    fill(db, 5)
    db.conn.execute("DELETE FROM audit_events WHERE seq >= 4")
    report = verify(db)
    assert not report.ok and report.first_bad_seq == 4 and "removed" in (report.reason or "")
    with db.transaction() as conn:
        event = log().append(conn, at_ms=9, os_user="u", kind="k", outcome="success")
    assert event.seq == 6  # after the sealed head, not after what was left
    report = verify(db)
    assert not report.ok and report.first_bad_seq == 6 and report.reason == "an event is missing or out of order"


def test_a_missing_head_is_recorded_in_the_chain_for_good(db: VaultDB) -> None:
    fill(db, 3)
    db.conn.execute("DELETE FROM audit_events")
    db.conn.execute("DELETE FROM settings")
    report = verify(db)
    assert not report.ok and report.reason == "the sealed head is missing or altered"
    with db.transaction() as conn:
        log().append(conn, at_ms=9, os_user="u", kind="k", outcome="success")
    kinds = [(e.kind, e.detail.get("reason")) for e in log().events(db.conn)]
    assert kinds == [("audit.chain_broken", "head_missing"), ("k", None)]
    report = verify(db)
    assert not report.ok and report.first_bad_seq == 1 and "cut or altered (head_missing)" in (report.reason or "")


def test_a_forged_head_is_refused(db: VaultDB) -> None:
    fill(db, 3)
    db.conn.execute("DELETE FROM audit_events WHERE seq = 3")
    row = db.conn.execute("SELECT value FROM settings WHERE key = 'audit.head'").fetchone()
    doc = json.loads(row[0])
    last = db.conn.execute("SELECT hash FROM audit_events WHERE seq = 2").fetchone()[0]
    doc.update(count=2, last=last)  # the old seal, now over the wrong numbers
    db.conn.execute("UPDATE settings SET value = ? WHERE key = 'audit.head'", (json.dumps(doc),))
    report = verify(db)
    assert not report.ok and report.reason == "the sealed head is missing or altered"
    with db.transaction() as conn:
        log().append(conn, at_ms=9, os_user="u", kind="k", outcome="success")
    assert [e.kind for e in log().events(db.conn)][-2:] == ["audit.chain_broken", "k"]


def test_rekey_turns_an_unkeyed_chain_into_a_keyed_one(tmp_path: Path) -> None:
    """A vault from before the key: plain SHA-256 links, no head."""
    vault = VaultDB.open(tmp_path / "vault-old.db", SecretKey(os.urandom(32)), create=True)
    prev = GENESIS
    with vault.transaction() as conn:
        for i in range(1, 4):
            event = AuditEvent(i, i, "u", "k", None, "success", {}, prev)
            event = replace(event, hash=event.compute_hash())
            conn.execute(
                "INSERT INTO audit_events(seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (i, i, "u", "k", None, "success", "{}", prev, event.hash),
            )
            prev = event.hash
    assert verify_chain(log().events(vault.conn)).ok and not log().verify(vault.conn).ok
    with vault.transaction() as conn:
        legacy = log().rekey(conn)
    assert legacy.ok and legacy.events == 3
    assert log().verify(vault.conn).ok
    vault.close()


def test_verify_detects_a_removed_middle_event(db: VaultDB) -> None:
    fill(db, 5)
    db.conn.execute("DELETE FROM audit_events WHERE seq = 3")
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 4
    assert report.reason == "an event is missing or out of order"


def test_verify_detects_a_removed_first_event(db: VaultDB) -> None:
    fill(db, 3)
    db.conn.execute("DELETE FROM audit_events WHERE seq = 1")
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 2


def test_verify_detects_swapped_contents(db: VaultDB) -> None:
    fill(db, 5)
    cols = "at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash"
    two = db.conn.execute(f"SELECT {cols} FROM audit_events WHERE seq = 2").fetchone()
    four = db.conn.execute(f"SELECT {cols} FROM audit_events WHERE seq = 4").fetchone()
    assign = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    db.conn.execute(f"UPDATE audit_events SET {assign} WHERE seq = 2", four)
    db.conn.execute(f"UPDATE audit_events SET {assign} WHERE seq = 4", two)
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 2


def test_verify_detects_swapped_sequence_numbers(db: VaultDB) -> None:
    fill(db, 5)
    db.conn.execute("UPDATE audit_events SET seq = -1 WHERE seq = 2")
    db.conn.execute("UPDATE audit_events SET seq = 2 WHERE seq = 3")
    db.conn.execute("UPDATE audit_events SET seq = 3 WHERE seq = -1")
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq in (2, 3)


def test_verify_chain_detects_reordering_in_memory() -> None:
    events = []
    prev = GENESIS
    for i in range(1, 5):
        e = AuditEvent(i, i, "u", "k", None, "success", {}, prev)
        e = replace(e, hash=e.compute_hash())
        events.append(e)
        prev = e.hash
    assert verify_chain(events).ok
    swapped = [events[0], events[2], events[1], events[3]]
    report = verify_chain(swapped)
    assert not report.ok and report.first_bad_seq == 3
    # a tail checked on its own needs the hash it continues from
    assert not verify_chain(events[2:]).ok
    assert verify_chain(events[2:], start_prev=events[1].hash).ok


# -- export -----------------------------------------------------------------------


def test_export_jsonl_lines_parse_and_carry_hashes(db: VaultDB) -> None:
    written = fill(db, 4)
    out = io.StringIO()
    assert log().export_jsonl(db.conn, out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    for got, event in zip(parsed, written, strict=True):
        assert got == {**asdict(event), "authenticated": True}
        assert got["hash"] == event.hash and len(got["hash"]) == 64
        assert got["prev_hash"] == event.prev_hash
    # an exported log can be verified by whoever holds the key (never by a SIEM alone)
    assert verify_chain(
        (AuditEvent(**{k: v for k, v in p.items() if k != "authenticated"}) for p in parsed), key=KEY
    ).ok


# -- content-free detail --------------------------------------------------------------


@pytest.mark.parametrize(
    "detail",
    [
        {"text": "x" * 81},
        {"transcript": "The patient said that the medication " * 5},
        {"words": ["a", "b"]},
        {"nested": {"a": 1}},
        {"raw": b"bytes"},
        {"tuple": (1, 2)},
        {"k" * 41: 1},
        {1: "not a str key"},
    ],
)
def test_detail_refuses_content_and_non_scalars(db: VaultDB, detail: dict[Any, Any]) -> None:
    with pytest.raises(ValueError), db.transaction() as conn:
        log().append(conn, at_ms=1, os_user="u", kind="k", outcome="success", detail=detail)
    assert log().head(db.conn) == (0, GENESIS)


def test_detail_accepts_short_scalars(db: VaultDB) -> None:
    detail = {"s": "x" * 80, "i": -3, "f": 1.25, "b": False, "n": None, "k" * 40: 1}
    with db.transaction() as conn:
        event = log().append(conn, at_ms=1, os_user="u", kind="k", outcome="success", detail=detail)
    assert event.detail == detail
    detail["s"] = "changed later"
    assert next(log().events(db.conn)).detail["s"] == "x" * 80


# -- the pre-unlock log ----------------------------------------------------------------


def test_preauth_append_read_verify_clear(tmp_path: Path) -> None:
    log = PreauthLog(tmp_path / "preauth.jsonl")
    assert log.read() == ([], verify_chain([]))
    a = log.append(at_ms=1, os_user="u", kind="unlock", outcome="failure", detail={"reason": "totp_wrong"})
    b = log.append(at_ms=2, os_user="u", kind="unlock", outcome="refused", detail={"reason": "backoff"})
    assert (a.seq, b.seq) == (1, 2)
    assert a.prev_hash == GENESIS and b.prev_hash == a.hash
    assert a.object_id is None
    events, report = log.read()
    assert events == [a, b]
    assert report.ok and report.events == 2
    assert (tmp_path / "preauth.jsonl").stat().st_mode & 0o777 == 0o600
    log.clear()
    assert log.read()[0] == []
    c = log.append(at_ms=3, os_user="u", kind="unlock", outcome="failure")
    assert c.seq == 1 and c.prev_hash == GENESIS


def test_preauth_clear_without_a_file_is_a_no_op(tmp_path: Path) -> None:
    log = PreauthLog(tmp_path / "preauth.jsonl")
    log.clear()
    assert not log.path.exists()


def test_preauth_refuses_content(tmp_path: Path) -> None:
    log = PreauthLog(tmp_path / "preauth.jsonl")
    with pytest.raises(ValueError):
        log.append(at_ms=1, os_user="u", kind="unlock", outcome="failure", detail={"passphrase": "p" * 100})
    assert not log.path.exists() or log.path.read_bytes() == b""


def _three(tmp_path: Path) -> PreauthLog:
    log = PreauthLog(tmp_path / "preauth.jsonl")
    for i in range(3):
        log.append(at_ms=i, os_user="u", kind="unlock", outcome="failure", detail={"reason": f"r{i}"})
    return log


def test_preauth_detects_an_edited_line(tmp_path: Path) -> None:
    log = _three(tmp_path)
    lines = log.path.read_text().splitlines()
    lines[1] = lines[1].replace('"failure"', '"success"')
    log.path.write_text("\n".join(lines) + "\n")
    events, report = log.read()
    assert len(events) == 3
    assert not report.ok and report.first_bad_seq == 2 and report.reason == "this event was altered"


def test_preauth_detects_a_removed_line(tmp_path: Path) -> None:
    log = _three(tmp_path)
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    _, report = log.read()
    assert not report.ok and report.first_bad_seq == 3


def test_preauth_detects_reordered_lines(tmp_path: Path) -> None:
    log = _three(tmp_path)
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2], lines[1]]) + "\n")
    _, report = log.read()
    assert not report.ok


@pytest.mark.parametrize(
    "junk",
    [
        "not json",
        "[1, 2, 3]",
        '{"seq": 1}',
        '"a string"',
        '{"seq": ' + "1" * 5000 + "}",
        "[" * 100_000,
    ],
    ids=["text", "list", "missing-fields", "string", "huge-int", "deep-nesting"],
)
def test_preauth_reports_an_unreadable_file_instead_of_raising(tmp_path: Path, junk: str) -> None:
    log = _three(tmp_path)
    with log.path.open("a") as fh:
        fh.write(junk + "\n")
    events, report = log.read()
    assert len(events) == 3
    assert not report.ok
    assert report.reason == "the pre-unlock log is unreadable"


def test_preauth_append_continues_the_chain_across_instances(tmp_path: Path) -> None:
    _three(tmp_path)
    again = PreauthLog(tmp_path / "preauth.jsonl")
    event = again.append(at_ms=9, os_user="u", kind="recover", outcome="failure")
    events, report = again.read()
    assert event.seq == 4 and events[2].hash == event.prev_hash
    assert report.ok and report.events == 4
