"""Errors in dialogs and the log: readable, and never the content an exception may quote."""

from __future__ import annotations

import logging

from app.errors import message_for
from core.errors import BadInput


def test_core_errors_are_shown_as_written() -> None:
    assert message_for(BadInput("That file is not audio.")) == "That file is not audio."


def test_unexpected_errors_show_and_log_no_message_and_no_traceback_text(qapp, caplog) -> None:
    def deep() -> None:
        raise RuntimeError("the patient Maria Gonzalez said")

    try:
        deep()
    except RuntimeError as exc:
        error = exc
    with caplog.at_level(logging.ERROR):
        shown = message_for(error)
    assert "RuntimeError" in shown and "Maria" not in shown and "Traceback" not in shown
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and "in deep" in logged
    assert "Maria" not in logged and not any(r.exc_info for r in caplog.records)
