"""PII/PHI detection and redaction of transcripts and audio, offline. Never imports Qt."""
