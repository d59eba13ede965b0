"""The audit trail: hash-chained, content-free, and tamper-evident in and outside the vault."""

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


@pytest.fixture
def db(tmp_path: Path) -> Iterator[VaultDB]:
    vault = VaultDB.open(tmp_path / "vault-audit.db", SecretKey(os.urandom(32)), create=True)
    yield vault
    vault.close()


def fill(db: VaultDB, n: int = 5) -> list[AuditEvent]:
    log = AuditLog()
    out = []
    with db.transaction() as conn:
        for i in range(n):
            out.append(
                log.append(
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
    return AuditLog().verify(db.conn)


# -- append and verify ----------------------------------------------------------------


def test_append_chains_events(db: VaultDB) -> None:
    events = fill(db, 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert all(e.hash == e.compute_hash() and len(e.hash) == 64 for e in events)
    assert len({e.hash for e in events}) == 3
    assert AuditLog().head(db.conn) == (3, events[2].hash)


def test_empty_log_verifies_and_has_genesis_head(db: VaultDB) -> None:
    assert AuditLog().head(db.conn) == (0, GENESIS)
    report = verify(db)
    assert report.ok and report.events == 0


def test_events_read_back_equal_what_was_written(db: VaultDB) -> None:
    written = fill(db, 4)
    assert list(AuditLog().events(db.conn)) == written
    report = verify(db)
    assert report.ok
    assert report.events == 4
    assert report.first_bad_seq is None and report.reason is None


def test_append_in_a_rolled_back_transaction_leaves_no_trace(db: VaultDB) -> None:
    fill(db, 2)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        AuditLog().append(conn, at_ms=5, os_user="u", kind="k", outcome="success")
        raise RuntimeError("boom")
    assert AuditLog().head(db.conn)[0] == 2
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
    event = next(e for e in AuditLog().events(db.conn) if e.seq == 2)
    forged = replace(event, outcome="failure")
    db.conn.execute(
        "UPDATE audit_events SET outcome = ?, hash = ? WHERE seq = 2", (forged.outcome, forged.compute_hash())
    )
    report = verify(db)
    assert not report.ok
    assert report.first_bad_seq == 3
    assert report.reason == "the chain is broken before this event"


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
    assert AuditLog().export_jsonl(db.conn, out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    for got, event in zip(parsed, written, strict=True):
        assert got == asdict(event)
        assert got["hash"] == event.hash and len(got["hash"]) == 64
        assert got["prev_hash"] == event.prev_hash
    # an exported log can be verified on its own
    assert verify_chain(AuditEvent(**p) for p in parsed).ok


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
        AuditLog().append(conn, at_ms=1, os_user="u", kind="k", outcome="success", detail=detail)
    assert AuditLog().head(db.conn) == (0, GENESIS)


def test_detail_accepts_short_scalars(db: VaultDB) -> None:
    detail = {"s": "x" * 80, "i": -3, "f": 1.25, "b": False, "n": None, "k" * 40: 1}
    with db.transaction() as conn:
        event = AuditLog().append(conn, at_ms=1, os_user="u", kind="k", outcome="success", detail=detail)
    assert event.detail == detail
    detail["s"] = "changed later"
    assert next(AuditLog().events(db.conn)).detail["s"] == "x" * 80


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
