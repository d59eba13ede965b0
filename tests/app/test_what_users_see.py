"""Small things a person sees in the real windows (issue 21, §8): each in the words and formats of people."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QLabel

from app.context import AppContext
from app.views.library import LibraryView
from app.widgets.player import PlayerWidget
from app.windows.main_window import recordings_text
from app.windows.unlock import UnlockDialog
from core.errors import AuthFailed, NoAudioOutput
from core.session import Session
from core.types import RecordingId
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into
from tests.core.helpers import add_pcm_recording
from tests.vault_access import vault_context


@pytest.fixture
def library(qtbot, unlocked: Session, ctx: AppContext) -> LibraryView:
    # recorded, never transcribed
    add_pcm_recording(unlocked, "r1", np.zeros(16_000 * 3, dtype=np.float32), status="new")
    view = LibraryView(ctx, on_open=lambda _: None, on_files=lambda _: None)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    return view


def _cells(view: LibraryView) -> dict[str, str]:
    header = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
    return {str(h): str(view.proxy.index(0, c).data()) for c, h in enumerate(header)}


def test_a_recording_never_transcribed_says_so_and_no_empty_language_column(library: LibraryView) -> None:
    cells = _cells(library)
    assert cells["Status"] == "Not transcribed"
    assert "Language" not in cells  # nothing records a language: no column of dashes


def test_the_date_is_in_the_locales_short_format(qtbot, library: LibraryView, unlocked: Session) -> None:
    created_ms = unlocked.recordings.all()[0].created_ms
    when = QDateTime.fromMSecsSinceEpoch(created_ms).toLocalTime()
    before = QLocale()
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    try:
        QLocale.setDefault(us)
        library.refresh()
        qtbot.waitUntil(lambda: _cells(library)["Date"] == us.toString(when, QLocale.FormatType.ShortFormat))
        assert "/" in _cells(library)["Date"]
        QLocale.setDefault(QLocale.c())  # LANG=C: no one's choice, and "6 12 2026 19:45" reads badly: ISO 8601
        library.refresh()
        qtbot.waitUntil(lambda: _cells(library)["Date"] == when.toString("yyyy-MM-dd HH:mm"))
    finally:
        QLocale.setDefault(before)


def test_the_status_bar_count_says_what_it_counts() -> None:
    assert recordings_text(0) == "0 recordings"
    assert recordings_text(1) == "1 recording"
    assert recordings_text(2) == "2 recordings"
    assert recordings_text(None) == "Recordings: —"


def test_without_an_output_device_the_player_says_so_and_shows_the_length(
    qtbot, unlocked: Session, ctx: AppContext
) -> None:
    rid = add_pcm_recording(unlocked, "r1", np.zeros(16_000 * 75, dtype=np.float32), chunk_size=64_000)

    def no_device(rate, device, callback):
        raise NoAudioOutput()  # what playback.sounddevice_output raises when PortAudio has no output

    ctx.output_stream = no_device
    widget = PlayerWidget(ctx)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(RecordingId(rid))
    message = find(widget, QLabel, "playerMessage")
    qtbot.waitUntil(lambda: message.text() != "")
    assert message.text().startswith("No audio output device found")
    assert "PortAudio" not in message.text() and "-1" not in message.text()
    assert find(widget, QLabel, "totalLabel").text() == "1:15"


def test_a_damaged_header_is_told_in_words_for_people_and_logged_with_its_reason(
    qtbot, enrolled, worker, session: Session, clock
) -> None:
    header = session.paths.header
    header.write_bytes(header.read_bytes()[:-7])
    dialog = UnlockDialog(worker, min_passphrase_length=10, monotonic=clock.monotonic_s)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    message = find(dialog, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: message.text() != "")
    assert message.text() == str(AuthFailed())
    assert "header" not in message.text().lower() and "passphrase" in message.text()
    events, _ = vault_context(session).preauth.read()
    assert events[-1].detail == {"reason": "header_malformed"}  # the technical reason is in the log
