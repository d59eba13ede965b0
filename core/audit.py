"""The audit trail: append-only, hash-chained, content-free.

Each event carries the SHA-256 of the event before it, so ``verify`` finds any
edited, removed or reordered event. An event records who (the OS user), what
kind, when, on which object and with what outcome, and never audio,
transcript text, passphrases, codes or key material: ``detail`` accepts only
short scalar values, and callers pass reasons, not content.

Events from before unlock go to a small chained log outside the vault
(``PreauthLog``); the next successful unlock copies them into the vault's log
and empties the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from core.errors import VaultError
from core.fsutil import NotRegularFile, append_line, atomic_write, open_regular

GENESIS = "0" * 64
_MAX_DETAIL_STR = 80

Detail = dict[str, str | int | float | bool | None]


def _check_detail(detail: Detail) -> Detail:
    for key, value in detail.items():
        if not isinstance(key, str) or len(key) > 40:
            raise ValueError("audit detail keys are short strings")
        if isinstance(value, str) and len(value) > _MAX_DETAIL_STR:
            raise ValueError("audit detail values are short: no content in the audit log")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise ValueError("audit detail values are scalars")
    return dict(detail)


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at_ms: int
    os_user: str
    kind: str
    object_id: str | None
    outcome: str
    detail: Detail = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def compute_hash(self) -> str:
        body = asdict(self)
        body.pop("hash")
        data = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(data).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(events: Iterable[AuditEvent], *, start_prev: str = GENESIS) -> VerifyReport:
    prev, expected_seq, count = start_prev, None, 0
    for event in events:
        count += 1
        if expected_seq is not None and event.seq != expected_seq:
            return VerifyReport(False, count, event.seq, "an event is missing or out of order")
        if event.prev_hash != prev:
            return VerifyReport(False, count, event.seq, "the chain is broken before this event")
        if event.compute_hash() != event.hash:
            return VerifyReport(False, count, event.seq, "this event was altered")
        prev, expected_seq = event.hash, event.seq + 1
    return VerifyReport(True, count)


class AuditLog:
    """The in-vault log. ``conn`` is a sqlcipher connection inside the caller's transaction."""

    def head(self, conn: Any) -> tuple[int, str]:
        row = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))

    def append(
        self,
        conn: Any,
        *,
        at_ms: int,
        os_user: str,
        kind: str,
        outcome: str,
        object_id: str | None = None,
        detail: Detail | None = None,
    ) -> AuditEvent:
        seq, prev = self.head(conn)
        event = AuditEvent(seq + 1, at_ms, os_user, kind, object_id, outcome, _check_detail(detail or {}), prev)
        event = AuditEvent(**{**asdict(event), "hash": event.compute_hash()})
        conn.execute(
            "INSERT INTO audit_events(seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (
                event.seq,
                event.at_ms,
                event.os_user,
                event.kind,
                event.object_id,
                event.outcome,
                json.dumps(event.detail, sort_keys=True),
                event.prev_hash,
                event.hash,
            ),
        )
        return event

    def events(self, conn: Any) -> Iterator[AuditEvent]:
        cursor = conn.execute(
            "SELECT seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash"
            " FROM audit_events ORDER BY rowid"
        )
        for row in cursor:
            yield AuditEvent(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7], row[8])

    def verify(self, conn: Any) -> VerifyReport:
        return verify_chain(self.events(conn))

    def events_after(self, conn: Any, seq: int) -> list[AuditEvent]:
        rows = conn.execute(
            "SELECT seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash"
            " FROM audit_events WHERE seq > ? ORDER BY seq",
            (seq,),
        ).fetchall()
        return [AuditEvent(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def export_jsonl(self, conn: Any, out: IO[str]) -> int:
        n = 0
        for event in self.events(conn):
            out.write(json.dumps(event.to_json(), sort_keys=True) + "\n")
            n += 1
        return n


class PreauthLog:
    """Chained events from before unlock, outside the vault. Content-free by construction.

    It holds the failure history the back-off counts, so it fails closed: a link, a folder, a FIFO or
    anything else that is not a regular file at its name makes ``read`` and ``append`` raise VaultError
    (the vault then neither reports its state nor unlocks) instead of being followed, read as empty,
    or waited on. A link to /dev/null would otherwise swallow every failed attempt.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _not_a_file(self) -> VaultError:
        return VaultError(
            f"The pre-unlock log {self.path} is not a regular file: something replaced it. Move it away (it holds "
            "no secret) and try again; until then the vault does not unlock."
        )

    def _read_bytes(self) -> bytes | None:
        try:
            fd = open_regular(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        except NotRegularFile:
            raise self._not_a_file() from None
        except OSError as exc:
            raise VaultError(f"Could not read the pre-unlock log {self.path}: {exc.strerror}") from None
        with os.fdopen(fd, "rb") as fh:
            return fh.read()

    def read(self) -> tuple[list[AuditEvent], VerifyReport]:
        data = self._read_bytes()
        if data is None:
            return [], VerifyReport(True, 0)
        events = []
        try:
            for line in data.splitlines():
                if line.strip():
                    events.append(AuditEvent(**json.loads(line)))
        except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
            return events, VerifyReport(False, len(events), None, "the pre-unlock log is unreadable")
        return events, verify_chain(events)

    def append(self, *, at_ms: int, os_user: str, kind: str, outcome: str, detail: Detail | None = None) -> AuditEvent:
        events, _ = self.read()
        seq, prev = (events[-1].seq, events[-1].hash) if events else (0, GENESIS)
        event = AuditEvent(seq + 1, at_ms, os_user, kind, None, outcome, _check_detail(detail or {}), prev)
        event = AuditEvent(**{**asdict(event), "hash": event.compute_hash()})
        try:
            append_line(self.path, json.dumps(event.to_json(), sort_keys=True).encode())
        except NotRegularFile:
            raise self._not_a_file() from None
        return event

    def clear(self) -> None:
        if self._read_bytes() is not None:
            atomic_write(self.path, b"")


class AuditMirror:
    """The policy's ``audit_export_path``: an append-only JSONL copy of the vault's audit events for a SIEM.

    Only committed events are copied, each once, in order: after a commit the mirror appends every
    event with a sequence number above the last line already in the file, so a crash between the two
    is caught up at the next write. Events hold no content (see ``_check_detail``), so the copy is
    safe in plaintext. Events of several vaults may share one file; each line names its vault.
    """

    def __init__(self, path: Path, vault_id: str) -> None:
        self.path = path
        self.vault_id = vault_id
        self._last: int | None = None

    def last_seq(self) -> int:
        if self._last is None:
            self._last = 0
            if self.path.exists():
                with self.path.open("rb") as fh:
                    for line in fh:  # the file is this machine's log; its lines are short
                        try:
                            record = json.loads(line)
                        except ValueError:
                            continue
                        if record.get("vault") == self.vault_id:
                            self._last = max(self._last, int(record.get("seq", 0)))
        return self._last

    def append(self, events: list[AuditEvent]) -> None:
        if not events:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(
            json.dumps({"vault": self.vault_id, **event.to_json()}, sort_keys=True) + "\n" for event in events
        ).encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._last = events[-1].seq
