"""The audit log viewer against a real vault: newest first, filters, and the hash-chain check, intact and tampered."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableWidget

from app.context import AppContext
from app.windows.audit import DETAILS, EVENT, OBJECT, SEQ, AuditDialog, details_text, kind_family
from core.redaction.detect import default_detector
from core.session import Session
from core.types import RecordingId
from tests.app.helpers import click, drain, find
from tests.session.test_review import recorded
from tests.vault_access import in_transaction


@pytest.fixture
def rid(unlocked: Session) -> RecordingId:
    """Events of several kinds, made on the test thread before the worker runs anything."""
    rid = recorded(SimpleNamespace(session=unlocked))  # type: ignore[arg-type]
    unlocked.review.detect_pii(rid, default_detector())
    unlocked.recordings.rename_recording(rid, "Ward round")
    return rid


def open_dialog(qtbot, ctx: AppContext) -> AuditDialog:
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_loading and dialog.table.rowCount() > 0, timeout=10_000)
    return dialog


def column(table: QTableWidget, col: int) -> list[str]:
    return [table.item(row, col).text() for row in range(table.rowCount())]


def verify(qtbot, dialog: AuditDialog) -> str:
    click(qtbot, dialog, "verifyButton")
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled(), timeout=10_000)
    return dialog.verify_result.text()


def test_events_are_listed_newest_first_with_their_details(qtbot, ctx: AppContext, rid: RecordingId) -> None:
    dialog = open_dialog(qtbot, ctx)
    table = find(dialog, QTableWidget, "auditTable")

    seqs = [int(s) for s in column(table, SEQ)]
    assert seqs == sorted(seqs, reverse=True) and seqs[-1] == 1
    kinds = column(table, EVENT)
    assert kinds[0] == "recording.rename" and "redaction.detect" in kinds and "vault.create" in kinds
    assert [table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "Seq", "Time (local)", "Event", "Outcome", "Object", "Details",
    ]  # fmt: skip
    detect_row = kinds.index("redaction.detect")
    assert table.item(detect_row, OBJECT).text() == "Ward round"  # a person reads the title, not the id
    assert rid in table.item(detect_row, OBJECT).toolTip()
    assert "=" in table.item(detect_row, DETAILS).text()
    assert "Maria" not in " ".join(column(table, DETAILS))


def test_filtering_by_kind_family_and_by_text(qtbot, ctx: AppContext, rid: RecordingId) -> None:
    dialog = open_dialog(qtbot, ctx)
    table = dialog.table
    total = table.rowCount()
    kinds = find(dialog, QComboBox, "kindFilter")
    families = [kinds.itemData(i) for i in range(kinds.count())]
    assert kinds.itemText(0) == "All" and {"recording.", "redaction.", "transcript.", "vault."} <= set(families)

    dialog.set_kind_filter("recording.")
    shown = column(table, EVENT)
    assert shown and all(k.startswith("recording.") for k in shown) and len(shown) < total

    dialog.set_kind_filter("")
    assert table.rowCount() == total

    text = find(dialog, QLineEdit, "kindFilterEdit")
    qtbot.keyClicks(text, "detect")
    assert column(table, EVENT) == ["redaction.detect"]
    text.clear()
    assert table.rowCount() == total


def test_refresh_shows_new_events_and_keeps_the_filter(qtbot, ctx: AppContext, rid: RecordingId) -> None:
    dialog = open_dialog(qtbot, ctx)
    dialog.set_kind_filter("recording.")
    before = dialog.table.rowCount()
    ctx.worker.op(None, lambda s: s.recordings.rename_recording(rid, "Second name")).run()
    drain(qtbot, ctx.worker)

    click(qtbot, dialog, "refreshButton")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=10_000)
    assert dialog.kind_filter.currentData() == "recording."
    assert column(dialog.table, EVENT)[0] == "recording.rename"


def test_verify_says_intact_then_finds_the_altered_event(qtbot, ctx: AppContext, rid: RecordingId) -> None:
    dialog = open_dialog(qtbot, ctx)

    message = verify(qtbot, dialog)
    assert message.startswith("The audit trail is intact: ") and "each linked to the one before" in message
    count = int(message.split(": ")[1].split()[0])
    assert count >= dialog.table.rowCount()

    done: list[Any] = []
    ctx.worker.op(
        None,
        lambda s: in_transaction(s,
            lambda conn: conn.execute("UPDATE audit_events SET detail = '{\"x\": 1}' WHERE seq = 2")
        ),
    ).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))

    message = verify(qtbot, dialog)
    assert message.startswith("The audit trail was altered at event #2: this event was altered")
    assert dialog.verify_result.isVisible()
    assert dialog.table.selectedItems() and dialog.table.selectedItems()[SEQ].text() == "2"


def test_a_deleted_recording_is_named_by_its_id_and_titles_go_with_the_lock(
    qtbot, ctx: AppContext, rid: RecordingId
) -> None:
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(find(dialog, QLineEdit, "kindFilterEdit"), "ward round")  # the filter finds titles too
    assert "redaction.detect" in column(dialog.table, EVENT)
    ctx.worker.op(None, lambda s: s.recordings.delete_recording(rid)).run()
    drain(qtbot, ctx.worker)
    find(dialog, QLineEdit, "kindFilterEdit").clear()
    click(qtbot, dialog, "refreshButton")
    qtbot.waitUntil(lambda: column(dialog.table, EVENT)[0] == "recording.delete", timeout=10_000)
    objects = set(column(dialog.table, OBJECT))
    assert rid in objects and "Ward round" not in objects
    dialog.clear()
    assert dialog._titles == {}


def test_clear_empties_everything(qtbot, ctx: AppContext, rid: RecordingId) -> None:
    dialog = open_dialog(qtbot, ctx)
    verify(qtbot, dialog)
    dialog.clear()
    assert dialog.table.rowCount() == 0 and dialog.events == []
    assert dialog.kind_filter.count() == 1 and dialog.verify_result.text() == ""


def test_helpers() -> None:
    assert kind_family("recording.import") == "recording."
    assert kind_family("unlock") == "unlock"
    assert details_text({"format": "txt", "redacted": False, "bytes": 12, "x": None}) == (
        "bytes=12 format=txt redacted=false x=null"
    )


def test_a_forged_pre_unlock_event_is_shown_as_not_authenticated(
    qtbot, session: Session, clock: Any, enrolled: Any, worker: Any
) -> None:
    """Issue 22: a well-chained line written into preauth.jsonl claims an unredacted export."""
    from core.audit import PreauthLog
    from tests.app.conftest import PASSPHRASE, make_ctx, totp_code

    PreauthLog(session.paths.preauth_log).append(
        at_ms=clock.now_ms(), os_user="tester", kind="transcript.export", outcome="success", detail={"redacted": False}
    )
    session.unlock(PASSPHRASE, totp_code(enrolled.totp_secret, clock))
    dialog = open_dialog(qtbot, make_ctx(session, worker))
    kinds = column(dialog.table, EVENT)
    forged = [k for k in kinds if "transcript.export" in k]
    assert forged == ["preauth.transcript.export (before unlock: not authenticated)"]
    row = kinds.index(forged[0])
    assert "could have written it" in dialog.table.item(row, EVENT).toolTip()
    assert "unlock" in kinds  # the app's own events are shown as they are
    message = verify(qtbot, dialog)
    assert message.startswith("The audit trail is intact") and "1 of them were recorded before unlock" in message
