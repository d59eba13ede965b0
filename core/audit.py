"""The audit trail: append-only, MAC-chained, sealed at its head, content-free.

In the vault each event carries an HMAC-SHA256, under a key derived from the vault master key (not
the database key), over its fields and the MAC of the event before it, so ``verify`` finds any edited,
removed, reordered or invented event. A sealed head (the count and last MAC, itself MAC'd) is kept in
the same transaction as each event: cutting off the newest events, or all of them, leaves a head that
no longer matches, and the next append continues from the head, not from what is left, so the gap
stays visible. A head found missing or altered is recorded as an ``audit.chain_broken`` event, which
makes ``verify`` fail for good. An event records who (the OS user), what kind, when, on which object
and with what outcome, and never audio, transcript text, passphrases, codes or key material:
``detail`` accepts only short scalar values, and callers pass reasons, not content.

Events from before unlock go to a small log outside the vault (``PreauthLog``), chained by plain
SHA-256 since no key is available then; the next successful unlock copies them into the vault's log as
``preauth.*`` events and empties the file. Anyone who can write that file can add lines to it, so
those events are never ``authenticated``: every output says so.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from core.errors import VaultError
from core.fsutil import NotRegularFile, append_line, atomic_write, open_regular

GENESIS = "0" * 64
#: The kind prefix of events copied in from the pre-unlock log: what they claim is not authenticated.
PREAUTH_PREFIX = "preauth."
#: Recorded when the sealed head was found missing or altered, or a chain failed to verify when it was
#: first keyed; its presence makes the trail fail verification from then on.
CHAIN_BROKEN = "audit.chain_broken"
HEAD_SETTING = "audit.head"
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

    def _body(self) -> bytes:
        body = asdict(self)
        body.pop("hash")
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        """The unkeyed link of the pre-unlock log (and of vaults from before the chain was keyed)."""
        return hashlib.sha256(self._body()).hexdigest()

    def compute_mac(self, key: bytes) -> str:
        """The keyed link of the vault's chain."""
        return hmac.new(key, self._body(), hashlib.sha256).hexdigest()

    @property
    def authenticated(self) -> bool:
        """False for events copied in from the pre-unlock log: anyone who can write it could forge them."""
        return not self.kind.startswith(PREAUTH_PREFIX)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_export(self) -> dict[str, Any]:
        """What leaves the vault (exports, the SIEM copy): the event, and whether it is authenticated."""
        return {**asdict(self), "authenticated": self.authenticated}


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str | None = None
    #: events recorded before unlock (``preauth.*``, and lines still waiting in the pre-unlock log):
    #: counted, chained, but not authenticated
    unauthenticated: int = 0


def verify_chain(events: Iterable[AuditEvent], *, start_prev: str = GENESIS, key: bytes | None = None) -> VerifyReport:
    """Check the links; with ``key`` each link is the event's MAC, else its plain SHA-256."""
    prev, expected_seq, count, unauthenticated = start_prev, None, 0, 0
    for event in events:
        count += 1
        if expected_seq is not None and event.seq != expected_seq:
            return VerifyReport(False, count, event.seq, "an event is missing or out of order")
        if event.prev_hash != prev:
            return VerifyReport(False, count, event.seq, "the chain is broken before this event")
        link = event.compute_hash() if key is None else event.compute_mac(key)
        if not hmac.compare_digest(link, event.hash):
            return VerifyReport(False, count, event.seq, "this event was altered")
        if key is not None and event.kind == CHAIN_BROKEN:
            why = event.detail.get("reason")
            return VerifyReport(
                False, count, event.seq, f"this event records that the trail was cut or altered ({why})"
            )
        unauthenticated += not event.authenticated
        prev, expected_seq = event.hash, event.seq + 1
    return VerifyReport(True, count, unauthenticated=unauthenticated)


@dataclass(frozen=True)
class _Head:
    """The sealed head: how many events the chain holds and the last one's MAC."""

    count: int
    last: str

    def seal(self, key: bytes) -> str:
        body = json.dumps({"purpose": "audit-head", "count": self.count, "last": self.last}, sort_keys=True)
        return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


class AuditLog:
    """The in-vault log, keyed by ``key`` (from the vault master key). ``conn`` is a sqlcipher connection
    inside the caller's transaction."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def head(self, conn: Any) -> tuple[int, str]:
        """The newest event in the table (seq and MAC); (0, GENESIS) when empty."""
        row = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))

    def sealed_head(self, conn: Any) -> tuple[int, str] | None:
        """The head as last sealed (count, last MAC), or None if it is missing or its seal does not verify."""
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (HEAD_SETTING,)).fetchone()
        if row is None:
            return None
        try:
            doc = json.loads(row[0])
            head = _Head(int(doc["count"]), str(doc["last"]))
            seal = str(doc["seal"])
        except (TypeError, KeyError, ValueError):
            return None
        if not hmac.compare_digest(head.seal(self._key), seal):
            return None
        return head.count, head.last

    def start(self, conn: Any) -> None:
        """Seal the empty head of a new vault: from then on a missing head means the trail was cut."""
        self._seal(conn, 0, GENESIS)

    def _seal(self, conn: Any, count: int, last: str) -> None:
        head = _Head(count, last)
        value = json.dumps({"count": count, "last": last, "seal": head.seal(self._key)}, sort_keys=True)
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (HEAD_SETTING, value),
        )

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
        """Append after the sealed head, not after what the table holds, so a cut stays a visible gap."""
        checked = _check_detail(detail or {})
        after = self.sealed_head(conn)
        if after is None:  # missing or forged: continue from the table, and say so in the chain for good
            reason = "head_altered" if self._has_seal(conn) else "head_missing"
            broken = self._insert(
                conn, self.head(conn), at_ms, os_user, CHAIN_BROKEN, "failure", None, {"reason": reason}
            )
            after = (broken.seq, broken.hash)
        return self._insert(conn, after, at_ms, os_user, kind, outcome, object_id, checked)

    @staticmethod
    def _has_seal(conn: Any) -> bool:
        return conn.execute("SELECT 1 FROM settings WHERE key = ?", (HEAD_SETTING,)).fetchone() is not None

    def _insert(
        self,
        conn: Any,
        after: tuple[int, str],
        at_ms: int,
        os_user: str,
        kind: str,
        outcome: str,
        object_id: str | None,
        detail: Detail,
    ) -> AuditEvent:
        event = AuditEvent(after[0] + 1, at_ms, os_user, kind, object_id, outcome, detail, after[1])
        event = replace(event, hash=event.compute_mac(self._key))
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
        self._seal(conn, event.seq, event.hash)
        return event

    def events(self, conn: Any) -> Iterator[AuditEvent]:
        cursor = conn.execute(
            "SELECT seq, at_ms, os_user, kind, object_id, outcome, detail, prev_hash, hash"
            " FROM audit_events ORDER BY rowid"
        )
        for row in cursor:
            yield AuditEvent(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7], row[8])

    def verify(self, conn: Any) -> VerifyReport:
        """Every link's MAC, then the sealed head against the last event: a cut-off tail fails."""
        report = verify_chain(self.events(conn), key=self._key)
        if not report.ok:
            return report
        sealed = self.sealed_head(conn)
        head = self.head(conn)
        if sealed is None:
            return replace(
                report, ok=False, first_bad_seq=head[0] or None, reason="the sealed head is missing or altered"
            )
        if sealed != head or sealed[0] != report.events:
            return replace(
                report,
                ok=False,
                first_bad_seq=min(sealed[0], head[0]) + 1,
                reason=(
                    f"the log does not end where its sealed head says (the head counts {sealed[0]} events, the log"
                    f" holds {report.events}): the newest events were removed"
                ),
            )
        return report

    def rekey(self, conn: Any) -> VerifyReport:
        """Turn a chain of plain SHA-256 links (vaults from before the key) into MAC links, and seal its
        head. Returns what the old chain's check found; a broken one is re-linked as found, and a
        ``CHAIN_BROKEN`` event then says so for good (the caller appends it)."""
        events = list(self.events(conn))
        legacy = verify_chain(events)
        prev = GENESIS
        for event in events:
            linked = replace(event, prev_hash=prev)
            mac = linked.compute_mac(self._key)
            conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, mac, event.seq))
            prev = mac
        self._seal(conn, events[-1].seq if events else 0, prev)
        return legacy

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
            out.write(json.dumps(event.to_export(), sort_keys=True) + "\n")
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
                with os.fdopen(self._open(os.O_RDONLY), "rb") as fh:
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
            json.dumps({"vault": self.vault_id, **event.to_export()}, sort_keys=True) + "\n" for event in events
        ).encode("utf-8")
        fd = self._open(os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._last = events[-1].seq

    def _open(self, flags: int) -> int:
        """Never through a symbolic link (in a shared drop folder another user could plant one at the name
        first), never blocking on a pipe, and only a regular file."""
        extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.path, flags | extra, 0o640)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "not a regular file", str(self.path))
        return fd
