-- Version 5: custom vocabulary, the phrases transcription is biased towards (core/vocabulary.py).
-- recording_id NULL is the personal list; otherwise the list of that recording (its participants),
-- removed with it. The policy's list is never stored: it is read from the policy at each use.
-- folded is the phrase case-folded in Python (NOCASE folds ASCII only): duplicates merge on it.
-- redact = 1: "always redact", the phrase joins the terms redaction looks for.

CREATE TABLE vocabulary (
    id           INTEGER PRIMARY KEY,
    recording_id TEXT REFERENCES recordings(id) ON DELETE CASCADE,
    phrase       TEXT NOT NULL CHECK (length(phrase) BETWEEN 1 AND 100),
    folded       TEXT NOT NULL,
    redact       INTEGER NOT NULL DEFAULT 0 CHECK (redact IN (0, 1)),
    added_ms     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX vocabulary_entry ON vocabulary(ifnull(recording_id, ''), folded);
CREATE INDEX vocabulary_recording ON vocabulary(recording_id);
