"""Export a transcript (and optionally its redacted audio) to a file the user chooses.

Redaction is on by default; turning it off shows, before anything is written,
that the file will hold personal details in the clear and that the export is
recorded in the audit log (every export is). The destination starts as a file
name made from the recording's title, made safe (no folders, no leading dots,
not too long), and its extension follows the chosen format. An existing file
is replaced only after the user confirms in a box that does not block the
event loop; only then is the session told it may replace it (otherwise it
refuses an existing file). The session writes atomically, privately, never
through a link nor into the vault folder (core.userfile), and audits each
export; the dialog stays open afterwards and says where it saved, so another
format can be exported in the same go.

The redacted audio is made again before it is written whenever the review
changed since the copy was made (the session's rule, which the command line's
``export-audio --redacted`` follows too), so it never lags behind the review.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.windows.dialog import MessageLabel, VaultDialog
from core.errors import VaultScribeError
from core.export import FORMATS
from core.session import Session
from core.types import RecordingId

#: Where ``AppContext.extras`` keeps the folder of the last export, so the next one starts there.
LAST_DIR_KEY = "export_dir"
MAX_STEM = 80
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RUNS = re.compile(r"[\s_]+")
_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)})
_WARNING_STYLE = "QLabel { border: 2px solid #c0392b; border-radius: 4px; padding: 6px; font-weight: bold; }"


def format_choices() -> list[tuple[str, str]]:
    """(format, label) in the order the box offers them; every format of ``core.export.FORMATS``."""
    choices = [
        ("txt", tr("Plain text (TXT)")),
        ("srt", tr("Subtitles (SRT)")),
        ("vtt", tr("Web subtitles (VTT)")),
        ("docx", tr("Word document (DOCX)")),
        ("json", tr("Data (JSON)")),
    ]
    return [(fmt, label) for fmt, label in choices if fmt in FORMATS]


REDACTED_STEM = "transcript-redacted"


def safe_file_stem(title: str, *, fallback: str = "transcript") -> str:
    """A file name stem from a title: no folders or characters file systems refuse, no leading dots."""
    stem = _UNSAFE.sub("_", title)
    stem = _RUNS.sub(lambda m: "_" if "_" in m.group() else " ", stem)
    stem = stem.lstrip(" ._-").rstrip(" ._")
    stem = stem[:MAX_STEM].rstrip(" ._")
    if not stem:
        return fallback
    if stem.split(".")[0].lower() in _RESERVED:  # Windows device names, even with an extension
        stem = f"{stem}_"
    return stem


def audio_path_for(out: Path) -> Path:
    """Where the redacted audio goes beside the transcript: ``<stem>.redacted.wav``."""
    return out.with_name(f"{out.stem}.redacted.wav")


def _default_dir() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


class ExportDialog(VaultDialog):
    def __init__(
        self,
        ctx: AppContext,
        recording_id: RecordingId,
        *,
        title: str = "",
        directory: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx.worker, parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("Export transcript"))
        self._ctx = ctx
        self._rid = recording_id
        self._title = title
        last = ctx.extras.get(LAST_DIR_KEY)
        self._dir = Path(directory or last or _default_dir())
        self._path_edited = False  # once the user typed or browsed, a late title does not replace the path
        #: Every file written by this dialog, newest last.
        self.saved: list[Path] = []

        self.format_box = QComboBox()
        self.format_box.setObjectName("formatBox")
        self.format_box.setAccessibleName(tr("Format"))
        for fmt, label in format_choices():
            self.format_box.addItem(label, fmt)
        self.format_box.currentIndexChanged.connect(self._format_changed)

        self.redacted_check = QCheckBox(tr("&Redact personal details"))
        self.redacted_check.setObjectName("redactedCheck")
        self.redacted_check.setAccessibleName(tr("Redact personal details"))
        self.redacted_check.setToolTip(
            tr("Replace names, numbers and other personal details with their type, as reviewed (Alt+R)")
        )
        self.redacted_check.setChecked(True)
        self.redacted_check.toggled.connect(self._redaction_changed)

        self.unredacted_warning = MessageLabel("unredactedWarning", style=_WARNING_STYLE)
        self.unredacted_warning.setAccessibleName(tr("Warning"))

        self.audio_check = QCheckBox(tr("Also export the redacted &audio (WAV)"))
        self.audio_check.setObjectName("audioCheck")
        self.audio_check.setAccessibleName(tr("Also export the redacted audio (WAV)"))
        self.audio_check.setToolTip(
            tr("Write a copy of the audio with a tone over every redacted part, beside the transcript (Alt+A)")
        )

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setAccessibleName(tr("Save to"))
        self.path_edit.textEdited.connect(self._path_typed)
        self.path_edit.returnPressed.connect(self.export)
        self.browse_button = QPushButton(tr("&Browse…"))
        self.browse_button.setObjectName("browseButton")
        self.browse_button.setAccessibleName(tr("Browse"))
        self.browse_button.setToolTip(tr("Choose where to save (Alt+B)"))
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.message = MessageLabel("exportMessage", style="")
        self.error = MessageLabel("exportError")

        self.export_button = QPushButton(tr("&Export"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setAccessibleName(tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.setAutoDefault(True)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(tr("Write the file (Enter or Ctrl+E)"))
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAccessibleName(tr("Close"))
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip(tr("Close without exporting more (Esc)"))
        self.close_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("&Format"), self.format_box)  # a text label takes the field as its buddy
        save_label = QLabel(tr("&Save to"))
        save_label.setBuddy(self.path_edit)
        form.addRow(save_label, path_row)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.redacted_check)
        layout.addWidget(self.unredacted_warning)
        layout.addWidget(self.audio_check)
        layout.addWidget(self.error)
        layout.addWidget(self.message)
        layout.addStretch()
        layout.addLayout(buttons)
        self.add_page(page)
        self.setMinimumWidth(520)

        self._set_default_path()
        self._redaction_changed(True)
        if not title:
            rid = recording_id
            self.worker.op(self, lambda s: s.recordings.get(rid)).success(self._got_recording).failure(
                lambda _exc: None  # the default name stays "transcript"; the export itself reports errors
            ).run()
        self.path_edit.setFocus()

    # -- state --------------------------------------------------------------------------

    def format(self) -> str:
        return str(self.format_box.currentData())

    def set_format(self, fmt: str) -> None:
        index = self.format_box.findData(fmt)
        if index < 0:
            raise ValueError(f"unknown export format {fmt!r}")
        self.format_box.setCurrentIndex(index)

    def default_file_name(self) -> str:
        """The title for an unredacted export; a neutral name for a redacted one, which is made to be
        shared, since a title (often the source file's name) may name the person."""
        stem = safe_file_stem(self._title) if not self.redacted_check.isChecked() else REDACTED_STEM
        return f"{stem}.{self.format()}"

    def _set_default_path(self) -> None:
        self.path_edit.setText(str(self._dir / self.default_file_name()))

    def _got_recording(self, rec: object) -> None:
        title = getattr(rec, "title", "") or ""
        if title and not self._title:
            self._title = str(title)
            if not self._path_edited:
                self._set_default_path()

    def _path_typed(self, _text: str) -> None:
        self._path_edited = True
        self.error.clear()

    def _format_changed(self, _index: int) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._set_default_path()
            return
        path = Path(text)
        known = {f".{fmt}" for fmt in FORMATS}
        ext = f".{self.format()}"
        if path.suffix.lower() in known:
            path = path.with_suffix(ext)
        elif path.name:
            path = path.with_name(path.name + ext)
        self.path_edit.setText(str(path))

    def _redaction_changed(self, redacted: bool) -> None:
        self.audio_check.setEnabled(redacted)
        if not self._path_edited and self._title:
            self._set_default_path()
        if redacted:
            self.unredacted_warning.clear()
            self.export_button.setText(tr("&Export"))
        else:
            self.unredacted_warning.setText(
                tr(
                    "Not redacted: the file will contain names, phone numbers, record numbers and other personal "
                    "details in the clear. Anyone who can open it can read them. This export is recorded in the "
                    "audit log."
                )
            )
            self.export_button.setText(tr("&Export unredacted"))

    def busy_did_end(self) -> None:
        self.export_button.setFocus()

    def clear(self) -> None:
        """Forget the title and the destination (the vault locked)."""
        self._title = ""
        self.path_edit.clear()
        self.message.clear()
        self.error.clear()
        self.unredacted_warning.clear()
        self.setWindowTitle(tr("Export transcript"))

    # -- destination ------------------------------------------------------------------------

    def _browse(self) -> None:
        fmt = self.format()
        label = dict(format_choices()).get(fmt, fmt)
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Export transcript"),
            self.path_edit.text() or str(self._dir / self.default_file_name()),
            f"{label} (*.{fmt})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked once, at export, for every file written
        )
        if path:
            self._path_edited = True
            self.path_edit.setText(path)
            self.error.clear()

    def target(self) -> Path | None:
        """The file the transcript goes to, or None (and an inline message) if the field cannot be used."""
        text = self.path_edit.text().strip()
        if not text:
            self.error.setText(tr("Choose where to save the file."))
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self._dir / path
        if not path.suffix:
            path = path.with_name(f"{path.name}.{self.format()}")
        if path.is_dir():
            self.error.setText(tr("{path} is a folder; add a file name.").format(path=path))
            return None
        if not path.parent.is_dir():
            self.error.setText(tr("The folder {folder} does not exist.").format(folder=path.parent))
            return None
        return path

    def _ask_to_replace(self, existing: list[Path], replace: Callable[[], None]) -> QMessageBox:
        """Ask, without blocking the event loop, whether ``existing`` may be replaced; ``replace`` on Yes."""
        names = "\n".join(str(p) for p in existing)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Replace existing file?"),
            tr("This already exists:\n{names}\n\nReplace it?").format(names=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("replaceBox")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _result: replace() if box.clickedButton() is yes else None)
        box.open()
        return box

    # -- export -------------------------------------------------------------------------------

    def export(self) -> None:
        if self.is_busy:
            return
        self.error.clear()
        self.message.clear()
        out = self.target()
        if out is None:
            return
        fmt = self.format()
        redacted = self.redacted_check.isChecked()
        audio_out = audio_path_for(out) if redacted and self.audio_check.isChecked() else None
        existing = [p for p in (out, audio_out) if p is not None and os.path.lexists(p)]
        if existing:
            self._ask_to_replace(existing, lambda: self._write(out, fmt, redacted, audio_out, overwrite=True))
        else:
            self._write(out, fmt, redacted, audio_out, overwrite=False)

    def _write(self, out: Path, fmt: str, redacted: bool, audio_out: Path | None, *, overwrite: bool) -> None:
        rid = self._rid

        def work(s: Session) -> list[Path]:
            s.transcripts.export_transcript(rid, out, fmt, redacted=redacted, overwrite=overwrite)
            if audio_out is None:
                return [out]
            # made again first if the review changed since
            s.review.export_redacted_audio(rid, audio_out, overwrite=overwrite)
            return [out, audio_out]

        self.run_op(work, self._saved, self._failed)

    def _saved(self, paths: list[Path]) -> None:
        self.saved.extend(paths)
        self._ctx.extras[LAST_DIR_KEY] = paths[0].parent
        self._dir = paths[0].parent
        self.message.setText(tr("Saved to {paths}").format(paths="\n".join(str(p) for p in paths)))
        self.close_button.setText(tr("Close"))

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, VaultScribeError):
            self.error.setText(str(exc))
        else:
            show_error(self, exc)
