"""A new passphrase, typed twice, with a rough strength meter.

The meter is a hint for the user, not a policy: the only rule enforced is the
minimum length from the config, which the core checks again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

from app.i18n import tr

_COLOURS = ("#c0392b", "#d35400", "#d4ac0d", "#7cb342", "#2e7d32")


def strength_label(score: int) -> str:
    """The translated name of a strength score (0 to 4)."""
    return (tr("too short"), tr("weak"), tr("fair"), tr("good"), tr("strong"))[score]


def strength(passphrase: str, *, min_length: int) -> int:
    """0 when too short, else 1 (weak) to 4 (strong), from length and the kinds of characters."""
    if len(passphrase) < min_length:
        return 0
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda ch: not ch.isalnum())
    )
    return 1 + (len(passphrase) >= min_length + 4) + (len(passphrase) >= 2 * min_length) + (kinds >= 3)


class NewPassphrase(QWidget):
    def __init__(
        self, *, min_length: int, on_changed: Callable[[], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._min_length = min_length
        self._on_changed: Callable[[], None] | None = None
        self.first = QLineEdit()
        self.first.setObjectName("newPassphrase")
        self.first.setPlaceholderText(tr("At least {n} characters").format(n=min_length))
        self.first.setAccessibleName(tr("New passphrase"))
        self.second = QLineEdit()
        self.second.setObjectName("confirmPassphrase")
        self.second.setAccessibleName(tr("Repeat the new passphrase"))
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._update)
        self.meter = QProgressBar()
        self.meter.setObjectName("strengthBar")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.meter.setAccessibleName(tr("Passphrase strength"))
        self.hint = QLabel()
        self.hint.setObjectName("strengthLabel")
        self.hint.setWordWrap(True)

        self.form = QFormLayout(self)  # open to callers that add rows aligned with these
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(tr("New passphrase"), self.first)
        self.form.addRow(tr("Repeat it"), self.second)
        self.form.addRow("", self.meter)
        self.form.addRow("", self.hint)
        self._update()
        self._on_changed = on_changed  # only for changes the user makes

    def passphrase(self) -> str:
        return self.first.text()

    def is_acceptable(self) -> bool:
        return len(self.first.text()) >= self._min_length and self.first.text() == self.second.text()

    def _update(self) -> None:
        text = self.first.text()
        score = strength(text, min_length=self._min_length)
        self.meter.setValue(score if text else 0)
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {_COLOURS[score]}; }}")
        if not text:
            hint = tr("At least {n} characters. A few unrelated words work well.").format(n=self._min_length)
        elif score == 0:
            hint = tr("Too short: {count} of at least {n} characters.").format(count=len(text), n=self._min_length)
        elif self.second.text() and self.second.text() != text:
            hint = tr("Strength: {label}. The two passphrases differ.").format(label=strength_label(score))
        else:
            hint = tr("Strength: {label}.").format(label=strength_label(score))
        self.meter.setAccessibleDescription(strength_label(score) if text else "")
        self.hint.setText(hint)
        if self._on_changed is not None:
            self._on_changed()
