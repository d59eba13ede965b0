"""Titles and file names reach the terminal inert: ESC/OSC sequences, C0/C1 controls and bidi overrides are
printed as visible escapes, while the stored title keeps every character (issue 21, §8)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import commands as cli
from core.clock import FakeClock
from core.security.kdf import TEST_PARAMS
from core.terminal import printable
from tests.core.audio_fixtures import encode
from tests.core.test_cli import PASS, secret_of

pytestmark = pytest.mark.real_keyring

# Retitles the window (OSC 0), clears the screen (CSI), rings the bell (C1 CSI too) and reverses the text
# after it so that "gnp.exe" shows as "exe.png".
HOSTILE = "report\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\u2066x\u2069\x7f"
CONTROLS = ("\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\u2069")


def test_printable_escapes_controls_and_bidi_and_keeps_text_lines_and_tabs() -> None:
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("Zoë – 日本") == "Zoë – 日本"
    shown = printable(HOSTILE)
    assert not any(c in shown for c in CONTROLS) and "\r" not in printable("a\rb") and printable("\x00") == "\\x00"
    assert shown == "report\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\u2066x\\u2069\\x7f"


def test_import_and_recordings_print_hostile_names_inert_and_store_them_intact(
    tmp_path: Path, secret_service: dict[str, str]
) -> None:
    source = encode(tmp_path / "plain.flac", "flac", "flac", 16_000, seconds=1.0)
    hostile = source.rename(tmp_path / f"{HOSTILE}.flac")
    exe = str(Path(sys.executable).with_name("vaultscribe"))
    vault = tmp_path / "v"

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:  # bytes: nothing decoded or cleaned on the way
        return subprocess.run(
            [exe, "--vault", str(vault), *args], input=(PASS + "\n").encode(), capture_output=True, timeout=90
        )

    done = run("init", "--passphrase-stdin", "--json")
    assert done.returncode == 0, done.stderr
    totp = secret_of(json.loads(done.stdout)["totp_uri"])
    done = run("import", str(hostile), "--passphrase-stdin", "--totp", totp.code_at(int(time.time())))
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert out.startswith("imported ") and "report\\x1b]0;pwned\\x07" in out and "\\u202egnp.exe" in out
    assert not any(c in out for c in CONTROLS)

    # The same command line in this process, on a clock set past the installed command's code.
    clock = FakeClock(now_ms=int(time.time() * 1000) + 31_000)

    def listed(*extra: str) -> str:
        stdout = io.StringIO()
        code = totp.code_at(clock.now_ms() // 1000)
        rc = cli.main(
            ["--vault", str(vault), "recordings", "--passphrase-stdin", "--totp", code, *extra],
            stdin=io.StringIO(PASS + "\n"),
            stdout=stdout,
            clock=clock,
            kdf_params=TEST_PARAMS,
        )
        assert rc == 0
        clock.advance(31)
        return stdout.getvalue()

    text = listed()
    assert not any(c in text for c in CONTROLS) and "\\u202egnp.exe" in text
    (row,) = json.loads(listed("--json"))["recordings"]
    assert row["title"] == HOSTILE  # stored exactly as it came
    assert row["source_name"] == hostile.name


@pytest.fixture(autouse=True)
def _keep_pytests_core_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)
