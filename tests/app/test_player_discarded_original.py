"""The player and the transcript view on a recording whose original audio the policy had discarded after
redaction (keep_original_audio_after_redaction = false): a real vault, a fake output stream."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

from app.context import AppContext
from app.views.transcript import TranscriptView
from core.clock import FakeClock
from core.paths import VaultPaths
from core.policy import Policy
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from tests.app.helpers import find
from tests.app.test_player import FakeOutputs, add_transcribed, make_player


@pytest.fixture
def session(tmp_path, clock: FakeClock) -> Session:
    """The conftest's session, under a policy that discards the original audio after redaction."""
    return Session(
        VaultPaths(tmp_path / "vault"), keystore=MemoryKeystore(), clock=clock, kdf_params=TEST_PARAMS,
        os_user="tester", policy=Policy(keep_original_audio_after_redaction=False, source="test"),
    )  # fmt: skip


def test_the_player_opens_the_redacted_copy_and_disables_original(qtbot, ctx: AppContext, unlocked: Session):
    rid = add_transcribed(unlocked, "r1")
    unlocked.review.redact_audio(rid)  # before the worker runs anything
    assert unlocked.audio.audio_roles(rid) == ("redacted",)
    ctx.output_stream = outputs = FakeOutputs()
    widget = make_player(qtbot, ctx)
    widget.load(rid)  # asks for the original, as the transcript view does
    qtbot.waitUntil(lambda: widget.player is not None)
    assert widget.role == "redacted" and outputs.streams
    choice = find(widget, QComboBox, "audioChoice")
    assert choice.currentData() == "redacted"
    qtbot.waitUntil(lambda: widget.redacted_available)
    model = choice.model()
    assert isinstance(model, QStandardItemModel)
    assert not model.item(0).isEnabled() and not widget.original_available
    assert "discarded" in str(choice.itemData(0, Qt.ItemDataRole.ToolTipRole))
    widget.unload()
    assert widget.original_available  # the next recording may still have its original


def test_the_view_switches_to_the_redacted_copy_when_the_original_goes(qtbot, ctx: AppContext, unlocked: Session):
    rid = add_transcribed(unlocked, "r1")
    ctx.output_stream = FakeOutputs()
    view = TranscriptView(ctx)
    qtbot.addWidget(view)
    view.load(rid)
    # The transcript too: the player's answer may come first, and without one there is nothing to redact.
    qtbot.waitUntil(lambda: view.transcript is not None)
    qtbot.waitUntil(lambda: view.player.player is not None and view.player.role == "audio")
    first = view.player.player
    view.make_redacted_audio()
    qtbot.waitUntil(lambda: view.player.player is not None and view.player.player is not first, timeout=10_000)
    assert view.player.role == "redacted"
    qtbot.waitUntil(lambda: not view.player.original_available)
    assert "discarded" in view.info.text()
