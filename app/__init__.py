"""The VaultScribe desktop GUI (PySide6).

It drives the Qt-free core through one facade, ``core.session.Session``, and
never calls the session on the GUI thread: every call goes through the vault
worker in ``app.tasks``. Nothing here runs at import time.
"""
