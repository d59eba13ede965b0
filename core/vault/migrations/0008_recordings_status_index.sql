-- Version 7: an index on recordings' status. Every unlock looks for recordings a crash cut off
-- (status 'recording'); without the index that read every recording, so unlock grew with the vault
-- (bench/RESULTS.md). With it, the lookup reads only the matching rows, already in created_ms order.

CREATE INDEX recordings_status ON recordings(status, created_ms);
