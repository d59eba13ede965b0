"""The audit log viewer: every recorded event, newest first, and a check of the hash chain.

Events are content-free by construction (kinds, ids, outcomes and short scalar
details). The table shows them as they are, except that an event's recording is
named by its title, read from the open vault with the events (the id stays in its
tooltip; a deleted recording keeps its id), and the titles are dropped with the
events when the vault locks. Filtering is done here on the
loaded events: by kind family (the part of the kind up to its first dot, e.g.
"recording.") and by free text over kind, object, outcome and details. The
verify button recomputes every MAC in the chain and checks its sealed head, and says
plainly whether the trail is intact or at which event it was altered. Events
recorded before unlock (``preauth.*``) are marked as not authenticated: anyone who
can write the vault folder could have written them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.widgets.controls import button as make_button
from core.audit import AuditEvent, VerifyReport
from core.errors import VaultScribeError
from core.session import Session

LIMIT = 5000
SEQ, TIME, EVENT, OUTCOME, OBJECT, DETAILS = range(6)
_BROKEN_STYLE = "QLabel { border: 2px solid #c0392b; border-radius: 4px; padding: 6px; font-weight: bold; }"
_INTACT_STYLE = "QLabel { padding: 6px; }"


def kind_family(kind: str) -> str:
    """ "recording.import" → "recording."; a kind without a dot ("unlock") is its own family."""
    head, dot, _rest = kind.partition(".")
    return head + dot


def details_text(detail: Mapping[str, object]) -> str:
    return " ".join(f"{key}={_scalar(value)}" for key, value in sorted(detail.items()))


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def local_time(at_ms: int) -> str:
    return dt.datetime.fromtimestamp(at_ms / 1000).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def event_text(event: AuditEvent) -> str:
    if event.authenticated:
        return event.kind
    return tr("{kind} (before unlock: not authenticated)").format(kind=event.kind)


def verify_message(report: VerifyReport) -> str:
    if report.ok:
        text = tr("The audit trail is intact: {n} events, each linked to the one before.").format(n=report.events)
        if report.unauthenticated:
            text += " " + tr("{n} of them were recorded before unlock: what they claim is not authenticated.").format(
                n=report.unauthenticated
            )
        return text
    return tr("The audit trail was altered at event #{seq}: {reason}.").format(
        seq=report.first_bad_seq, reason=(report.reason or tr("unknown reason")).rstrip(".")
    )


class _Note(QLabel):
    """A label hidden while empty. Unlike ``MessageLabel`` it leaves the window's size alone: the table
    keeps whatever room the user gave the dialog."""

    def __init__(self, name: str, *, style: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def _button(text: str, name: str, accessible: str, tip: str, keys: QKeySequence | None = None) -> QPushButton:
    made = make_button(text, name, tip=tip, shortcut=keys, accessible=accessible)
    made.setAutoDefault(False)
    return made


def _events_and_titles(s: Session) -> tuple[list[AuditEvent], dict[str, str]]:
    return s.audit.events(limit=LIMIT), {str(r.id): r.title for r in s.recordings.all()}


class AuditDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(tr("Audit log"))
        self._ctx = ctx
        self._events: list[AuditEvent] = []
        self._titles: dict[str, str] = {}  # recording id -> title, while the vault is open
        self._loading = False
        self._verifying = False

        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.setAccessibleName(tr("Show events of kind"))
        self.kind_filter.setToolTip(tr("Show only one kind of event"))
        self.kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_filter.setMinimumContentsLength(12)
        self.kind_filter.addItem(tr("All"), "")
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("kindFilterEdit")
        self.text_filter.setAccessibleName(tr("Filter events"))
        self.text_filter.setPlaceholderText(tr("Filter by event, object or detail"))
        self.text_filter.setToolTip(tr("Show only events whose kind, object, outcome or details contain this (Ctrl+F)"))
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self._apply_filter)
        kind_label = QLabel(tr("&Kind"))
        kind_label.setBuddy(self.kind_filter)
        filter_row = QHBoxLayout()
        filter_row.addWidget(kind_label)
        filter_row.addWidget(self.kind_filter)
        filter_row.addWidget(self.text_filter, 1)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(tr("Audit events"))
        self.table.setHorizontalHeaderLabels(
            [tr("Seq"), tr("Time (local)"), tr("Event"), tr("Outcome"), tr("Object"), tr("Details")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (SEQ, TIME, EVENT, OUTCOME, OBJECT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.verify_result = _Note("verifyResult", style=_INTACT_STYLE)
        self.verify_result.setAccessibleName(tr("Result of the check"))
        self.error = _Note("auditError", style="color: #b03a2e;")

        self.verify_button = _button(
            tr("&Verify hash chain"),
            "verifyButton",
            tr("Verify hash chain"),
            tr("Check that no event was altered, removed or reordered"),
            QKeySequence("Ctrl+Shift+V"),
        )
        self.verify_button.clicked.connect(self.verify)
        self.refresh_button = _button(
            tr("&Refresh"), "refreshButton", tr("Refresh"), tr("Load the events again"),
            QKeySequence(QKeySequence.StandardKey.Refresh),
        )  # fmt: skip
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = _button(tr("Close"), "closeButton", tr("Close"), tr("Close the audit log (Esc)"))
        self.close_button.clicked.connect(self.reject)
        self._find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find.activated.connect(self.text_filter.setFocus)

        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.verify_result)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(900, 560)
        self.refresh()

    # -- loading -------------------------------------------------------------------------

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def events(self) -> list[AuditEvent]:
        """The loaded events, newest first."""
        return list(self._events)

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.refresh_button.setEnabled(False)
        self.error.clear()
        self._ctx.worker.op(self, _events_and_titles).success(self._loaded).failure(self._load_failed).run()

    def _loaded(self, loaded: tuple[list[AuditEvent], dict[str, str]]) -> None:
        events, self._titles = loaded
        self._loading = False
        self.refresh_button.setEnabled(True)
        self._events = list(events)
        self._fill_kinds(events)
        self._apply_filter()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if isinstance(exc, VaultScribeError):
            self.error.setText(str(exc))
        else:
            show_error(self, exc)

    def _fill_kinds(self, events: Sequence[AuditEvent]) -> None:
        chosen = self.kind_filter.currentData() or ""
        families = sorted({kind_family(e.kind) for e in events})
        self.kind_filter.blockSignals(True)
        try:
            self.kind_filter.clear()
            self.kind_filter.addItem(tr("All"), "")
            for family in families:
                self.kind_filter.addItem(family, family)
            index = self.kind_filter.findData(chosen)
            self.kind_filter.setCurrentIndex(max(index, 0))
        finally:
            self.kind_filter.blockSignals(False)

    # -- filtering -----------------------------------------------------------------------

    def set_kind_filter(self, family: str) -> None:
        """Show one kind family ("recording.", "unlock"); "" shows all."""
        index = self.kind_filter.findData(family)
        if index < 0:
            raise ValueError(f"no events of kind {family!r}")
        self.kind_filter.setCurrentIndex(index)

    def visible_events(self) -> list[AuditEvent]:
        family = str(self.kind_filter.currentData() or "")
        needle = self.text_filter.text().strip().lower()
        shown = []
        for event in self._events:
            if family and kind_family(event.kind) != family:
                continue
            if needle and needle not in self._haystack(event):
                continue
            shown.append(event)
        return shown

    def _haystack(self, event: AuditEvent) -> str:
        parts = (event.kind, event.outcome, event.object_id or "", self._object_text(event), details_text(event.detail))
        return " ".join(parts).lower()

    def _object_text(self, event: AuditEvent) -> str:
        """The recording's title while the vault knows it, else the id as recorded."""
        return self._titles.get(event.object_id or "", event.object_id or "")

    def _apply_filter(self, *_args: object) -> None:
        shown = self.visible_events()
        self.table.setUpdatesEnabled(False)
        try:
            self.table.setRowCount(0)
            self.table.setRowCount(len(shown))
            for row, event in enumerate(shown):
                self._fill_row(row, event)
        finally:
            self.table.setUpdatesEnabled(True)
        total = len(self._events)
        if len(shown) == total:
            text = tr("{n} events").format(n=total)
        else:
            text = tr("{shown} of {n} events").format(shown=len(shown), n=total)
        if total >= LIMIT:
            text += " " + tr("(only the newest {limit} are loaded)").format(limit=LIMIT)
        self.count_label.setText(text)

    def _fill_row(self, row: int, event: AuditEvent) -> None:
        seq = QTableWidgetItem(str(event.seq))
        seq.setData(Qt.ItemDataRole.UserRole, event.seq)
        seq.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cells = (
            seq,
            QTableWidgetItem(local_time(event.at_ms)),
            QTableWidgetItem(event_text(event)),
            QTableWidgetItem(event.outcome),
            QTableWidgetItem(self._object_text(event)),
            QTableWidgetItem(details_text(event.detail)),
        )
        tip = tr("By {user}; hash {hash}").format(user=event.os_user, hash=event.hash[:16])
        if not event.authenticated:
            tip += "\n" + tr(
                "Recorded before unlock, outside the vault: anyone who can write the vault folder could have "
                "written it."
            )
        for column, item in enumerate(cells):
            item.setToolTip(tip)
            self.table.setItem(row, column, item)
        if event.object_id and event.object_id in self._titles:
            cells[OBJECT].setToolTip(tr("Recording {id}").format(id=event.object_id) + "\n" + tip)

    def row_of_seq(self, seq: int) -> int | None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, SEQ)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == seq:
                return row
        return None

    # -- verification ----------------------------------------------------------------------

    def verify(self) -> None:
        if self._verifying:
            return
        self._verifying = True
        self.verify_button.setEnabled(False)
        self.verify_result.setStyleSheet(_INTACT_STYLE)
        self.verify_result.setText(tr("Checking the audit trail…"))
        self._ctx.worker.op(self, lambda s: s.audit.verify()).success(self._verified).failure(self._verify_failed).run()

    def _verified(self, report: VerifyReport) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        self.verify_result.setStyleSheet(_INTACT_STYLE if report.ok else _BROKEN_STYLE)
        self.verify_result.setText(verify_message(report))
        if not report.ok and report.first_bad_seq is not None:
            row = self.row_of_seq(report.first_bad_seq)
            if row is not None:
                self.table.selectRow(row)
                item = self.table.item(row, SEQ)
                if item is not None:
                    self.table.scrollToItem(item)

    def _verify_failed(self, exc: Exception) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        self.verify_result.clear()
        show_error(self, exc)

    # -- lock ------------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every event shown and every title (the vault locked)."""
        self._events = []
        self._titles = {}
        self.table.setRowCount(0)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self._fill_kinds([])
        self.count_label.clear()
        self.verify_result.clear()
        self.error.clear()
