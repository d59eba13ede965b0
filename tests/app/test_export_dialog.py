"""The export dialog against a real vault: every format, redacted by default, audited, and careful with files."""

from __future__ import annotations

import json
import threading
import wave
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.context import AppContext
from app.windows import export_dialog
from app.windows.export_dialog import ExportDialog, audio_path_for, safe_file_stem
from core.redaction.detect import default_detector
from core.session import Session
from core.types import RecordingId
from tests.app.helpers import click, find
from tests.session.test_review import recorded

TITLE = "../../etc/passwd"


@pytest.fixture
def rid(unlocked: Session) -> RecordingId:
    """A recording with audio, a transcript naming Maria Gonzalez, and pending detections; set up
    on the test thread before the worker runs anything."""
    rid = recorded(SimpleNamespace(session=unlocked))  # type: ignore[arg-type]
    unlocked.review.detect_pii(rid, default_detector())
    unlocked.recordings.rename_recording(rid, TITLE)
    return rid


def make_dialog(qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path, **kw: Any) -> ExportDialog:
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    dialog = ExportDialog(ctx, rid, directory=out_dir, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_busy)
    return dialog


def on_worker(qtbot, ctx: AppContext, fn: Any) -> Any:
    box: list[Any] = []
    ctx.worker.op(None, fn).success(box.append).run()
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def export_events(qtbot, ctx: AppContext) -> list[dict[str, Any]]:
    events = on_worker(qtbot, ctx, lambda s: s.audit.events("transcript.export"))
    return [e.detail for e in reversed(events)]


def export(qtbot, dialog: ExportDialog, path: Path, fmt: str, *, redacted: bool = True) -> None:
    before = len(dialog.saved)
    dialog.set_format(fmt)
    dialog.redacted_check.setChecked(redacted)
    dialog.path_edit.setText(str(path))
    click(qtbot, dialog, "exportButton")
    qtbot.waitUntil(lambda: len(dialog.saved) > before or bool(dialog.error.text()), timeout=10_000)
    assert not dialog.error.text()


def read_back(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["txt", "srt", "vtt", "json", "docx"])
def test_each_format_exports_redacted_by_default_and_is_audited(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path, fmt: str
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    assert find(dialog, type(dialog.redacted_check), "redactedCheck").isChecked()
    assert dialog.unredacted_warning.isHidden()
    out = tmp_path / "out" / f"export.{fmt}"

    export(qtbot, dialog, out, fmt)

    assert out.is_file() and dialog.saved == [out]
    text = read_back(out)
    assert "Maria" not in text and "555-0147" not in text and "4471-0923" not in text
    assert "[NAME]" in text
    if fmt == "json":
        json.loads(text)
    assert dialog.message.text().startswith("Saved to") and str(out) in dialog.message.text()
    assert [(d["format"], d["redacted"]) for d in export_events(qtbot, ctx)] == [(fmt, True)]
    assert not list(out.parent.glob(".*.part"))  # written atomically, nothing left beside it


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_unchecking_redaction_warns_and_exports_in_the_clear(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path, fmt: str
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    dialog.audio_check.setChecked(True)
    dialog.redacted_check.setChecked(False)

    warning = dialog.unredacted_warning
    assert warning.isVisible() and "in the clear" in warning.text() and "audit log" in warning.text()
    assert not dialog.audio_check.isEnabled()  # the redacted audio goes only with a redacted transcript
    out = tmp_path / "out" / f"clear.{fmt}"
    export(qtbot, dialog, out, fmt, redacted=False)

    assert "Maria Gonzalez" in read_back(out)
    assert not audio_path_for(out).exists()
    assert [(d["format"], d["redacted"]) for d in export_events(qtbot, ctx)] == [(fmt, False)]

    dialog.redacted_check.setChecked(True)
    assert warning.isHidden() and dialog.audio_check.isEnabled()


def test_several_exports_from_one_dialog_are_each_audited(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    export(qtbot, dialog, tmp_path / "out" / "a.txt", "txt")
    export(qtbot, dialog, tmp_path / "out" / "a.srt", "srt", redacted=False)
    export(qtbot, dialog, tmp_path / "out" / "a.vtt", "vtt")
    assert [(d["format"], d["redacted"]) for d in export_events(qtbot, ctx)] == [
        ("txt", True), ("srt", False), ("vtt", True),
    ]  # fmt: skip
    assert (
        "Maria" in (tmp_path / "out" / "a.srt").read_text() and "Maria" not in (tmp_path / "out" / "a.vtt").read_text()
    )


def test_redacted_audio_is_written_beside_the_transcript(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    dialog.audio_check.setChecked(True)
    out = tmp_path / "out" / "visit.txt"

    export(qtbot, dialog, out, "txt")

    wav_path = tmp_path / "out" / "visit.redacted.wav"
    assert dialog.saved == [out, wav_path]
    with wave.open(str(wav_path), "rb") as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getsampwidth()) == (1, 16_000, 2)
        assert wav.getnframes() == 8 * 16_000
    assert str(wav_path) in dialog.message.text()
    kinds = [e.kind for e in on_worker(qtbot, ctx, lambda s: s.audit.events())]
    assert kinds[:3] == ["audio.export", "audio.redact", "transcript.export"]


def test_the_default_file_name_comes_from_the_title_made_safe(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path)  # no title given: the dialog asks the session
    out_dir = tmp_path / "out"
    qtbot.waitUntil(lambda: dialog._title != "")
    # redacted (the default): a neutral name, since the title may name someone
    assert Path(dialog.path_edit.text()) == out_dir / "transcript-redacted.txt"
    dialog.redacted_check.setChecked(False)

    path = Path(dialog.path_edit.text())
    assert path.parent == out_dir
    assert path.name == "etc_passwd.txt"
    assert ".." not in path.name and "/" not in path.name

    dialog.set_format("docx")
    assert Path(dialog.path_edit.text()) == out_dir / "etc_passwd.docx"
    dialog.set_format("srt")
    assert Path(dialog.path_edit.text()) == out_dir / "etc_passwd.srt"


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\Windows\\win.ini", "Windows_win.ini"),
        (".hidden", "hidden"),
        ("  ", "transcript"),
        ("...", "transcript"),
        ("Visit: Maria? <draft>", "Visit_Maria_draft"),
        ("CON", "CON_"),
        ("a" * 300, "a" * 80),
        ("line\nbreak\x00", "line_break"),
    ],
)
def test_safe_file_stem(title: str, stem: str) -> None:
    assert safe_file_stem(title) == stem
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def replace_box(qtbot, dialog: ExportDialog) -> QMessageBox:
    """The real question the dialog opened (window-modal, not blocking the event loop)."""
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "replaceBox") is not None, timeout=5_000)
    box = dialog.findChild(QMessageBox, "replaceBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    return box


def test_an_existing_file_is_replaced_only_when_confirmed(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    out = tmp_path / "out" / "existing.txt"
    out.write_text("keep me")
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    box = replace_box(qtbot, dialog)
    assert str(out) in box.text() and box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "replaceBox") is None)
    assert not dialog.is_busy and out.read_text() == "keep me" and dialog.saved == []

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    box = replace_box(qtbot, dialog)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.saved), timeout=10_000)
    assert not dialog.error.text() and out.read_text().startswith("Call [NAME]")
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_file_that_appears_after_the_question_is_not_replaced(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    out = tmp_path / "out" / "late.txt"
    dialog.path_edit.setText(str(out))
    gate = threading.Event()
    ctx.worker.op(None, lambda _s: gate.wait(10)).run()  # the vault thread is busy a moment
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # nothing there: no question
    assert dialog.findChild(QMessageBox, "replaceBox") is None
    out.write_text("written by someone else meanwhile")
    gate.set()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert "already exists" in dialog.error.text() and out.read_text() == "written by someone else meanwhile"


def test_a_path_inside_the_vault_folder_is_refused(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path, unlocked: Session
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    header = unlocked.paths.header
    before = header.read_bytes()
    dialog.path_edit.setText(str(unlocked.paths.blobs / "notes.txt"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert "inside the vault folder" in dialog.error.text() and not (unlocked.paths.blobs / "notes.txt").exists()

    (tmp_path / "link").symlink_to(header.parent)
    dialog.path_edit.setText(str(tmp_path / "link" / "vault.header"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    box = replace_box(qtbot, dialog)  # it exists: asked first, refused even when the user says yes
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "inside the vault folder" in dialog.error.text(), timeout=10_000)
    assert header.read_bytes() == before and dialog.saved == []


def test_failures_are_shown_in_the_dialog_which_stays_open(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    dialog.path_edit.setText(str(tmp_path / "missing" / "x.txt"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in dialog.error.text() and dialog.isVisible()

    ghost = make_dialog(qtbot, ctx, RecordingId("no-such-recording"), tmp_path, title="Ghost")
    ghost.path_edit.setText(str(tmp_path / "out" / "ghost.txt"))
    qtbot.mouseClick(ghost.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ghost.error.text()), timeout=10_000)
    assert ghost.isVisible() and ghost.saved == [] and not (tmp_path / "out" / "ghost.txt").exists()
    assert ghost.findChild(QMessageBox) is None  # inline, not a message box


def test_a_relative_name_goes_to_the_default_folder_and_gets_the_extension(
    qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Ward round")
    dialog.set_format("vtt")
    dialog.path_edit.setText("notes")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.saved), timeout=10_000)
    assert dialog.saved == [tmp_path / "out" / "notes.vtt"]
    assert ctx.extras[export_dialog.LAST_DIR_KEY] == tmp_path / "out"


def test_clear_forgets_the_title_and_destination(qtbot, ctx: AppContext, rid: RecordingId, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, ctx, rid, tmp_path, title="Maria's visit")
    assert "Maria" not in dialog.path_edit.text()  # redacted: a neutral file name
    dialog.redacted_check.setChecked(False)
    assert "Maria" in dialog.path_edit.text()
    dialog.clear()
    assert dialog.path_edit.text() == "" and "Maria" not in dialog.windowTitle()
