"""The library view against a real vault: columns, search with highlights, rename/tags/delete, drops, clear."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractButton, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

from app.context import AppContext
from app.views.library import (
    HTML_ROLE,
    FileDropFilter,
    LibraryView,
    format_duration,
    highlight_snippet,
    local_paths,
)
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.app.helpers import drain, find
from tests.core.helpers import add_pcm_recording

TEXT = "Call Maria Gonzalez at 555-0147 tomorrow. Her MRN is 4471-0923, thanks."


def add_recordings(session: Session) -> None:
    silence = np.zeros(16_000 * 2, dtype=np.float32)
    add_pcm_recording(session, "r1", silence)
    add_pcm_recording(session, "r2", np.zeros(16_000 * 5, dtype=np.float32))
    session.recordings.rename_recording(RecordingId("r1"), "Ward round")
    session.recordings.rename_recording(RecordingId("r2"), "Interview <b>Smith</b>")
    session.recordings.set_recording_tags(RecordingId("r1"), ["clinic", "urgent"])
    session.transcripts.save_transcript(
        Transcript(TranscriptId("t1"), RecordingId("r1"), 1, "nemo", "test/model", TEXT, (), "en")
    )


class Opened:
    def __init__(self) -> None:
        self.ids: list[RecordingId] = []
        self.files: list[list[Path]] = []


@pytest.fixture
def opened() -> Opened:
    return Opened()


@pytest.fixture
def view(qtbot, unlocked: Session, ctx: AppContext, opened: Opened) -> LibraryView:
    add_recordings(unlocked)  # on the test thread, before the worker runs anything
    view = LibraryView(ctx, on_open=opened.ids.append, on_files=opened.files.append)
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    return view


def row_texts(view: LibraryView) -> dict[str, list[str]]:
    proxy = view.proxy
    out = {}
    for row in range(proxy.rowCount()):
        texts = [str(proxy.index(row, c).data()) for c in range(proxy.columnCount())]
        out[texts[0]] = texts
    return out


def all_text(root: QWidget) -> str:
    """Every piece of text the widgets under ``root`` hold, including item models."""
    parts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        for attr in ("text", "toolTip", "accessibleName", "windowTitle", "placeholderText"):
            fn = getattr(w, attr, None)
            if callable(fn):
                try:
                    value = fn()
                except TypeError:
                    continue
                if isinstance(value, str):
                    parts.append(value)
        model = getattr(w, "model", None)
        if callable(model) and model() is not None:
            m = model()
            for r in range(m.rowCount()):
                for c in range(m.columnCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, HTML_ROLE):
                        parts.append(str(m.index(r, c).data(role)))
    return "\n".join(parts)


def test_lists_recordings_with_their_columns(view: LibraryView) -> None:
    rows = row_texts(view)
    assert set(rows) == {"Ward round", "Interview <b>Smith</b>"}
    ward = rows["Ward round"]
    assert ward[2] == "0:00:02"
    assert ward[3] == "Imported"
    assert ward[4] == "clinic, urgent"
    assert rows["Interview <b>Smith</b>"][2] == "0:00:05"
    assert ward[1]  # a local date
    assert view.stack.currentWidget() is view.table


def test_sorting_by_duration_uses_the_value(view: LibraryView) -> None:
    view.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert view.proxy.index(0, 0).data() == "Ward round"
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert view.proxy.index(0, 0).data() == "Interview <b>Smith</b>"


def test_enter_opens_the_selected_recording(qtbot, view: LibraryView, opened: Opened) -> None:
    view.select(RecordingId("r1"))
    assert view.selected_id() == "r1"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.ids == ["r1"]
    view.open_action.trigger()
    assert opened.ids == ["r1", "r1"]


def test_empty_vault_shows_the_empty_state(qtbot, ctx: AppContext) -> None:
    view = LibraryView(ctx, on_open=lambda _: None, on_files=lambda _: None)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.empty_label)
    assert "No recordings yet" in find(view, QLabel, "emptyState").text()


def test_search_highlights_hits_and_opens_the_recording(qtbot, view: LibraryView, opened: Opened) -> None:
    view.focus_search()
    qtbot.keyClicks(find(view, QLineEdit, "searchBox"), "maria")
    qtbot.waitUntil(lambda: view.results.count() == 1, timeout=3000)
    assert view.stack.currentWidget() is view.results
    markup = view.results.item(0).data(HTML_ROLE)
    assert "<b><span" in markup and ">Maria</span></b>" in markup
    assert "Ward round" in markup
    assert not view.results.viewport().grab().isNull()  # the rich-text delegate paints
    view.results.itemActivated.emit(view.results.item(0))
    assert opened.ids == ["r1"]
    # An empty query shows the table again.
    view.search_box.clear()
    assert view.stack.currentWidget() is view.table


def test_invalid_search_is_shown_inline(qtbot, view: LibraryView) -> None:
    view.search_box.setText('"unterminated')
    message = find(view, QLabel, "searchMessage")
    qtbot.waitUntil(lambda: message.isVisible(), timeout=3000)
    assert message.text().startswith("Invalid search")
    assert not view.findChildren(QMessageBox)
    view.search_box.setText("maria")
    qtbot.waitUntil(lambda: not message.isVisible() and view.results.count() == 1, timeout=3000)


def test_highlight_escapes_html_and_stays_balanced() -> None:
    assert (
        highlight_snippet("a <i>&</i> [hit] b", style="")
        == 'a &lt;i&gt;&amp;&lt;/i&gt; <b><span style="">hit</span></b> b'
    )
    # Brackets from the text itself: never unbalanced markup.
    assert highlight_snippet("x] [open", style="") == 'x] <b><span style="">open</span></b>'
    assert format_duration(3_725_000) == "1:02:05" and format_duration(None) == "—"


def test_rename_tags_and_delete(qtbot, view: LibraryView, ctx: AppContext) -> None:
    view.select(RecordingId("r1"))
    view.rename_action.trigger()
    dialog = find(view, QInputDialog, "renameDialog")
    assert dialog.textValue() == "Ward round"
    dialog.setTextValue("Morning round")
    dialog.accept()
    qtbot.waitUntil(lambda: "Morning round" in row_texts(view), timeout=3000)
    assert view.selected_id() == "r1"

    view.tags_action.trigger()
    tags = find(view, QInputDialog, "tagsDialog")
    assert tags.textValue() == "clinic, urgent"
    tags.setTextValue("follow-up,  Clinic ,")
    tags.accept()
    qtbot.waitUntil(lambda: "follow-up" in row_texts(view)["Morning round"][4], timeout=3000)
    assert row_texts(view)["Morning round"][4].casefold() == "clinic, follow-up"

    view.delete_action.trigger()
    box = find(view, QMessageBox, "confirmDelete")
    explained = box.text() + box.informativeText()
    assert "key" in explained and "backup" in explained and "cannot be undone" in explained
    find(box, QAbstractButton, "cancelDeleteButton").click()
    drain(qtbot, ctx.worker)
    assert "Morning round" in row_texts(view)

    view.select(RecordingId("r1"))
    view.delete_action.trigger()
    box = find(view, QMessageBox, "confirmDelete")
    find(box, QAbstractButton, "confirmDeleteButton").click()
    qtbot.waitUntil(lambda: set(row_texts(view)) == {"Interview <b>Smith</b>"}, timeout=3000)
    left: list[list[Recording]] = []
    ctx.worker.op(None, lambda s: s.recordings.all()).success(left.append).run()
    qtbot.waitUntil(lambda: bool(left))
    assert [r.id for r in left[0]] == ["r2"]


def test_actions_need_a_selection(view: LibraryView) -> None:
    view.table.clearSelection()
    assert not view.delete_action.isEnabled() and not view.rename_action.isEnabled()
    view.select(RecordingId("r2"))
    assert view.delete_action.isEnabled()
    assert view.rename_action.shortcut().toString() == "F2"


def test_dropping_a_folder_imports_its_audio_files(qtbot, view: LibraryView, opened: Opened, tmp_path) -> None:
    folder = tmp_path / "dictations"
    (folder / "sub").mkdir(parents=True)
    a = folder / "a.wav"
    b = folder / "sub" / "b.mp3"
    for p in (a, b):
        p.write_bytes(b"x")
    (folder / "notes.txt").write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder)), QUrl("https://example.com/x.wav")])
    assert local_paths(mime) == [folder]
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    view.dropEvent(event)
    assert event.isAccepted()
    assert opened.files == [[a, b]]

    remote = QMimeData()
    remote.setUrls([QUrl("https://example.com/x.wav")])
    assert view.drop_mime(remote) is False
    assert opened.files == [[a, b]]


def test_clear_leaves_no_titles_or_snippets(qtbot, view: LibraryView) -> None:
    view.search_box.setText("maria")
    qtbot.waitUntil(lambda: view.results.count() == 1, timeout=3000)
    view.select(RecordingId("r1"))  # not in the results page; select in the table model anyway
    view.search_box.clear()
    view.select(RecordingId("r1"))
    view.rename_action.trigger()  # a dialog that holds the title
    find(view, QInputDialog, "renameDialog")
    view.clear()
    qtbot.waitUntil(lambda: not [d for d in view.findChildren(QInputDialog) if d.isVisible()])
    text = all_text(view)
    for secret in ("Ward round", "Smith", "Maria", "Gonzalez", "clinic"):
        assert secret not in text
    assert view.model.rowCount() == 0 and view.results.count() == 0
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)


def test_the_drop_filter_makes_any_widget_a_drop_target(qtbot, tmp_path) -> None:
    target = QWidget()
    qtbot.addWidget(target)
    got: list[list[Path]] = []
    drops = FileDropFilter(target, got.append)
    assert target.acceptDrops()
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(wav))])
    event = QDropEvent(
        QPointF(1, 1), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    # Called directly: Qt delivers drop events only from a real drag, which offscreen tests cannot start.
    assert drops.eventFilter(target, event) is True
    assert event.isAccepted() and got == [[wav]]
