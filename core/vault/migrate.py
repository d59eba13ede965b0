"""Numbered schema migrations. The SQL files in ``migrations/`` are the one
declaration of the schema; ``PRAGMA user_version`` says how far a vault is.

Each migration runs in its own transaction together with the version bump, so
a crash leaves the vault at the old version or the new one, never between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("core.vault.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbering has a gap at {migration.name}")
    return found


def latest_version() -> int:
    return len(load_migrations())


def current_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, *, target: int | None = None) -> list[int]:
    """Apply pending migrations up to ``target`` (default: latest). Returns those applied."""
    migrations = load_migrations()
    target = len(migrations) if target is None else target
    have = current_version(conn)
    if have > len(migrations):
        from core.errors import VaultError

        raise VaultError(f"This vault was written by a newer VaultScribe (schema {have}); update the app to open it.")
    applied = []
    for migration in migrations[have:target]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; triggers keep their inner semicolons."""
    import sqlcipher3.dbapi2 as sqlite

    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
