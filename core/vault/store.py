"""The SQLCipher connection: keying, pragmas, transactions and error translation.

Never writes plaintext: the database, its WAL and every temp structure are
encrypted by SQLCipher (TEMP_STORE=2 keeps temp tables in memory). The key is
a raw 256-bit key, so SQLCipher runs no KDF of its own.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from core.errors import BadInput, StorageFull, VaultCorrupt, VaultError
from core.security.secret import SecretKey, key_clause
from core.vault.migrate import migrate

PRAGMAS = (
    # Wipes and mlocks SQLCipher's buffers so decrypted pages never reach swap. It is
    # process-wide and costs several times the speed of plain SQLite (bench/RESULTS.md).
    "PRAGMA cipher_memory_security = ON",
    # Every page read from disk is decrypted and its HMAC checked: a 64 MiB cache keeps
    # hot pages decrypted in (locked) memory instead of paying that again.
    "PRAGMA cache_size = -65536",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
)


def translate(exc: Exception, *, where: str) -> VaultError | BadInput:
    """Map a sqlcipher error onto our tree. Callers ``raise translate(e) from e``."""
    text = str(exc).lower()
    if "database or disk is full" in text or ("disk i/o error" in text and "full" in text):
        return StorageFull("The disk is full: the last change was not saved; nothing else was lost.")
    if "not a database" in text or "malformed" in text or "hmac" in text:
        return VaultCorrupt(
            f"The vault database {where} is damaged or was altered (a page failed its "
            "authentication check). Restore it from a backup."
        )
    if "fts5" in text or ("syntax error" in text and "match" in text):
        return BadInput("Invalid search: check quotes and operators in the search text.")
    return VaultError(f"Vault database error in {where}: {exc}")


class VaultDB:
    """One open, keyed connection, shared by the GUI's threads.

    Every use of the connection holds ``lock`` (re-entrant): a transaction holds it
    from BEGIN to COMMIT, so a long job's progress write and a search from another
    thread take turns instead of interleaving statements on one connection.
    """

    def __init__(self, conn: Any, path: Path) -> None:
        self._conn: Any | None = conn
        self.path = path
        self.lock = threading.RLock()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """The connection, held for reads outside a transaction."""
        with self.lock:
            yield self.conn

    @classmethod
    def open(cls, path: Path, key: SecretKey, *, create: bool = False) -> VaultDB:
        if not create and not path.exists():
            raise VaultCorrupt(f"The vault database {path.name} is missing.")
        if create and path.exists():
            raise VaultError(f"{path} already exists")
        if create:
            # create the file 0600 before SQLCipher opens it
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            conn = sqlite.connect(str(path), isolation_level=None, check_same_thread=False)
        except sqlite.Error as exc:
            raise translate(exc, where=path.name) from exc
        try:
            with key_clause("PRAGMA key = \"x'{key}'\"", key) as sql:
                conn.execute(sql)
            conn.execute("PRAGMA cipher_log_level = NONE")
            # A wrong key is accepted silently until the first read: read now.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            for pragma in PRAGMAS:
                conn.execute(pragma)
            db = cls(conn, path)
            migrate(conn)
            if not create:
                db.quick_check()
        except sqlite.Error as exc:
            conn.close()
            raise translate(exc, where=path.name) from exc
        except BaseException:
            conn.close()
            raise
        return db

    @property
    def conn(self) -> Any:
        if self._conn is None:
            from core.errors import VaultLocked

            raise VaultLocked("The vault is locked.")
        return self._conn

    def quick_check(self) -> None:
        with self.reading() as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise VaultCorrupt(f"The vault database {self.path.name} failed its integrity check.")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[Any]:
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite.Error as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite.Error):
                    conn.execute("ROLLBACK")
            raise translate(exc, where=self.path.name) from exc

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        try:
            with self.reading() as conn:
                return list(conn.execute(sql, params).fetchall())
        except sqlite.Error as exc:
            raise translate(exc, where=self.path.name) from exc

    def export_to(self, path: Path, key: SecretKey) -> None:
        """Copy the whole database into a new file under another key (for key rotation)."""
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with self.lock:
            self._export_to(path, key)

    def _export_to(self, path: Path, key: SecretKey) -> None:
        conn = self.conn
        try:
            with key_clause("ATTACH DATABASE ? AS rotated KEY \"x'{key}'\"", key) as sql:
                conn.execute(sql, (str(path),))
            try:
                conn.execute("SELECT sqlcipher_export('rotated')")
                version = conn.execute("PRAGMA main.user_version").fetchone()[0]
                conn.execute(f"PRAGMA rotated.user_version = {int(version):d}")
            finally:
                conn.execute("DETACH DATABASE rotated")
        except sqlite.Error as exc:
            path.unlink(missing_ok=True)
            raise translate(exc, where=path.name) from exc

    def close(self) -> None:
        with self.lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None
