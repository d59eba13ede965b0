-- Version 3: transcription jobs. A job names the model it runs with, counts its attempts (so a
-- recording that kills the process every time is not retried for ever) and keeps its options as
-- JSON. A transcript records the kind of device that made it; its segments go in segments_json.
-- jobs.error is content-free: an exception class and a fixed message, never text or a user's path.

ALTER TABLE jobs ADD COLUMN model_id TEXT;
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN options_json TEXT NOT NULL DEFAULT '{}';
CREATE INDEX jobs_state ON jobs(state, created_ms);

ALTER TABLE transcripts ADD COLUMN device TEXT;   -- "cuda" or "cpu"; NULL for older transcripts
