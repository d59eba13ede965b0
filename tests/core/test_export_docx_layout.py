"""The DOCX as a clinician hands it on: heading with the recording's details, what a redacted copy
removed, page numbers and export date in the footer, the locale's paper, true file properties; and,
as proof, LibreOffice's own rendering of a session export read back through pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import docx
import pytest

from core import export
from core.redaction.detect import default_detector
from core.redaction.types import ENTITY_TYPES
from core.types import RecordingId, Redaction, Segment, Transcript, TranscriptId, Word
from tests.session.test_review import recorded, vault  # noqa: F401
from tests.session.test_session import Vault

TID = TranscriptId("t1")
TEXT = "Anna Berg and Tom Reid met Lisa Moe on 3 March and 5 May, call 555-0147 or visit 12 Elm Street. Thanks."
RECORDED_MS = int(datetime(2026, 3, 4, 9, 30, tzinfo=UTC).timestamp() * 1000)
EXPORTED_MS = int(datetime(2026, 12, 6, 21, 15, tzinfo=UTC).timestamp() * 1000)
INFO = export.DocumentInfo(exported_ms=EXPORTED_MS, recorded_ms=RECORDED_MS, duration_ms=754_000, tz=UTC)


def _redaction(word: str, kind: str) -> Redaction:
    start = TEXT.index(word)
    return Redaction(1, TID, kind, start, start + len(word), None, None, "rules", None, "accepted")


SEVEN = [
    _redaction("Anna Berg", "NAME"), _redaction("Tom Reid", "NAME"), _redaction("Lisa Moe", "NAME"),
    _redaction("3 March", "DATE"), _redaction("5 May", "DATE"), _redaction("555-0147", "PHONE"),
    _redaction("12 Elm Street", "ADDRESS"),
]  # fmt: skip
WORDS = tuple(
    Word(w, i * 400, i * 400 + 300, "speaker_1" if i < 10 else "speaker_2") for i, w in enumerate(TEXT.split())
)
TRANSCRIPT = Transcript(
    TID, RecordingId("r1"), 1, "nemo", "test/model", TEXT, WORDS,
    segments=(Segment(TEXT[:-8], 0, 7000), Segment("Thanks.", 7200, 7600)),
)  # fmt: skip


def _doc(data: bytes) -> docx.document.Document:
    return docx.Document(BytesIO(data))


def test_the_heading_gives_date_duration_and_speakers_and_a_redacted_copy_says_what_it_removed() -> None:
    names = {"speaker_1": "Dr Ames"}
    plain = _doc(export.render_bytes("docx", TRANSCRIPT, SEVEN, redacted=False, title="Intake call",
                                     speakers=names, document=INFO))  # fmt: skip
    texts = [p.text for p in plain.paragraphs]
    details = "Recorded 2026-03-04 09:30 · Duration 12 min 34 s · Speakers: Dr Ames, Speaker 2"
    assert texts[:2] == ["Intake call", details]
    assert plain.paragraphs[0].style is not None and plain.paragraphs[0].style.name == "Heading 1"
    assert not any("redact" in t.lower() for t in texts) and "Anna Berg" in texts[2]

    red = _doc(export.render_bytes("docx", TRANSCRIPT, SEVEN, speakers=names, document=INFO))
    texts = [p.text for p in red.paragraphs]
    assert texts[:3] == [
        "Transcript",
        "Recorded in 2026 · Duration 12 min 34 s · Speakers: Speaker 1, Speaker 2",  # no day, no given name
        "Redacted copy: 7 personal details removed (3 names, 2 dates, 1 phone number, 1 address)",
    ]
    assert all(w not in "".join(texts) for w in ("Anna", "Tom", "Lisa", "March", "555", "Elm", "Ames"))


def test_the_summary_counts_spans_once_each_in_the_singular_and_plural() -> None:
    one = export.effective_spans([_redaction("Anna Berg", "NAME")])
    assert export.redaction_summary(one) == "Redacted copy: 1 personal detail removed (1 name)"
    assert export.redaction_summary([]) == "Redacted copy: no personal details were found to remove."
    overlapping = [_redaction("Anna Berg", "NAME"), _redaction("Berg", "NAME"), _redaction("12 Elm Street", "ADDRESS")]
    assert export.redaction_summary(export.effective_spans(overlapping)).startswith("Redacted copy: 2 personal")
    for kind in ENTITY_TYPES:  # every type the detector finds is counted in words, never as a code
        span = export.effective_spans([Redaction(1, TID, kind, 0, 4, None, None, "rules", None, "added")])
        noun = export.redaction_summary(span).rpartition("(1 ")[2].rstrip(")")
        assert noun != kind and "_" not in noun, kind


def test_file_properties_are_the_export_time_and_the_title_with_nothing_from_the_template() -> None:
    data = export.render_bytes("docx", TRANSCRIPT, SEVEN, redacted=False, title="Intake call", document=INFO)
    props = _doc(data).core_properties
    when = datetime(2026, 12, 6, 21, 15, tzinfo=UTC)
    assert (props.created, props.modified, props.title, props.author, props.last_modified_by, props.comments) == (
        when,
        when,
        "Intake call",
        "",
        "",
        "",
    )
    with zipfile.ZipFile(BytesIO(data)) as z:
        core = z.read("docProps/core.xml")
    assert b"2013" not in core and b"2026-12-06T21:15:00Z" in core
    redacted = _doc(export.render_bytes("docx", TRANSCRIPT, SEVEN, title=None, document=INFO)).core_properties
    assert redacted.title == "Transcript"


def test_the_footer_has_the_export_date_and_live_page_fields() -> None:
    document = _doc(export.render_bytes("docx", TRANSCRIPT, SEVEN, document=INFO))
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text.startswith("Exported 2026-12-06 · Page ")
    xml = footer._element.xml
    assert "<w:instrText" in xml and " PAGE " in xml and " NUMPAGES " in xml
    assert xml.count('w:fldCharType="begin"') == 2 and xml.count('w:fldCharType="end"') == 2


@pytest.mark.parametrize(("paper", "size_mm"), [("a4", (210, 297)), ("letter", (216, 279))])
def test_the_page_is_a4_or_letter(paper: str, size_mm: tuple[int, int]) -> None:
    info = export.DocumentInfo(exported_ms=EXPORTED_MS, paper=paper)
    section = _doc(export.render_bytes("docx", TRANSCRIPT, SEVEN, document=info)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == size_mm
    with pytest.raises(ValueError, match="paper"):
        export.render_bytes("docx", TRANSCRIPT, SEVEN, document=export.DocumentInfo(exported_ms=0, paper="a5"))


def test_the_paper_follows_the_locale() -> None:
    assert export.paper_for_locale({"LANG": "en_US.UTF-8"}) == "letter"
    assert export.paper_for_locale({"LANG": "en_GB.UTF-8"}) == "a4"
    assert export.paper_for_locale({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}) == "a4"
    assert export.paper_for_locale({"LC_ALL": "fr_CA.UTF-8", "LC_PAPER": "de_DE.UTF-8"}) == "letter"
    assert export.paper_for_locale({"LANG": "es_MX@euro"}) == "letter"
    assert export.paper_for_locale({}, "English_United States") == "letter"
    assert export.paper_for_locale({}, "German_Germany") == "a4"
    assert export.paper_for_locale({}) == "a4"


def test_the_paper_setting_overrides_the_locale(vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    rid = recorded(vault)
    out = tmp_path / "a.docx"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    vault.session.transcripts.export_transcript(rid, out, "docx")
    assert round(_doc(out.read_bytes()).sections[0].page_width.mm) == 216  # type: ignore[union-attr]
    vault.session.update_config({"paper_size": "a4"})
    vault.session.transcripts.export_transcript(rid, out, "docx", overwrite=True)
    assert round(_doc(out.read_bytes()).sections[0].page_width.mm) == 210  # type: ignore[union-attr]


def _pdf_text(docx_path: Path, tmp_path: Path) -> tuple[str, Path]:
    """LibreOffice's rendering of the file as PDF (a private profile), and pdftotext's text of it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice and shutil.which("pdftotext"), "LibreOffice and poppler-utils: scripts/apt-packages.txt"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / (docx_path.stem + ".pdf")
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return done.stdout, pdf


def test_libreoffice_renders_the_session_export_with_heading_page_number_and_nothing_redacted(
    vault: Vault,  # noqa: F811
    tmp_path: Path,
) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    vault.session.update_config({"paper_size": "a4"})
    out = tmp_path / "note.docx"
    vault.session.transcripts.export_transcript(rid, out, "docx")

    text, pdf = _pdf_text(out, tmp_path)

    exported = datetime.fromtimestamp(vault.clock.now_ms() / 1000, tz=UTC).astimezone()
    assert "Transcript" in text and "Duration 8 s" in text
    assert "Redacted copy: 3 personal details removed" in text
    assert f"Exported {exported:%Y-%m-%d} · Page 1 of 1" in text  # the PAGE field, computed by LibreOffice
    assert "[NAME]" in text and "[PHONE]" in text
    assert all(w not in text for w in ("Maria", "Gonzalez", "555-0147", "4471-0923"))
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info

    vault.session.transcripts.export_transcript(rid, out, "docx", redacted=False, overwrite=True)
    text, _pdf = _pdf_text(out, tmp_path)
    assert text.lstrip().startswith("r1") and "Maria Gonzalez" in text and "Redacted" not in text
