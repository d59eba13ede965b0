"""The Linux install path, for real: build the PyInstaller bundle and the .deb from it
(packaging/build-linux.sh), install the .deb into an empty root with dpkg, and run the installed
copy: `vaultscribe --version`, a headless transcription with the trained test model under a real
Secret Service, and the desktop app up to its first window.

The bundle is built once per source change (a stamp in build/dist), which took 5.7 minutes on an
idle 2-core machine after issue 25 (26 before it, with the single-threaded packing); later runs only
pack and install it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

import core
from core.security.totp import TotpSecret
from models.training.synth import with_pauses, write_wav
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_MODEL_ID, heldout

ROOT = Path(__file__).resolve().parents[2]
TEST_MODEL = ROOT / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
PASS = "a passphrase long enough for policy"

pytestmark = [pytest.mark.real_keyring, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("deb")
    built = subprocess.run(
        [str(ROOT / "packaging" / "build-linux.sh"), str(out), "--fast"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    package = Path(built.stdout.splitlines()[-1])
    yield package
    # An uncompressed package is as large as the bundle (1.6 GB): the rest of the suite needs the disk more. A CI
    # run once died of a full disk while it still held one.
    package.unlink()


@pytest.fixture(scope="module")
def installed(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty root holding nothing but dpkg's database and the installed package."""
    root = tmp_path_factory.mktemp("root")
    admin = root / "var" / "lib" / "dpkg"
    for sub in ("info", "updates", "triggers"):
        (admin / sub).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    dpkg = ["dpkg", f"--root={root}", "--log=/dev/null", "--force-unsafe-io"]  # no fsync per file: a test root
    # An empty root has none of the libraries the package depends on; the host provides them.
    done = subprocess.run([*dpkg, "--force-depends", "-i", str(deb)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    yield root
    gone = subprocess.run([*dpkg, "--purge", "vaultscribe"], capture_output=True, text=True)
    assert gone.returncode == 0, gone.stderr
    leftovers = [p for top in (root / "opt", root / "usr") for p in top.rglob("*") if not p.is_dir()]
    assert leftovers == [], "removal leaves none of the package's files"


def test_the_package_declares_itself_and_holds_what_it_ships(deb: Path) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: vaultscribe" in fields
    assert f"Version: {core.__version__}" in fields
    assert "libportaudio2" in fields
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in (
        "./opt/vaultscribe/vaultscribe",
        "./opt/vaultscribe/vaultscribe-gui",
        "./usr/bin/vaultscribe -> /opt/vaultscribe/vaultscribe",
        "./usr/bin/vaultscribe-gui -> /opt/vaultscribe/vaultscribe-gui",
        "./usr/share/applications/vaultscribe.desktop",
        "./usr/share/icons/hicolor/scalable/apps/vaultscribe.svg",
        "./usr/share/doc/vaultscribe/policy.toml.example",
        "./usr/share/doc/vaultscribe/deploy.md",
    ):
        assert path in listing, path
    assert "root/root" in listing and " 0/0 " not in listing.replace("root/root", "")
    assert "./etc/" not in listing, "the policy is the administrator's file, never the package's"


def test_dpkg_records_the_install(installed: Path) -> None:
    status = subprocess.run(
        ["dpkg", f"--root={installed}", "-s", "vaultscribe"], capture_output=True, text=True, check=True
    ).stdout
    assert "Status: install ok installed" in status
    entry = (installed / "usr/share/applications/vaultscribe.desktop").read_text()
    assert "Exec=vaultscribe-gui" in entry and "Icon=vaultscribe" in entry
    assert os.readlink(installed / "usr/bin/vaultscribe-gui") == "/opt/vaultscribe/vaultscribe-gui"


def test_installed_version(installed: Path) -> None:
    done = subprocess.run([str(installed / "opt/vaultscribe/vaultscribe"), "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"vaultscribe {core.__version__}\n"), done.stderr


def _code(totp_uri: str, *, ahead_s: int = 0) -> str:
    """The code for now, or for the next step (`ahead_s`=30: accepted too, and not a replay of now's)."""
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(totp_uri).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return TotpSecret(key).code_at(int(time.time()) + ahead_s)


def test_installed_copy_transcribes_headless_with_the_test_model(
    installed: Path, secret_service: dict[str, str], tmp_path: Path
) -> None:
    env = {**os.environ, **secret_service, "VAULTSCRIBE_MODELS": str(tmp_path / "models")}
    exe = str(installed / "opt/vaultscribe/vaultscribe")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "--vault", str(tmp_path / "vault"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    assert run("models", "import", str(TEST_MODEL)).returncode == 0
    made = run("init", "--passphrase-stdin", "--json", stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    pairs = heldout(3, seed=31337)
    wav = write_wav(tmp_path / "dictation.wav", with_pauses([a for _, a in pairs], pause_s=0.7))
    code = _code(json.loads(made.stdout)["totp_uri"])
    done = run(
        "import", str(wav), "--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu",
        "--passphrase-stdin", "--totp", code, "--json", stdin=PASS + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (transcript,) = json.loads(done.stdout)["transcripts"]
    assert word_error_rate([" ".join(t for t, _ in pairs)], [transcript["text"]]) <= 0.25
    assert (transcript["model"], transcript["device"]) == (TEST_MODEL_ID, "cpu")

    # The rest of a desk's path through the trimmed, stripped bundle (issue 25): a second dictation
    # imported, transcribed, redacted and exported as DOCX and SRT in one unlock.
    (tmp_path / "in").mkdir()
    other = write_wav(tmp_path / "in" / "second.wav", with_pauses([a for _, a in heldout(2, seed=4242)], pause_s=0.7))
    out = tmp_path / "out"
    done = run(
        "batch", str(other.parent), "--model", TEST_MODEL_ID, "--device", "cpu", "--redact",
        "--export", "docx,srt", "--out", str(out), "--passphrase-stdin", "--json",
        "--totp", _code(json.loads(made.stdout)["totp_uri"], ahead_s=30), stdin=PASS + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (row,) = json.loads(done.stdout)["recordings"]
    assert row["status"] == "redacted" and len(row["exports"]) == 2, row
    assert (out / "second.srt").read_text("utf-8").startswith("1\n00:00:0")
    import docx  # the DOCX the bundle's python-docx wrote, read by the test's

    texts = [p.text for p in docx.Document(str(out / "second.docx")).paragraphs]
    assert texts[0] == "Transcript" and any(t.startswith("Redacted copy:") for t in texts)


def test_installed_desktop_app_reaches_its_first_window(
    installed: Path, secret_service: dict[str, str], tmp_path: Path
) -> None:
    env = {**os.environ, **secret_service, "QT_QPA_PLATFORM": "offscreen", "VAULTSCRIBE_STARTUP_PROBE": "1"}
    done = subprocess.run(
        [str(installed / "opt/vaultscribe/vaultscribe-gui"), "--vault", str(tmp_path / "vault")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "VAULTSCRIBE_PROBE shown:SetupDialog" in done.stdout  # a new vault: the set-up wizard was painted
