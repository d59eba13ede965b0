"""Schema migrations: numbered, each in one transaction with its version bump."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlite

from core.errors import VaultError
from core.security.secret import SecretKey
from core.types import Job, Recording, RecordingId, Transcript, Word
from core.vault import migrate as migrate_mod
from core.vault import records
from core.vault.migrate import Migration, _statements, current_version, latest_version, load_migrations, migrate
from core.vault.store import VaultDB

KEY = SecretKey(bytes(range(1, 33)))


def raw_connect(path: Path, key: SecretKey = KEY) -> Any:
    """A keyed connection without VaultDB, so migrations can be driven by hand."""
    conn = sqlite.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Any]:
    c = raw_connect(tmp_path / "vault-m.db")
    yield c
    c.close()


def tables(conn: Any) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def test_migrations_are_numbered_without_gaps() -> None:
    found = load_migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert latest_version() == len(found) >= 2
    assert found[0].name == "0001_initial.sql"
    assert all(m.sql.strip() for m in found)


def test_fresh_db_reaches_latest(conn: Any) -> None:
    assert current_version(conn) == 0
    applied = migrate(conn)
    assert applied == list(range(1, latest_version() + 1))
    assert current_version(conn) == latest_version()
    assert {"recordings", "transcripts", "audit_events", "settings", "jobs", "tags", "recording_tags"} <= tables(conn)
    assert migrate(conn) == []  # idempotent
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_target_stops_part_way(conn: Any) -> None:
    assert migrate(conn, target=1) == [1]
    assert current_version(conn) == 1
    assert "recordings" in tables(conn)
    assert "tags" not in tables(conn)


def test_v1_vault_with_data_upgrades_to_latest_intact(tmp_path: Path) -> None:
    path = tmp_path / "vault-old.db"
    c = raw_connect(path)
    migrate(c, target=1)
    rec = Recording(records.RecordingId("rec-1"), "Interview", 1_000, duration_ms=5_000, language="en")
    tr = Transcript(
        records.TranscriptId("tr-1"),
        rec.id,
        2_000,
        "parakeet",
        "tdt-0.6b",
        "the quick brown fox",
        (Word("the", 0, 100), Word("quick", 100, 300)),
        "en",
    )
    c.execute("BEGIN")
    records.add_recording(c, rec, audio_key_sealed=b"\x01" * 60)
    # as version 1 wrote it: today's save_transcript fills columns added since
    c.execute(
        "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, language, text,"
        " words_json) VALUES ('tr-1', 'rec-1', 2000, 2000, 'parakeet', 'tdt-0.6b', 'en', 'the quick brown fox', ?)",
        ('[{"w": "the", "start_ms": 0, "end_ms": 100}, {"w": "quick", "start_ms": 100, "end_ms": 300}]',),
    )
    c.execute("COMMIT")
    c.close()

    db = VaultDB.open(path, KEY)  # migrates on open
    try:
        conn = db.conn
        assert current_version(conn) == latest_version()
        assert records.get_recording(conn, rec.id) == rec
        assert records.get_transcript(conn, tr.id) == tr
        assert conn.execute("SELECT audio_key_wrapped FROM recordings").fetchone()[0] == b"\x01" * 60
        assert [h.transcript_id for h in records.search(conn, "brown")] == ["tr-1"]
        # the new tables work with the old rows
        conn.execute("INSERT INTO tags(name) VALUES ('legal')")
        conn.execute("INSERT INTO recording_tags(recording_id, tag_id) VALUES ('rec-1', 1)")
        with pytest.raises(sqlite.IntegrityError):
            conn.execute("INSERT INTO tags(name) VALUES ('LEGAL')")  # NOCASE unique
    finally:
        db.close()


def test_v2_jobs_and_transcripts_upgrade_to_v3(tmp_path: Path) -> None:
    path = tmp_path / "vault-v2.db"
    c = raw_connect(path)
    migrate(c, target=2)
    c.execute("INSERT INTO recordings(id, title, created_ms) VALUES ('rec-1', 't', 1)")
    c.execute(
        "INSERT INTO jobs(id, kind, recording_id, state, created_ms, updated_ms) VALUES ('j1', 'transcribe', 'rec-1',"
        " 'queued', 5, 5)"
    )
    c.execute(
        "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, text, words_json)"
        " VALUES ('tr-1', 'rec-1', 2, 2, 'nemo', 'm', 'old words', ?)",
        ('[{"w": "old", "start_ms": 0, "end_ms": 9}]',),
    )
    c.close()

    db = VaultDB.open(path, KEY)
    try:
        conn = db.conn
        assert current_version(conn) >= 3
        job = records.get_job(conn, records.JobId("j1"))
        assert job == Job(records.JobId("j1"), "transcribe", records.RecordingId("rec-1"), "queued", 0.0, None, 0, 5, 5)
        tr = records.get_transcript(conn, records.TranscriptId("tr-1"))
        assert tr is not None
        assert (tr.words, tr.segments, tr.device) == ((Word("old", 0, 9),), (), None)
        records.set_job_state(conn, job.id, "running", now_ms=6, count_attempt=True)
        assert records.next_queued_job(conn) is None
        assert [j.attempts for j in records.list_jobs(conn, state="running")] == [1]
    finally:
        db.close()


def _with_broken(sql: str) -> list[Migration]:
    real = load_migrations()
    return [*real, Migration(len(real) + 1, f"{len(real) + 1:04d}_broken.sql", sql)]


BROKEN = """
CREATE TABLE partial (x INTEGER);
INSERT INTO partial VALUES (1);
ALTER TABLE recordings ADD COLUMN half_done TEXT;
INSERT INTO no_such_table VALUES (1);
"""


def test_failing_migration_rolls_back_entirely(conn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    migrate(conn)
    latest = latest_version()
    monkeypatch.setattr(migrate_mod, "load_migrations", lambda: _with_broken(BROKEN))
    with pytest.raises(sqlite.OperationalError, match="no_such_table"):
        migrate(conn)
    assert current_version(conn) == latest
    assert "partial" not in tables(conn)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(recordings)")}
    assert "half_done" not in columns
    assert not conn.in_transaction


def test_failing_migration_on_open_is_a_vault_error_and_leaves_the_file_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vault-b.db"
    VaultDB.open(path, KEY, create=True).close()
    monkeypatch.setattr(migrate_mod, "load_migrations", lambda: _with_broken(BROKEN))
    with pytest.raises(VaultError):
        VaultDB.open(path, KEY)
    monkeypatch.undo()
    db = VaultDB.open(path, KEY)
    try:
        assert current_version(db.conn) == latest_version()
        assert "partial" not in tables(db.conn)
    finally:
        db.close()


def test_a_multi_step_upgrade_stops_at_the_last_good_version(conn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    migrate(conn, target=1)
    latest = latest_version()
    monkeypatch.setattr(migrate_mod, "load_migrations", lambda: _with_broken(BROKEN))
    with pytest.raises(sqlite.OperationalError):
        migrate(conn)
    # the real migrations each committed on their own before the broken one started
    assert current_version(conn) == latest
    assert "tags" in tables(conn)
    assert "partial" not in tables(conn)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vault-new.db"
    VaultDB.open(path, KEY, create=True).close()
    c = raw_connect(path)
    c.execute(f"PRAGMA user_version = {latest_version() + 1}")
    c.close()
    with pytest.raises(VaultError, match="newer VaultScribe"):
        VaultDB.open(path, KEY)
    c = raw_connect(path)
    try:
        with pytest.raises(VaultError, match="newer"):
            migrate(c)
        assert current_version(c) == latest_version() + 1
    finally:
        c.close()


def test_statement_splitter_keeps_triggers_whole() -> None:
    sql = """-- a comment first
CREATE TABLE a (x TEXT); -- trailing; comment
CREATE TRIGGER t AFTER INSERT ON a BEGIN
    INSERT INTO a VALUES ('one;two');
    INSERT INTO a VALUES ('three');
END;
INSERT INTO a VALUES ('four')"""
    out = _statements(sql)
    assert out == [
        "CREATE TABLE a (x TEXT); -- trailing; comment",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    INSERT INTO a VALUES ('one;two');\n"
        "    INSERT INTO a VALUES ('three');\nEND;",
        "INSERT INTO a VALUES ('four')",
    ]


def test_every_real_migration_splits_into_complete_statements() -> None:
    for migration in load_migrations():
        for statement in _statements(migration.sql):
            assert sqlite.complete_statement(statement + ";" if not statement.endswith(";") else statement)


def _fts(conn: Any, query: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT t.id FROM transcript_fts JOIN transcripts t ON t.rowid = transcript_fts.rowid"
            " WHERE transcript_fts MATCH ? ORDER BY t.id",
            (query,),
        )
    ]


def test_fts_triggers_follow_insert_update_delete(conn: Any) -> None:
    migrate(conn)
    conn.execute("INSERT INTO recordings(id, title, created_ms) VALUES ('r', 't', 1)")
    for tid, text in (("a", "alpha bravo"), ("b", "bravo charlie")):
        conn.execute(
            "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, text)"
            " VALUES (?, 'r', 1, 1, 'e', 'm', ?)",
            (tid, text),
        )
    assert _fts(conn, "bravo") == ["a", "b"]
    assert _fts(conn, "alpha") == ["a"]

    conn.execute("UPDATE transcripts SET text = 'delta echo' WHERE id = 'a'")
    assert _fts(conn, "alpha") == []
    assert _fts(conn, "delta") == ["a"]
    assert _fts(conn, "bravo") == ["b"]

    conn.execute("UPDATE transcripts SET engine = 'other' WHERE id = 'b'")  # not the text: index untouched
    assert _fts(conn, "charlie") == ["b"]

    conn.execute("DELETE FROM transcripts WHERE id = 'b'")
    assert _fts(conn, "bravo") == []
    assert _fts(conn, "charlie") == []

    conn.execute("DELETE FROM recordings WHERE id = 'r'")  # cascades to transcripts, and so to the index
    assert _fts(conn, "delta") == []
    conn.execute("INSERT INTO transcript_fts(transcript_fts) VALUES ('integrity-check')")


def test_fts_folds_diacritics(conn: Any) -> None:
    migrate(conn)
    conn.execute("INSERT INTO recordings(id, title, created_ms) VALUES ('r', 't', 1)")
    conn.execute(
        "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, text)"
        " VALUES ('x', 'r', 1, 1, 'e', 'm', 'Café Müller')"
    )
    assert _fts(conn, "cafe") == ["x"]
    assert _fts(conn, "muller") == ["x"]


@contextmanager
def upgraded_from(path: Path, version: int, *statements: str) -> Iterator[VaultDB]:
    """A vault file made at schema ``version`` with ``statements`` run on it, then opened (and so
    upgraded) as the app opens it."""
    c = raw_connect(path)
    migrate(c, target=version)
    for sql in statements:
        c.execute(sql)
    c.close()
    db = VaultDB.open(path, KEY)
    try:
        yield db
    finally:
        db.close()


def test_v4_vault_upgrades_to_v5_with_an_empty_vocabulary(tmp_path: Path) -> None:
    with upgraded_from(
        tmp_path / "vault-v4.db", 4, "INSERT INTO recordings(id, title, created_ms) VALUES ('rec-1', 't', 1)"
    ) as db:
        conn = db.conn
        assert current_version(conn) >= 5
        assert conn.execute("SELECT count(*) FROM vocabulary").fetchone() == (0,)
        insert = "INSERT INTO vocabulary(recording_id, phrase, folded, added_ms) VALUES (?, ?, ?, 1)"
        conn.execute(insert, (None, "Ödön", "ödön"))
        conn.execute(insert, ("rec-1", "Ödön", "ödön"))  # another list may hold the same phrase
        with pytest.raises(sqlite.IntegrityError):
            conn.execute(insert, (None, "ÖDÖN", "ödön"))  # one list holds a phrase once, whatever its case
        with pytest.raises(sqlite.IntegrityError):
            conn.execute(insert, ("no-such-recording", "x", "x"))
        with pytest.raises(sqlite.IntegrityError):
            conn.execute(insert, (None, "", ""))
        conn.execute("DELETE FROM recordings WHERE id = 'rec-1'")  # a recording's list goes with it
        assert conn.execute("SELECT recording_id FROM vocabulary").fetchall() == [(None,)]


def test_v6_vault_upgrades_to_v7_and_its_redacted_copy_counts_as_made_from_an_unknown_review(tmp_path: Path) -> None:
    insert = "INSERT INTO recordings(id, title, created_ms, redacted_blob) VALUES ('rec-1', 't', 1, 'r.vsb')"
    with upgraded_from(tmp_path / "vault-v6.db", 6, insert) as db:
        assert current_version(db.conn) >= 7
        assert records.redacted_from(db.conn, RecordingId("rec-1")) is None
        records.set_redacted_blob(db.conn, RecordingId("rec-1"), "s.vsb", made_from='{"review": "x"}')
        assert records.redacted_from(db.conn, RecordingId("rec-1")) == '{"review": "x"}'


def test_v7_vault_upgrades_to_v8_and_finds_recordings_by_status_through_the_index(tmp_path: Path) -> None:
    rows = ", ".join(
        f"('rec-{i}', 't', {100 - i}, '{'recording' if i % 3 == 0 else 'transcribed'}')" for i in range(10)
    )
    insert = f"INSERT INTO recordings(id, title, created_ms, status) VALUES {rows}"
    with upgraded_from(tmp_path / "vault-v7.db", 7, insert) as db:
        conn = db.conn
        assert current_version(conn) == 8
        plan = " ".join(
            row[-1]
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM recordings WHERE status = 'recording' ORDER BY created_ms"
            )
        )
        assert "USING INDEX recordings_status" in plan and "TEMP B-TREE" not in plan, plan
        assert records.ids_with_status(conn, "recording") == ["rec-9", "rec-6", "rec-3", "rec-0"]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
