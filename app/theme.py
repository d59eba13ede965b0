"""Light, dark, or whatever the system uses: the Fusion style with a matching palette.

Fusion draws every control from the palette, so one light and one dark
palette make the whole app readable in both; views use palette roles (or
``palette(...)`` in style sheets) instead of fixed colours. With "system" the
theme follows the OS colour scheme, live, through Qt's style hints (Qt 6.5+).
High-DPI scaling is always on in Qt 6 and nothing here changes it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

CHOICES = ("system", "light", "dark")
_FOLLOWER = "vaultscribeThemeFollower"


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(128, 128, 128)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(40, 40, 43)),
        (QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64)),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150)),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 90, 90)),
        (QPalette.ColorRole.Light, QColor(70, 70, 74)),
        (QPalette.ColorRole.Midlight, QColor(58, 58, 62)),
        (QPalette.ColorRole.Mid, QColor(40, 40, 43)),
        (QPalette.ColorRole.Dark, QColor(25, 25, 27)),
        (QPalette.ColorRole.Shadow, QColor(0, 0, 0)),
        (QPalette.ColorRole.Highlight, QColor(53, 132, 228)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.Link, QColor(100, 170, 255)),
        (QPalette.ColorRole.LinkVisited, QColor(180, 140, 255)),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(80, 80, 80))
    return p


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


class _SystemFollower(QObject):
    """Re-applies the palette when the OS colour scheme changes, while the choice is "system"."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER)
        self._app = app
        self.active = False
        app.styleHints().colorSchemeChanged.connect(self._changed)

    def _changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.active:
            _set_palette(self._app, dark=system_is_dark(self._app))


def _set_palette(app: QApplication, *, dark: bool) -> None:
    app.setPalette(dark_palette() if dark else light_palette())


def apply_theme(app: QApplication, choice: str) -> None:
    """Apply "system", "light" or "dark" (anything else is taken as "system")."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    follower = app.findChild(_SystemFollower, _FOLLOWER)
    if follower is None:
        follower = _SystemFollower(app)
    follower.active = choice not in ("light", "dark")
    dark = choice == "dark" or (follower.active and system_is_dark(app))
    _set_palette(app, dark=dark)
