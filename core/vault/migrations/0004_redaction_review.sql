-- Version 4: redaction review and redacted audio.
-- A detection is 'pending' until the user accepts or rejects it; spans the user marks are 'added'.
-- Every state but 'rejected' is redacted, so a transcript nobody reviewed is exported redacted.
-- A re-run of detection replaces the pending rows and keeps every reviewed one.
-- recordings.redacted_blob: the redacted copy of the 16 kHz PCM, under the recording's own key.

ALTER TABLE recordings ADD COLUMN redacted_blob TEXT;
ALTER TABLE redactions ADD COLUMN updated_ms INTEGER;
CREATE INDEX redactions_span ON redactions(transcript_id, char_start, char_end);
