"""The DOCX export: read back with python-docx, redacted exactly as the TXT export, no author metadata."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest

from core import errors, export
from core.redaction.detect import default_detector
from core.types import RecordingId, Redaction, Segment, Transcript, TranscriptId
from tests.core.helpers import audit_events
from tests.core.test_cli import PASS, Cli, FakeFactory, _keep_pytests_core_limit, imported_ids, vs  # noqa: F401
from tests.session.test_review import SEGMENTS, TEXT, recorded, vault  # noqa: F401
from tests.session.test_session import Vault

TID = TranscriptId("t1")


def transcript(*, segments: bool = True) -> Transcript:
    return Transcript(
        TID, RecordingId("r1"), 1, "nemo", "test/model", TEXT,
        segments=tuple(Segment(*s) for s in SEGMENTS) if segments else (),
    )  # fmt: skip


def redaction(word: str, kind: str, state: str = "pending") -> Redaction:
    start = TEXT.index(word)
    return Redaction(1, TID, kind, start, start + len(word), None, None, "rules", None, state)


REDACTIONS = [
    redaction("Maria Gonzalez", "NAME"),
    redaction("555-0147", "PHONE", "accepted"),
    redaction("tomorrow", "DATE", "rejected"),
]


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(BytesIO(data)).paragraphs]


def test_a_redacted_docx_has_a_title_then_one_timed_paragraph_per_segment() -> None:
    data = export.render_bytes("docx", transcript(), REDACTIONS, title="Intake call")

    assert paragraphs(data) == [
        "Intake call",
        "Redacted copy: 2 personal details removed (1 name, 1 phone number)",
        "[00:00:00] Call [NAME] at [PHONE] tomorrow.",
        "[00:00:04] Her MRN is 4471-0923, thanks.",
    ]
    body = " ".join(p.split("] ", 1)[1] for p in paragraphs(data)[2:])
    assert body + "\n" == export.render("txt", transcript(), REDACTIONS)  # masked exactly as the TXT export
    document = docx.Document(BytesIO(data))
    stamp = document.paragraphs[2].runs[0]
    assert stamp.text == "[00:00:00] " and stamp.font.size is not None and stamp.font.color.rgb is not None
    assert document.paragraphs[0].style is not None and document.paragraphs[0].style.name == "Heading 1"
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.comments, props.title) == ("", "", "", "Intake call")
    with zipfile.ZipFile(BytesIO(data)) as z:  # no generator metadata in any part
        assert all(b"python-docx" not in z.read(n) for n in z.namelist())


def test_an_unredacted_docx_keeps_the_words_and_without_segments_is_the_whole_text() -> None:
    plain = "\n".join(paragraphs(export.render_bytes("docx", transcript(), REDACTIONS, redacted=False)))
    assert "Maria Gonzalez" in plain and "555-0147" in plain and "[NAME]" not in plain

    untimed = paragraphs(export.render_bytes("docx", transcript(segments=False), REDACTIONS))
    summary = "Redacted copy: 2 personal details removed (1 name, 1 phone number)"
    assert untimed == ["Transcript", summary, export.render("txt", transcript(), REDACTIONS).strip()]
    assert "Maria" not in "".join(untimed) and "[00:" not in "".join(untimed)


def test_render_bytes_is_utf8_for_text_formats_and_render_refuses_docx() -> None:
    for fmt in ("txt", "json", "srt", "vtt"):
        assert export.render_bytes(fmt, transcript(), REDACTIONS) == export.render(
            fmt, transcript(), REDACTIONS
        ).encode("utf-8")
    with pytest.raises(ValueError, match="binary"):
        export.render("docx", transcript(), REDACTIONS)
    with pytest.raises(ValueError, match="unknown"):
        export.render_bytes("pdf", transcript(), REDACTIONS)


def test_python_docx_is_not_imported_with_the_export_module() -> None:
    code = (
        "import sys, core.export, core.session, app.cli.commands; "
        "print('docx' in sys.modules, 'lxml' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_session_writes_an_audited_docx(vault: Vault, tmp_path: Path) -> None:  # noqa: F811
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    out = tmp_path / "note.docx"

    size = vault.session.transcripts.export_transcript(rid, out, "docx")

    assert size == out.stat().st_size
    text = paragraphs(out.read_bytes())
    assert text[0] == "Transcript"  # not the recording's title, which may name someone
    assert text[2].startswith("Redacted copy: 3 personal details removed (")
    assert "[NAME]" in text[3] and "[PHONE]" in text[3] and "[MEDICAL_RECORD_NUMBER]" in text[4]
    assert all(w not in "".join(text) for w in ("Maria", "Gonzalez", "555-0147", "4471-0923"))
    assert text[3].startswith("[00:00:00] ") and text[4].startswith("[00:00:04] ")
    event = [e for e in audit_events(vault.session) if e["kind"] == "transcript.export"][-1]
    assert event["detail"] == {"format": "docx", "redacted": True, "bytes": size}
    vault.session.transcripts.export_transcript(rid, out, "docx", redacted=False, overwrite=True)
    assert paragraphs(out.read_bytes())[0] == "r1"  # unredacted, it is headed by the title

    vault.session.transcripts.export_transcript(rid, out, "docx", redacted=False, overwrite=True)
    assert "Maria Gonzalez" in "".join(paragraphs(out.read_bytes()))
    with pytest.raises(errors.BadInput, match="binary"):
        vault.session.transcripts.render_transcript(rid, "docx")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_cli_exports_docx(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    from tests.core.audio_fixtures import encode

    vs.engine_factory = FakeFactory()
    rc, data, err = imported_ids(vs, encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=2.0),
                                 extra=("--transcribe",))  # fmt: skip
    assert rc == 0, err
    rid = data["recordings"][0]["id"]
    out = tmp_path / "a.docx"

    rc, done, err = vs("export", rid, "--format", "docx", "--out", str(out), "--passphrase-stdin", "--json",
                       "--totp", vs.code(), stdin=PASS + "\n")  # fmt: skip

    assert rc == 0, err
    assert (done["format"], done["bytes"]) == ("docx", out.stat().st_size)
    text = paragraphs(out.read_bytes())
    assert text[1].startswith("Recorded ") and text[2] == "Redacted copy: no personal details were found to remove."
    assert text[3].startswith("[00:00:00] w0")
