"""Audio in and out: encrypted blobs, import, capture and playback. Never writes plaintext audio to disk."""
