"""The SQLCipher store: keying, pragmas, error translation, nothing in plaintext on disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite

from core.errors import BadInput, StorageFull, VaultCorrupt, VaultError, VaultLocked
from core.security.secret import SecretKey
from core.types import Recording, Transcript
from core.vault import records
from core.vault.migrate import latest_version
from core.vault.store import VaultDB, translate

CANARY = "zebra-quartz-canary-4471"


def key(n: int = 1) -> SecretKey:
    return SecretKey(bytes([n]) * 32)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "vault-s.db"


@pytest.fixture
def db(path: Path) -> Iterator[VaultDB]:
    vault = VaultDB.open(path, key(), create=True)
    yield vault
    vault.close()


def put_canary(db: VaultDB) -> None:
    with db.transaction() as conn:
        records.add_recording(conn, Recording(records.RecordingId("r1"), f"title {CANARY}", 1))
        records.save_transcript(
            conn,
            Transcript(records.TranscriptId("t1"), records.RecordingId("r1"), 1, "e", "m", f"said {CANARY} twice"),
        )


def raw_bytes(path: Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.parent / (path.name + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


# -- opening -------------------------------------------------------------------------


def test_open_sets_the_pragmas(db: VaultDB) -> None:
    assert db.query("PRAGMA journal_mode") == [("wal",)]
    assert db.query("PRAGMA foreign_keys") == [(1,)]
    assert db.query("PRAGMA secure_delete") == [(1,)]
    assert db.query("PRAGMA synchronous") == [(2,)]  # FULL
    assert db.query("PRAGMA temp_store") == [(2,)]  # MEMORY
    # off unless the policy turns it on: tests/core/test_memory_security.py, in fresh processes
    assert db.query("PRAGMA cipher_memory_security") == [("0",)]


def test_open_migrates_to_latest(db: VaultDB) -> None:
    assert db.query("PRAGMA user_version") == [(latest_version(),)]


def test_created_file_is_private(path: Path, db: VaultDB) -> None:
    assert path.stat().st_mode & 0o777 == 0o600


def test_create_refuses_an_existing_file(path: Path, db: VaultDB) -> None:
    with pytest.raises(VaultError, match="already exists"):
        VaultDB.open(path, key(), create=True)


def test_missing_file_is_corrupt_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "vault-missing.db"
    with pytest.raises(VaultCorrupt, match="missing") as info:
        VaultDB.open(missing, key())
    assert str(missing) in str(info.value) and "backup" in str(info.value)
    assert not missing.exists()


def test_an_empty_file_is_refused_and_left_as_it_was(path: Path, db: VaultDB) -> None:
    put_canary(db)
    db.close()
    wal = path.parent / (path.name + "-wal")
    wal.write_bytes(b"whatever was left beside it")
    path.write_bytes(b"")
    with pytest.raises(VaultCorrupt, match=r"is empty \(0 bytes\)") as info:
        VaultDB.open(path, key())
    assert str(path) in str(info.value) and "restore the vault from a backup" in str(info.value)
    # nothing was created over it, and SQLite never saw it (it would have deleted the WAL)
    assert path.read_bytes() == b""
    assert wal.read_bytes() == b"whatever was left beside it"


def test_a_database_without_a_schema_is_refused(path: Path) -> None:
    empty = sqlite.connect(str(path))
    empty.execute(f"PRAGMA key = \"x'{key().hex()}'\"")
    empty.execute("PRAGMA journal_mode = WAL")  # writes page 1, no schema
    empty.close()
    size = path.stat().st_size
    assert size > 0
    with pytest.raises(VaultCorrupt, match="holds no vault data"):
        VaultDB.open(path, key())
    assert path.stat().st_size == size


def test_reopen_with_the_right_key_reads_the_data(path: Path, db: VaultDB) -> None:
    put_canary(db)
    db.close()
    again = VaultDB.open(path, key())
    try:
        assert records.get_recording(again.conn, records.RecordingId("r1")) is not None
    finally:
        again.close()


def test_wrong_key_is_vault_corrupt_not_a_sqlcipher_error(path: Path, db: VaultDB) -> None:
    put_canary(db)
    db.close()
    with pytest.raises(VaultCorrupt) as info:
        VaultDB.open(path, key(2))
    assert type(info.value) is VaultCorrupt
    assert not isinstance(info.value, sqlite.Error)
    assert path.name in str(info.value)
    assert isinstance(info.value.__cause__, sqlite.Error)


def test_random_bytes_are_vault_corrupt(path: Path) -> None:
    path.write_bytes(os.urandom(8192))
    with pytest.raises(VaultCorrupt):
        VaultDB.open(path, key())


def test_a_plain_sqlite_file_is_vault_corrupt(path: Path) -> None:
    plain = sqlite.connect(str(path))
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    with pytest.raises(VaultCorrupt):
        VaultDB.open(path, key())


def test_a_damaged_page_is_vault_corrupt(path: Path, db: VaultDB) -> None:
    put_canary(db)
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO settings(key, value) VALUES (?, ?)", [(f"k{i}", '"' + "v" * 200 + '"') for i in range(60)]
        )
    db.close()
    data = bytearray(path.read_bytes())
    assert len(data) >= 4 * 4096
    data[2 * 4096 + 100] ^= 0xFF  # a byte inside page 3
    path.write_bytes(bytes(data))
    # opening reads only what it needs; the page fails its HMAC when read, and the check reads them all
    again = VaultDB.open(path, key())
    try:
        with pytest.raises(VaultCorrupt, match=path.name) as info:
            again.check_integrity(key())
        assert "from a backup" in str(info.value)
    finally:
        again.close()


def test_a_damaged_page_met_by_a_read_is_vault_corrupt(path: Path, db: VaultDB) -> None:
    ((root,),) = db.query("SELECT rootpage FROM sqlite_master WHERE name = 'settings'")
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * 4096 + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    again = VaultDB.open(path, key())  # reads the schema and the version, not the settings
    try:
        with pytest.raises(VaultCorrupt, match=path.name), again.reading() as conn:
            conn.execute("SELECT * FROM settings").fetchall()  # a raw read on the connection: translated
    finally:
        again.close()


def test_the_integrity_check_passes_a_sound_vault_without_holding_its_lock(path: Path, db: VaultDB) -> None:
    import threading

    put_canary(db)
    seen: list[bool] = []

    def check() -> None:
        db.check_integrity(key())
        seen.append(True)

    with db.transaction() as conn:  # the vault's own connection is busy writing
        records.add_recording(conn, Recording(records.RecordingId("r2"), "second", 2))
        worker = threading.Thread(target=check)
        worker.start()
        worker.join(timeout=30)
    assert seen == [True]


def test_the_integrity_check_can_be_cancelled(path: Path, db: VaultDB) -> None:
    from core.errors import Cancelled
    from core.progress import CancelToken

    class SetOnSecondLook:  # not cancelled when it starts, cancelled while it reads
        looks = 0

        def set(self) -> None: ...

        def is_set(self) -> bool:
            self.looks += 1
            return self.looks > 1

    with db.transaction() as conn:
        conn.executemany("INSERT INTO settings(key, value) VALUES (?, '0')", [(f"k{i}",) for i in range(2000)])
    flag = SetOnSecondLook()
    with pytest.raises(Cancelled):
        db.check_integrity(key(), cancel=CancelToken(flag))
    assert flag.looks == 3  # at the start, then once in quick_check, which it stopped
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        db.check_integrity(key(), cancel=token)
    db.check_integrity(key())  # and a later one runs


# -- transactions and errors --------------------------------------------------------------


def test_transaction_commits_and_rolls_back(db: VaultDB) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('a', '1')")
    with pytest.raises(KeyError), db.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('b', '2')")
        raise KeyError("boom")
    assert db.query("SELECT key FROM settings ORDER BY key") == [("a",)]
    assert not db.conn.in_transaction


def test_sql_errors_in_a_transaction_are_translated_and_rolled_back(db: VaultDB) -> None:
    with pytest.raises(VaultError) as info, db.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('a', '1')")
        conn.execute("INSERT INTO settings(key, value) VALUES ('a', '2')")  # duplicate key
    assert not isinstance(info.value, sqlite.Error)
    assert "UNIQUE" in str(info.value)
    assert db.query("SELECT count(*) FROM settings") == [(0,)]
    assert not db.conn.in_transaction


def test_foreign_keys_are_enforced(db: VaultDB) -> None:
    with pytest.raises(VaultError, match="FOREIGN KEY"), db.transaction() as conn:
        conn.execute(
            "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, text)"
            " VALUES ('t', 'no-such-recording', 1, 1, 'e', 'm', 'x')"
        )


def test_query_errors_are_translated(db: VaultDB) -> None:
    with pytest.raises(VaultError) as info:
        db.query("SELECT * FROM no_such_table")
    assert not isinstance(info.value, sqlite.Error)


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND", "NOT", "a OR", "(", "covid-19", "e-mail", "10:30", "foo:bar", "*", 'say "hi'],
)
def test_fts_syntax_errors_are_bad_input(db: VaultDB, query: str) -> None:
    put_canary(db)
    with pytest.raises(BadInput, match="Invalid search") as info, db.transaction() as conn:
        records.search(conn, query)
    assert "sql" not in str(info.value).lower()
    assert not db.conn.in_transaction


def test_search_finds_text_and_marks_the_hit(db: VaultDB) -> None:
    put_canary(db)
    with db.transaction() as conn:
        hits = records.search(conn, "twice")
        assert records.search(conn, "absent") == []
    assert [(h.transcript_id, h.recording_id) for h in hits] == [("t1", "r1")]
    assert "[twice]" in hits[0].snippet


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", StorageFull),
        ("file is not a database", VaultCorrupt),
        ("database disk image is malformed", VaultCorrupt),
        ("hmac check failed for pgno=2", VaultCorrupt),
        ('fts5: syntax error near "AND"', BadInput),
        ("no such table: x", VaultError),
    ],
)
def test_translate_maps_messages_onto_the_error_tree(message: str, kind: type) -> None:
    err = translate(sqlite.OperationalError(message), where="vault-x.db")
    assert type(err) is kind


# -- nothing in plaintext on disk ------------------------------------------------------------


def test_plaintext_never_reaches_the_files(path: Path, db: VaultDB) -> None:
    put_canary(db)
    needle = CANARY.encode()
    # while open: the database and its WAL
    assert (path.parent / (path.name + "-wal")).exists()
    assert needle not in raw_bytes(path)
    assert needle not in raw_bytes(path).replace(b"\0", b"")
    db.close()
    # after the checkpoint on close
    assert needle not in raw_bytes(path)
    assert b"SQLite format 3" not in path.read_bytes()[:16]
    assert all(needle not in p.read_bytes() for p in path.parent.iterdir() if p.is_file())


def test_the_canary_check_would_see_plaintext(tmp_path: Path) -> None:
    # the control: an unencrypted database does contain the text, so the check above can fail
    plain_path = tmp_path / "plain.db"
    plain = sqlite.connect(str(plain_path), isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("CREATE TABLE t (x TEXT)")
    plain.execute("INSERT INTO t VALUES (?)", (f"said {CANARY} twice",))
    assert CANARY.encode() in raw_bytes(plain_path)
    plain.close()


# -- export and close -------------------------------------------------------------------------


def test_export_to_makes_a_copy_readable_only_with_the_new_key(tmp_path: Path, db: VaultDB) -> None:
    put_canary(db)
    target = tmp_path / "vault-rotated.db"
    new_key = key(7)
    db.export_to(target, new_key)
    assert target.stat().st_mode & 0o777 == 0o600
    assert CANARY.encode() not in raw_bytes(target)
    with pytest.raises(VaultCorrupt):
        VaultDB.open(target, key())  # the old key does not open it
    copy = VaultDB.open(target, new_key)
    try:
        assert copy.query("PRAGMA user_version") == [(latest_version(),)]
        assert records.get_recording(copy.conn, records.RecordingId("r1")) == records.get_recording(
            db.conn, records.RecordingId("r1")
        )
        assert copy.query("SELECT text FROM transcripts") == [(f"said {CANARY} twice",)]
        with copy.transaction() as conn:
            assert [h.transcript_id for h in records.search(conn, "twice")] == ["t1"]
    finally:
        copy.close()
    # the source is untouched and still attached to nothing
    assert db.query("SELECT count(*) FROM pragma_database_list WHERE name = 'rotated'") == [(0,)]
    assert db.query("SELECT count(*) FROM recordings") == [(1,)]


def test_close_locks_and_is_idempotent(path: Path) -> None:
    db = VaultDB.open(path, key(), create=True)
    db.close()
    db.close()
    with pytest.raises(VaultLocked):
        _ = db.conn
    with pytest.raises(VaultLocked):
        db.query("SELECT 1")
    wal = path.parent / (path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed on close
