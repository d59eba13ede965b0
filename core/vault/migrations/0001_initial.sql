-- VaultScribe vault schema, version 1. Every table lives inside the SQLCipher file.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
) STRICT;

CREATE TABLE recordings (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    created_ms        INTEGER NOT NULL,
    duration_ms       INTEGER,
    language          TEXT,
    status            TEXT NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'recording', 'imported', 'transcribing',
                                        'transcribed', 'failed', 'interrupted')),
    source_name       TEXT,          -- the imported file's name, never its path
    original_sha256   TEXT,          -- of the original bytes, as the source gave them
    original_blob     TEXT,          -- encrypted original bytes (random file name)
    audio_blob        TEXT,          -- encrypted 16 kHz mono PCM for ASR and playback
    audio_key_wrapped BLOB,          -- per-recording key, wrapped under a key derived from the DEK
    sample_rate_hz    INTEGER,
    channels          INTEGER
) STRICT;

CREATE TABLE transcripts (
    id            TEXT PRIMARY KEY,
    recording_id  TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    engine        TEXT NOT NULL,
    model_id      TEXT NOT NULL,
    language      TEXT,
    text          TEXT NOT NULL,
    words_json    TEXT NOT NULL DEFAULT '[]',    -- [{"w":…, "start_ms":…, "end_ms":…}]
    segments_json TEXT NOT NULL DEFAULT '[]',
    is_current    INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX transcripts_recording ON transcripts(recording_id);

CREATE TABLE transcript_edits (
    id            INTEGER PRIMARY KEY,
    transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    at_ms         INTEGER NOT NULL,
    before_text   TEXT NOT NULL,
    after_text    TEXT NOT NULL
) STRICT;

CREATE TABLE redactions (
    id            INTEGER PRIMARY KEY,
    transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    entity_type   TEXT NOT NULL,
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL CHECK (char_end >= char_start),
    start_ms      INTEGER,
    end_ms        INTEGER,
    detector      TEXT NOT NULL,
    score         REAL,
    review_state  TEXT NOT NULL DEFAULT 'pending'
                  CHECK (review_state IN ('pending', 'accepted', 'rejected', 'added'))
) STRICT;
CREATE INDEX redactions_transcript ON redactions(transcript_id);

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    recording_id TEXT REFERENCES recordings(id) ON DELETE CASCADE,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    progress     REAL NOT NULL DEFAULT 0,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    error        TEXT
) STRICT;

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    os_user   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    object_id TEXT,
    outcome   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}',   -- JSON; never content, secrets or key material
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

-- Full-text search over transcript text, kept inside the encrypted file.
CREATE VIRTUAL TABLE transcript_fts USING fts5(
    text, content='transcripts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER transcripts_ai AFTER INSERT ON transcripts BEGIN
    INSERT INTO transcript_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER transcripts_ad AFTER DELETE ON transcripts BEGIN
    INSERT INTO transcript_fts(transcript_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER transcripts_au AFTER UPDATE OF text ON transcripts BEGIN
    INSERT INTO transcript_fts(transcript_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO transcript_fts(rowid, text) VALUES (new.rowid, new.text);
END;
