-- Version 7: what a recording's redacted audio was made from.
-- recordings.redacted_from: a JSON object {"review": <SHA-256 of the transcript version and the
-- redactions in force, with their times>, "mode": "tone" | "silence", "margin_ms": N, "rule": N},
-- written with redacted_blob. When the review has changed since, the copy is stale: exporting or
-- playing it makes it again first (core/session.py, Session.ensure_redacted_audio). NULL for a copy
-- made before this version: stale, unless the original audio is gone and it cannot be made again.

ALTER TABLE recordings ADD COLUMN redacted_from TEXT;
