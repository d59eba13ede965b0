"""The SQLCipher connection: keying, pragmas, transactions, the integrity check and error translation.

Never writes plaintext: the database, its WAL and every temp structure are
encrypted by SQLCipher (TEMP_STORE=2 keeps temp tables in memory). The key is
a raw 256-bit key, so SQLCipher runs no KDF of its own.

Opening never creates a database unless asked to (``create=True``, which only
``Session.create`` passes): a missing or empty file where a vault's database
should be is refused, so a lost file is never replaced by an empty vault.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from core.errors import BadInput, Cancelled, StorageFull, VaultCorrupt, VaultError
from core.progress import CancelToken
from core.security.secret import SecretKey, key_clause, raw_key
from core.vault.migrate import current_version, migrate

#: Wipes and mlocks SQLCipher's own buffers. Off unless the administrator's policy turns it on
#: (``database_memory_security``): it is process-wide, cannot be turned off again, costs several
#: times the speed of plain SQLite (bench/RESULTS.md), and does not keep transcripts out of swap,
#: since Python, numpy and Qt hold the same text in ordinary memory. Encrypted swap does (SECURITY.md).
MEMORY_SECURITY = "PRAGMA cipher_memory_security = ON"

PRAGMAS = (
    # Every page read from disk is decrypted and its HMAC checked: a 64 MiB cache keeps
    # hot pages decrypted in memory instead of paying that again.
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


def _restore_hint(path: Path, what: str) -> VaultCorrupt:
    return VaultCorrupt(
        f"The vault database {path} {what}. Nothing was created in its place: restore the vault "
        "from a backup (vaultscribe restore FILE into a new folder), or put the file back."
    )


def _keyed(path: Path, key: SecretKey, *, memory_security: bool) -> Any:
    """A connection to ``path`` under ``key``, with the key checked by a first read."""
    try:
        conn = sqlite.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlite.Error as exc:
        raise translate(exc, where=path.name) from exc
    with _closed_on_error(conn, path):
        if memory_security:
            conn.execute(MEMORY_SECURITY)  # before the key, so its copy is in locked memory too
        with raw_key(key) as clause:
            conn.set_key(clause)  # sqlite3_key: no SQL text of the key for SQLite to copy and free unwiped
        conn.execute("PRAGMA cipher_log_level = NONE")
        # A wrong key is accepted silently until the first read: read now.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


@contextlib.contextmanager
def _closed_on_error(conn: Any, path: Path) -> Iterator[None]:
    """Close ``conn`` if the block fails, with a sqlcipher error translated."""
    try:
        yield
    except sqlite.Error as exc:
        conn.close()
        raise translate(exc, where=path.name) from exc
    except BaseException:
        conn.close()
        raise


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
        """The connection, held for reads outside a transaction; a sqlcipher error comes out translated
        (a page that fails its HMAC is found when it is read: no whole-file check ran at open)."""
        with self.lock:
            try:
                yield self.conn
            except sqlite.Error as exc:
                raise translate(exc, where=self.path.name) from exc

    @classmethod
    def open(cls, path: Path, key: SecretKey, *, create: bool = False, memory_security: bool = False) -> VaultDB:
        """Open (or, with ``create``, make) the database at ``path`` and bring its schema up to date.

        No whole-file check runs here, so opening takes the same time at any size: SQLCipher
        authenticates each page as it reads it, and ``check_integrity`` reads them all, after unlock.
        """
        if create and path.exists():
            raise VaultError(f"{path} already exists")
        if not create:
            if not path.exists():
                raise _restore_hint(path, "is missing")
            if path.stat().st_size == 0:
                # Refused before SQLite sees it: SQLite would delete a WAL beside an empty file.
                raise _restore_hint(path, "is empty (0 bytes)")
        if create:
            # create the file 0600 before SQLCipher opens it
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = _keyed(path, key, memory_security=memory_security)
        with _closed_on_error(conn, path):
            if not create and current_version(conn) == 0:
                raise _restore_hint(path, "holds no vault data")
            for pragma in PRAGMAS:
                conn.execute(pragma)
            migrate(conn)
        return cls(conn, path)

    @property
    def conn(self) -> Any:
        if self._conn is None:
            from core.errors import VaultLocked

            raise VaultLocked("The vault is locked.")
        return self._conn

    def check_integrity(self, key: SecretKey, *, cancel: CancelToken | None = None) -> None:
        """Read every page and check the b-trees (``PRAGMA quick_check``): VaultCorrupt if anything fails.

        It runs on a second, read-only connection of its own, so it never holds ``lock``: the vault
        stays usable while it reads the whole file (WAL readers do not block the writer). ``cancel``
        interrupts it (Cancelled). Seconds per 100 MiB on a laptop: see bench/RESULTS.md.
        """
        path = self.path
        token = cancel or CancelToken()
        token.raise_if_cancelled()
        conn = _keyed(path, key, memory_security=False)  # memory security, once on, is on process-wide
        try:
            conn.execute("PRAGMA query_only = ON")
            # Checked every 1,000 steps, not more often: each call takes the GIL back from the GUI thread.
            conn.set_progress_handler(lambda: 1 if token.cancelled else 0, 1000)
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite.Error as exc:
            if token.cancelled:
                raise Cancelled("The integrity check was cancelled.") from None
            raise translate(exc, where=path.name) from exc
        finally:
            conn.close()
        if rows != [("ok",)]:
            raise VaultCorrupt(
                f"The vault database {path.name} failed its integrity check: part of it is damaged. "
                "Restore the vault from a backup (vaultscribe restore FILE into a new folder)."
            )

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
