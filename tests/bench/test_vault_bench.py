"""bench/vault.py compares like with like: both databases run the same SQLite settings.

Until 2026-12-07 the plain side kept stdlib's 2 MiB page cache while the vault ran with 64 MiB, and a
large cache makes SQLite's own commits slower (bench/RESULTS.md, "Issue 20: the rest of the insert
cost"): that cost was charged to the encryption. This opens both sides as the benchmark does, the
vault through the real SQLCipher file, and reads every setting back from each connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import vault as bench
from core.vault import store

SETTINGS = ("cache_size", "journal_mode", "synchronous", "foreign_keys", "secure_delete", "temp_store")


def _settings(conn: Any) -> dict[str, object]:
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in SETTINGS}


def test_the_plain_side_runs_every_production_pragma(tmp_path: Path) -> None:
    vault, close_vault = bench.open_vault(tmp_path / "vault.db")
    plain, close_plain = bench.open_plain(tmp_path / "plain.db")
    try:
        assert vault.execute("PRAGMA cipher_version").fetchone()  # the real SQLCipher, keyed
        assert vault.execute("PRAGMA cipher_provider").fetchone()[0] == "openssl"
        ours, theirs = _settings(vault), _settings(plain)
    finally:
        close_vault()
        close_plain()
    assert ours == theirs
    assert ours["cache_size"] == -65536 and ours["journal_mode"] == "wal" and ours["secure_delete"] == 1
    assert set(bench.PLAIN_PRAGMAS) == set(store.PRAGMAS)  # derived, so a new pragma reaches both sides
