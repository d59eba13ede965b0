-- Version 6: the names users give to a recording's speakers (diarization, core/diarization).
-- The words of a diarized transcript carry the diarizer's labels (speaker_1, …) in words_json; a name
-- is kept here, per recording and label, so renaming never rewrites a transcript. Removed with the
-- recording. A name is a person's name: detection redacts it as NAME in that recording's transcript.

CREATE TABLE speaker_names (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    updated_ms   INTEGER NOT NULL,
    PRIMARY KEY (recording_id, label)
) STRICT;
