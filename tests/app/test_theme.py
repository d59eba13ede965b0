from __future__ import annotations

from PySide6.QtGui import QPalette

from app.theme import apply_theme


def _window_lightness(qapp) -> int:
    return qapp.palette().color(QPalette.ColorRole.Window).lightness()


def test_light_then_dark_changes_the_window_colour(qapp):
    saved_palette, saved_style = qapp.palette(), qapp.style().name()
    try:
        apply_theme(qapp, "light")
        assert qapp.style().name().lower() == "fusion"
        light = _window_lightness(qapp)
        apply_theme(qapp, "dark")
        dark = _window_lightness(qapp)
        assert light > 128 > dark
        text = qapp.palette().color(QPalette.ColorRole.WindowText).lightness()
        assert text > 128  # light text on the dark window
        apply_theme(qapp, "system")  # follows the OS (offscreen: no preference, so light or dark, never broken)
        assert _window_lightness(qapp) in (light, dark)
    finally:
        apply_theme(qapp, "light")  # stop following the system before restoring the palette
        qapp.setStyle(saved_style)
        qapp.setPalette(saved_palette)
