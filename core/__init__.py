"""VaultScribe core: every piece of logic, with no Qt and no GUI.

This package must never import PySide6 or ``app``; the GUI depends on it, never
the other way round. ``torch`` and ``nemo`` are imported lazily by the ASR
engine module alone.
"""

__version__ = "0.1.0"  # the one place; pyproject.toml reads it, `vaultscribe --version` prints it
