"""Every user-visible string goes through ``tr``; English is the source language and ships built in.

``tr`` asks Qt's translators (``QCoreApplication.translate``) in one context, so
a ``.qm`` file for the user's locale in ``resources/i18n`` translates the whole
app. Keep the source string a literal: ``tr("Lock")``, with ``.format`` after
the call for values, so translators see whole sentences.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "VaultScribe"
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n)


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Load ``vaultscribe_<lang>.qm`` for the locale if one ships; English needs none."""
    translator = QTranslator(app)
    if translator.load(locale or QLocale(), "vaultscribe", "_", str(I18N_DIR)):
        app.installTranslator(translator)
        return translator
    return None
