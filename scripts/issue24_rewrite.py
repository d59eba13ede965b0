"""Issue 24's mechanical rewrite, for a branch made before the session became a package of desks.

Run from the repository root after merging (``python scripts/issue24_rewrite.py``), then ruff, mypy and
lint-imports catch what it cannot see (a session held under another name, a method passed uncalled):

- ``session.import_audio(...)`` becomes ``session.recordings.import_audio(...)``, and so on for every
  method that moved to a desk (``DESKS``); the receiver must be named like a session (``RECEIVERS``);
- ``session.query(sql)`` / ``session.run_in_transaction(fn)`` become ``vault_query(session, sql)`` /
  ``in_transaction(session, fn)`` (``tests/vault_access.py``; add the import);
- ``core.jobs`` becomes ``core.progress``, ``core.cli`` becomes ``app.cli.commands``.

It is idempotent: a call already on its desk is left alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

#: desk -> {old Session method: its name on the desk}
DESKS: dict[str, dict[str, str]] = {
    "keys": {
        "change_passphrase": "change_passphrase",
        "escrow_state": "escrow_state",
        "open_recording_key": "open_recording_key",
        "rotate_data_key": "rotate_data_key",
        "seal_recording_key": "seal_recording_key",
    },
    "backup": {"backup": "create", "restore": "restore"},
    "audit": {
        "audit": "record",
        "audit_events": "events",
        "audit_export": "export",
        "audit_verify": "verify",
        "export_audit": "export_to_file",
    },
    "audio": {
        "audio_roles": "audio_roles",
        "export_original": "export_original",
        "new_recording_key": "new_recording_key",
        "open_audio_source": "open_audio_source",
        "open_blob": "open_blob",
        "open_blob_writer": "open_blob_writer",
        "open_player": "open_player",
        "redacted_audio_current": "redacted_audio_current",
        "redacted_audio_outdated": "redacted_audio_outdated",
    },
    "recordings": {
        "add_recording": "add_recording",
        "delete_recording": "delete_recording",
        "finish_recording": "finish_recording",
        "import_audio": "import_audio",
        "interrupted_recordings": "interrupted_recordings",
        "keep_recovered": "keep_recovered",
        "purge_expired": "purge_expired",
        "recording": "get",
        "recording_tags": "recording_tags",
        "recordings": "all",
        "rename_recording": "rename_recording",
        "set_recording_tags": "set_recording_tags",
        "start_recording": "start_recording",
    },
    "transcripts": {
        "current_transcript": "current_transcript",
        "edit_transcript": "edit_transcript",
        "export_transcript": "export_transcript",
        "rename_speaker": "rename_speaker",
        "render_transcript": "render_transcript",
        "save_transcript": "save_transcript",
        "search": "search",
        "speaker_names": "speaker_names",
        "transcript": "get",
    },
    "review": {
        "add_redaction": "add_redaction",
        "detect_pii": "detect_pii",
        "detection_terms": "detection_terms",
        "ensure_redacted_audio": "ensure_redacted_audio",
        "export_redacted_audio": "export_redacted_audio",
        "redact_audio": "redact_audio",
        "redaction_entities": "redaction_entities",
        "redaction_terms": "redaction_terms",
        "redactions": "redactions",
        "remove_redaction": "remove_redaction",
        "review_redaction": "review_redaction",
        "set_redaction_entities": "set_redaction_entities",
        "set_redaction_terms": "set_redaction_terms",
    },
    "vocabulary": {
        "add_vocabulary": "add_vocabulary",
        "boost_weight": "boost_weight",
        "import_vocabulary": "import_vocabulary",
        "import_vocabulary_text": "import_vocabulary_text",
        "remove_vocabulary": "remove_vocabulary",
        "restore_vocabulary": "restore_vocabulary",
        "set_vocabulary_redact": "set_vocabulary_redact",
        "transcription_phrases": "transcription_phrases",
        "vocabulary": "entries",
    },
    "jobs": {
        "cancel_job": "cancel_job",
        "enqueue_transcription": "enqueue_transcription",
        "job": "get",
        "jobs": "all",
        "run_job": "run_job",
        "transcribe_pending": "transcribe_pending",
    },
}
RECEIVERS = (
    r"self\.session|self\._session|vault\.session|v\.session|locked\.session|session|s|unlocked|other|source"
    r"|target|search_vault"
)


def rewrite(text: str) -> str:
    moved = {old: (desk, new) for desk, names in DESKS.items() for old, new in names.items()}
    names = "|".join(sorted(moved, key=len, reverse=True))
    call = re.compile(rf"(?<![\w.])({RECEIVERS})\.({names})\(")
    text = call.sub(lambda m: f"{m[1]}.{moved[m[2]][0]}.{moved[m[2]][1]}(", text)
    text = re.sub(rf"(?<![\w.])({RECEIVERS})\.query\(", r"vault_query(\1, ", text)
    text = re.sub(rf"(?<![\w.])({RECEIVERS})\.run_in_transaction\(", r"in_transaction(\1, ", text)
    text = re.sub(r"\bcore\.jobs\b", "core.progress", text)
    text = text.replace("from core import cli\n", "from app.cli import commands as cli\n")
    return re.sub(r"\bcore\.cli\b", "app.cli.commands", text)


def main() -> int:
    listed = subprocess.run(["git", "ls-files", "*.py", "*.md"], capture_output=True, text=True, check=True)
    changed = 0
    for name in listed.stdout.split():
        path = Path(name)
        if name.startswith("core/session/") or path.name == "issue24_rewrite.py" or not path.exists():
            continue
        before = path.read_text(encoding="utf-8")
        after = rewrite(before)
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(name)
            changed += 1
    print(f"{changed} files rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
