"""The vaultscribe command line against a real SQLCipher vault and the real Secret Service."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import commands as cli
from core.asr.engine import Engine, EngineFactory
from core.clock import FakeClock
from core.errors import AuthFailed, PolicyInvalid
from core.policy import Policy
from core.progress import Progress
from core.redaction.types import DetectorFactory
from core.security.kdf import TEST_PARAMS
from core.security.totp import TotpSecret
from tests.core.fake_asr import FakeEngine
from tests.desk_spy import spy_on_desks
from tests.vault_access import vault_query

pytestmark = pytest.mark.real_keyring

PASS = "correct horse battery staple"


def secret_of(uri: str) -> TotpSecret:
    b32 = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    return TotpSecret(base64.b32decode(b32 + "=" * (-len(b32) % 8)))


class Cli:
    """Runs ``cli.main`` in-process with an injected clock: each call moves to a fresh TOTP step."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.clock = FakeClock()
        self.totp: TotpSecret | None = None
        self.engine_factory: EngineFactory | None = None
        self.model_importer: Callable[[Path], str] | None = None
        self.policy: Callable[[], Policy] | None = None  # None: this machine's (none in tests)
        self.detector_factory: DetectorFactory | None = None  # None: the core's fallback, the rules alone

    def code(self) -> str:
        assert self.totp is not None
        self.clock.advance(31)
        return self.totp.code_at(self.clock.now_ms() // 1000)

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, Any, str]:
        out = io.StringIO()
        err = io.StringIO()
        real_err, sys.stderr = sys.stderr, err
        try:
            rc = cli.main(
                ["--vault", str(self.vault), *args],
                stdin=io.StringIO(stdin),
                stdout=out,
                clock=self.clock,
                kdf_params=TEST_PARAMS,
                engine_factory=self.engine_factory,
                model_importer=self.model_importer,
                detector_factory=self.detector_factory,
                **({"policy": self.policy} if self.policy is not None else {}),
            )
        finally:
            sys.stderr = real_err
        text = out.getvalue()
        data = json.loads(text) if "--json" in args and text.strip() else text
        return rc, data, err.getvalue()


@pytest.fixture(autouse=True)
def _keep_pytests_core_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # main() lowers RLIMIT_CORE for good; in-process runs must not do that to pytest itself.
    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)


@pytest.fixture()
def vs(tmp_path: Path, secret_service: dict[str, str]) -> Cli:
    run = Cli(tmp_path / "vault")
    rc, data, _ = run("init", "--passphrase-stdin", "--json", stdin=PASS + "\n")
    assert rc == 0
    assert data["vault"] == str(run.vault)
    assert data["totp_uri"].startswith("otpauth://totp/")
    assert len(data["recovery_code"].split("-")) == 7
    run.totp = secret_of(data["totp_uri"])
    run.recovery = data["recovery_code"]  # type: ignore[attr-defined]
    return run


def test_status_unlocks_and_reports(vs: Cli) -> None:
    rc, data, _ = vs("status", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=PASS + "\n")
    assert rc == 0
    assert data["unlocked"] is True
    assert data["recordings"] == 0
    assert data["keystore"] == "keyring.backends.SecretService.Keyring"


def test_locked_status_needs_no_secret(vs: Cli) -> None:
    rc, data, _ = vs("status", "--json")
    assert rc == 0
    assert data["unlocked"] is False
    assert data["failed_attempts"] == 0


def test_wrong_passphrase_and_wrong_code_exit_3_with_the_same_line(vs: Cli) -> None:
    rc1, _, err1 = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin="not the passphrase\n")
    vs.clock.advance(10)
    rc2, _, err2 = vs("status", "--passphrase-stdin", "--totp", "000000", stdin=PASS + "\n")
    assert rc1 == rc2 == 3
    assert err1 == err2
    assert err1.count("\n") == 1 and err1.startswith("vaultscribe: ")


def test_backoff_is_reported_and_survives_restarts(vs: Cli) -> None:
    rc, _, _ = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin="wrong wrong wrong\n")
    assert rc == 3
    # immediately again: refused without trying, with the wait in the message
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", "123456", stdin=PASS + "\n")
    assert rc == 3
    assert "try again in" in err
    rc, data, _ = vs("status", "--json")
    assert data["failed_attempts"] == 1


def test_usage_errors_exit_2(vs: Cli) -> None:
    rc, _, err = vs("status", "--totp", "123456")
    assert rc == 2
    assert "--passphrase-stdin" in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"vaultscribe {version('vaultscribe')}\n"


def test_passwd_rotate_audit_and_recover(vs: Cli, tmp_path: Path) -> None:
    new = "a different long passphrase"
    rc, data, _ = vs("passwd", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=f"{PASS}\n{new}\n")
    assert (rc, data) == (0, {"changed": True})
    rc, _, _ = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 3
    vs.clock.advance(5)
    rc, data, _ = vs("rotate-key", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=new + "\n")
    assert (rc, data) == (0, {"rotated": True})

    rc, data, _ = vs("audit", "verify", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=new + "\n")
    assert rc == 0 and data["ok"] is True and data["events"] > 5

    out = tmp_path / "audit.jsonl"
    rc, data, _ = vs(
        "audit", "export", "--passphrase-stdin", "--totp", vs.code(), "--output", str(out), "--json", stdin=new + "\n"
    )
    assert rc == 0 and data["exported"] > 5
    events = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = [e["kind"] for e in events]
    assert "vault.create" in kinds and "datakey.rotate" in kinds and "passphrase.change" in kinds
    # the failed attempt before unlock was chained in, with its opaque reason (the log is readable before unlock)
    assert any(e["kind"] == "preauth.unlock" and e["detail"]["reason"] == "credentials_rejected" for e in events)
    assert all(new not in line and PASS not in line for line in out.read_text().splitlines())

    third = "third passphrase after recovery"
    rc, data, _ = vs("recover", "--recovery-stdin", "--json", stdin=f"{vs.recovery}\n{third}\n")  # type: ignore[attr-defined]
    assert rc == 0 and data["recovery_code"] != vs.recovery  # type: ignore[attr-defined]
    vs.totp = secret_of(data["totp_uri"])
    rc, data, _ = vs("status", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=third + "\n")
    assert rc == 0 and data["unlocked"] is True


def test_missing_vault_is_bad_input(tmp_path: Path, secret_service: dict[str, str]) -> None:
    rc, _, err = Cli(tmp_path / "nothing")("status")
    assert rc == 4
    assert "No vault" in err


def test_real_entry_point_as_a_process(tmp_path: Path, secret_service: dict[str, str]) -> None:
    """The installed console script with production Argon2 parameters and the real clock."""
    exe = str(Path(sys.executable).with_name("vaultscribe"))
    vault = str(tmp_path / "v")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], input=PASS + "\n", capture_output=True, text=True, check=False, timeout=60)

    done = run("--vault", vault, "init", "--passphrase-stdin", "--json")
    assert done.returncode == 0, done.stderr
    code = secret_of(json.loads(done.stdout)["totp_uri"]).code_at(int(time.time()))
    done = run("status", "--vault", vault, "--passphrase-stdin", "--totp", code, "--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert (status["unlocked"], status["recordings"]) == (True, 0)
    # the same code again is a replay: refused, exit 3, one line on stderr
    done = run("status", "--vault", vault, "--passphrase-stdin", "--totp", code)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1


def _database(vault: Path) -> Path:
    (db,) = vault.glob("vault-*.db")
    return db


def test_a_zero_length_database_is_refused_naming_it_and_nothing_is_created(vs: Cli) -> None:
    db = _database(vs.vault)
    db.write_bytes(b"")
    for extra in vs.vault.glob(db.name + "-*"):
        extra.unlink()
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 1  # a damaged vault, not an authentication failure
    assert err.count("\n") == 1 and str(db) in err and "is empty (0 bytes)" in err and "backup" in err
    assert db.read_bytes() == b"" and sorted(p.name for p in vs.vault.glob("vault-*")) == [db.name]
    rc, data, _ = vs("status", "--json")
    assert data["failed_attempts"] == 0  # it did not count towards the lockout
    # and again: still refused, never "fixed" into an empty vault that no code can open
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 1 and "is empty" in err


def test_a_missing_database_is_refused_naming_it(vs: Cli) -> None:
    db = _database(vs.vault)
    for extra in [db, *vs.vault.glob(db.name + "-*")]:
        extra.unlink()
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 1 and str(db) in err and "is missing" in err and "backup" in err
    assert not db.exists()


def test_the_installed_command_refuses_a_zero_length_database(tmp_path: Path, secret_service: dict[str, str]) -> None:
    exe = str(Path(sys.executable).with_name("vaultscribe"))
    vault = tmp_path / "v"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], input=PASS + "\n", capture_output=True, text=True, check=False, timeout=60)

    done = run("--vault", str(vault), "init", "--passphrase-stdin", "--json")
    assert done.returncode == 0, done.stderr
    db = _database(vault)
    db.write_bytes(b"")
    code = secret_of(json.loads(done.stdout)["totp_uri"]).code_at(int(time.time()))
    done = run("status", "--vault", str(vault), "--passphrase-stdin", "--totp", code)
    assert done.returncode == 1
    assert done.stderr == (
        f"vaultscribe: The vault database {db} is empty (0 bytes). Nothing was created in its place: restore the "
        "vault from a backup (vaultscribe restore FILE into a new folder), or put the file back.\n"
    )
    assert db.read_bytes() == b""


def test_check_reads_the_whole_vault_and_names_a_damaged_one(vs: Cli) -> None:
    rc, data, _ = vs("check", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=PASS + "\n")
    assert (rc, data) == (0, {"ok": True})
    from core.paths import VaultPaths
    from core.security.keystore import KeyringKeystore
    from core.session import Session

    session = Session(VaultPaths(vs.vault), keystore=KeyringKeystore(), clock=vs.clock, kdf_params=TEST_PARAMS)
    session.unlock(PASS, vs.code())
    # unlock never reads it
    ((page,),) = vault_query(session, "SELECT rootpage FROM sqlite_master WHERE name = 'redactions'")
    session.lock()
    db = _database(vs.vault)
    raw = bytearray(db.read_bytes())
    raw[(page - 1) * 4096 + 1000] ^= 0x01
    db.write_bytes(bytes(raw))
    rc, _, err = vs("check", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 1 and db.name in err and "from a backup" in err


def test_import_list_export_delete(vs: Cli, tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    good = encode(tmp_path / "interview.flac", "flac", "flac", 44_100, seconds=2.0)
    bad = tmp_path / "notes.mp3"
    bad.write_text("not audio")
    auth = ["--passphrase-stdin", "--json"]
    rc, data, _ = vs("import", str(good), str(bad), *auth, "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 4  # one file failed; the other was still imported
    (rec,) = data["recordings"]
    assert rec["file"] == str(good) and abs(rec["duration_s"] - 2.0) < 0.05 and len(rec["sha256"]) == 64
    assert data["errors"] == [
        {"file": str(bad), "error": "notes.mp3: not an audio or video file VaultScribe can read."}
    ]

    rc, data, _ = vs("recordings", *auth, "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0 and [r["id"] for r in data["recordings"]] == [rec["id"]]

    out = tmp_path / "copy.flac"
    rc, data, _ = vs("export-audio", rec["id"], "--out", str(out), *auth, "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0 and out.read_bytes() == good.read_bytes()

    rc, data, _ = vs("delete", rec["id"], *auth, "--totp", vs.code(), stdin=PASS + "\n")
    assert (rc, data) == (0, {"deleted": rec["id"]})
    rc, data, _ = vs("recordings", *auth, "--totp", vs.code(), stdin=PASS + "\n")
    assert data["recordings"] == []
    rc, _, err = vs("delete", rec["id"], "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 4 and "no recording" in err


# -- transcription, with a fake engine ----------------------------------------------------


class FakeFactory:
    """Stands in for the model loader: records what it was asked for, reports progress, returns a FakeEngine."""

    def __init__(self, engine: FakeEngine | None = None) -> None:
        self.engine = engine or FakeEngine()
        self.calls: list[tuple[str | None, str]] = []

    def __call__(self, model: str | None, device: str, progress: Progress) -> Engine:
        self.calls.append((model, device))
        progress(0.5)
        progress(1.0)
        return self.engine


def imported_ids(vs: Cli, *files: Path, extra: tuple[str, ...] = ()) -> tuple[int, Any, str]:
    return vs(
        "import", *map(str, files), *extra, "--passphrase-stdin", "--json", "--totp", vs.code(), stdin=PASS + "\n"
    )


def test_transcribe_prints_one_object_per_recording(vs: Cli, tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    vs.engine_factory = factory = FakeFactory()
    _, data, _ = imported_ids(vs, encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=2.0))
    (rid,) = [r["id"] for r in data["recordings"]]
    auth = ["--passphrase-stdin", "--json"]

    rc, data, err = vs("transcribe", rid, "nope", "--device", "cpu", *auth, "--totp", vs.code(), stdin=PASS + "\n")

    assert rc == 4  # the unknown id; the other was still transcribed
    assert factory.calls == [(None, "cpu")]
    ok, missing = data
    assert set(ok) == {"id", "text", "words", "model", "device"}
    assert (ok["id"], ok["model"], ok["device"]) == (rid, "fake/asr-1", "cpu")
    assert ok["text"].startswith("w0 w1")
    assert ok["words"][:2] == [
        {"word": "w0", "start_s": 0.1, "end_s": 0.6},
        {"word": "w1", "start_s": 1.1, "end_s": 1.6},
    ]
    assert missing == {"id": "nope", "error": "There is no recording nope."}
    assert err.splitlines() == [  # and nothing about content
        "vaultscribe: loading the speech model…",
        "vaultscribe: transcribing on fake CPU: a test",
    ]

    rc, text, _ = vs("transcribe", rid, "--model", "x/y", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0 and factory.calls[-1] == ("x/y", "auto")
    assert text.splitlines() == [f"{rid} (fake/asr-1, cpu):", ok["text"]]


def test_transcribe_loads_no_model_when_nothing_can_be_transcribed(vs: Cli) -> None:
    vs.engine_factory = factory = FakeFactory()
    rc, data, err = vs("transcribe", "nope", "--passphrase-stdin", "--json", "--totp", vs.code(), stdin=PASS + "\n")
    assert (rc, data, err) == (4, [{"id": "nope", "error": "There is no recording nope."}], "")
    assert factory.calls == []


def test_import_then_transcribe_under_one_unlock(vs: Cli, tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    vs.engine_factory = FakeFactory(FakeEngine(fail_at=1))  # the 2 s file fails; the 1 s file does not
    files = [encode(tmp_path / f"{n}.flac", "flac", "flac", 44_100, seconds=s) for n, s in (("one", 0.9), ("two", 2.0))]

    rc, data, _ = imported_ids(vs, *files, extra=("--transcribe", "--model", "m.nemo"))

    assert rc == 1  # a transcription failed: the engine's error class, never its text
    ids = [r["id"] for r in data["recordings"]]
    assert [t["id"] for t in data["transcripts"]] == ids
    assert data["transcripts"][0]["text"] == "w0"
    assert data["transcripts"][1] == {"id": ids[1], "error": "RuntimeError: the transcription stopped with an error."}
    rc, data, _ = vs("recordings", "--passphrase-stdin", "--json", "--totp", vs.code(), stdin=PASS + "\n")
    assert sorted(r["status"] for r in data["recordings"]) == ["imported", "transcribed"]


def test_a_model_that_cannot_load_still_reports_the_import(vs: Cli, tmp_path: Path) -> None:
    from core.errors import ModelNotFound
    from tests.core.audio_fixtures import encode

    def missing(model: str | None, device: str, progress: Progress) -> Engine:
        raise ModelNotFound("The model m is not installed.")

    vs.engine_factory = missing
    rc, data, _ = imported_ids(
        vs, encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=1.0), extra=("--transcribe",)
    )
    assert rc == 4
    assert data["transcripts"] == [{"id": data["recordings"][0]["id"], "error": "The model m is not installed."}]


def test_transcribe_with_a_wrong_code_is_the_opaque_auth_failure(vs: Cli) -> None:
    vs.engine_factory = factory = FakeFactory()
    rc, data, err = vs("transcribe", "any", "--passphrase-stdin", "--json", "--totp", "000000", stdin=PASS + "\n")
    assert (rc, data) == (3, "")
    assert err == f"vaultscribe: {AuthFailed()}\n"
    assert factory.calls == []


def test_policy_refuses_an_unredacted_export_with_exit_3(vs: Cli, tmp_path: Path) -> None:
    vs.policy = lambda: Policy(allow_unredacted_export=False)
    out = tmp_path / "x.txt"
    rc, _, err = vs(
        "export", "0" * 32, "--passphrase-stdin", "--totp", vs.code(), "--format", "txt", "--out", str(out),
        "--unredacted", stdin=PASS + "\n",
    )  # fmt: skip
    assert rc == 3 and "does not allow unredacted" in err and not out.exists()


def test_an_invalid_policy_stops_every_command(vs: Cli) -> None:
    def broken() -> Policy:
        raise PolicyInvalid("The administrator's policy /etc/vaultscribe/policy.toml is not valid: x.")

    vs.policy = broken
    rc, _, err = vs("status", "--json")
    assert rc == 1 and "/etc/vaultscribe/policy.toml" in err


def test_batch_imports_transcribes_redacts_and_exports_once(vs: Cli, tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    encode(folder / "a.flac", "flac", "flac", 44_100, seconds=2.0)
    encode(folder / "sub" / "b.wav", "wav", "pcm_s16le", 16_000, seconds=1.0)
    (folder / "notes.txt").write_text("not audio, and not picked up from a folder")
    vs.engine_factory = FakeFactory()
    out = tmp_path / "out"
    args = ["batch", str(folder), "--redact", "--export", "srt,json", "--out", str(out), "--passphrase-stdin", "--json"]

    rc, data, err = vs(*args, "--totp", vs.code(), stdin=PASS + "\n")

    assert rc == 0, err
    rows = data["recordings"]
    assert [Path(r["file"]).name for r in rows] == ["a.flac", "b.wav"]
    assert all(r["status"] == "redacted" and len(r["exports"]) == 2 for r in rows)
    assert (out / "a.srt").read_text().startswith("1\n00:00:00") and (out / "b.json").exists()
    assert "[1/2] importing a.flac" in err and "w0" not in err  # progress, never content

    rc, data, err = vs(*args, "--totp", vs.code(), stdin=PASS + "\n")  # again: nothing new
    assert rc == 0 and [r["status"] for r in data["recordings"]] == ["skipped", "skipped"]
    assert "already in the vault" in err


def test_batch_export_needs_out_and_known_formats(vs: Cli) -> None:
    auth = ["--passphrase-stdin", "--totp", vs.code()]
    rc, _, err = vs("batch", ".", "--export", "pdf", "--out", "x", *auth, stdin=PASS + "\n")
    assert rc == 2 and "--export takes" in err


# -- custom vocabulary ------------------------------------------------------------------------------


def test_vocab_add_list_remove_with_readable_errors(vs: Cli) -> None:
    def run(*args: str, stdin: str = PASS + "\n") -> tuple[int, Any, str]:
        return vs("vocab", *args, "--passphrase-stdin", "--totp", vs.code(), stdin=stdin)

    vs.policy = lambda: Policy(vocabulary=("Metformin",), vocabulary_boost_weight=2.5)
    rc, data, _ = run("add", "Dr. Okonkwo", "--json")
    assert (rc, data["added"], data["total"], data["recording"]) == (0, 1, 1, None)
    rc, text, _ = run("add", "dr. okonkwo")
    assert rc == 0 and text == "Added 0 phrases to your vocabulary; 1 already there (ignoring case). It now holds 1.\n"
    rc, text, _ = run("add", "Amara Okafor", "--redact")
    assert rc == 0 and text.startswith("Added 1 phrase to your vocabulary.")

    rc, text, _ = run("list")
    assert text.splitlines() == ["Dr. Okonkwo", "Amara Okafor  [always redact]", "Metformin  (policy, read-only)"]
    rc, data, _ = run("list", "--json")
    assert data == {
        "list": "personal",
        "recording": None,
        "boost_weight": 2.5,
        "entries": [
            {"phrase": "Dr. Okonkwo", "redact": False, "source": "personal"},
            {"phrase": "Amara Okafor", "redact": True, "source": "personal"},
            {"phrase": "Metformin", "redact": False, "source": "policy"},
        ],
    }

    rc, _, err = run("add", "   ")
    assert (rc, err) == (4, "vaultscribe: A vocabulary phrase cannot be empty.\n")
    rc, _, err = run("add", "x" * 101)
    assert rc == 4 and "at most 100 characters" in err
    rc, _, err = run("remove", "metformin")
    assert rc == 3 and "only IT can remove it" in err
    rc, _, err = run("remove", "Nobody")
    assert (rc, err) == (4, "vaultscribe: 'Nobody' is not in your vocabulary (nothing was removed).\n")
    rc, _, err = run("add", "X", "--recording", "nope")
    assert (rc, err) == (4, "vaultscribe: There is no recording nope.\n")
    with pytest.raises(SystemExit) as exited:  # a phrase of several words is quoted, not guessed at
        run("add", "Dr", "Okonkwo")
    assert exited.value.code == 2

    rc, text, _ = run("redact", "DR. OKONKWO")
    assert (rc, text) == (0, "'DR. OKONKWO' is now always redacted.\n")
    rc, text, _ = run("remove", "amara okafor")
    assert (rc, text) == (0, "Removed 'Amara Okafor' from your vocabulary.\n")
    rc, data, _ = run("list", "--json")
    assert [(e["phrase"], e["redact"]) for e in data["entries"]] == [("Dr. Okonkwo", True), ("Metformin", False)]


def test_vocab_import_reports_and_reads_stdin(vs: Cli, tmp_path: Path) -> None:
    def run(*args: str, stdin: str = PASS + "\n") -> tuple[int, Any, str]:
        return vs("vocab", *args, "--passphrase-stdin", "--totp", vs.code(), stdin=stdin)

    names = tmp_path / "participants.txt"
    names.write_text("# interview 12\nAmara Okafor\n\nJosé Núñez\namara okafor\n" + "y" * 150 + "\n", "utf-8")
    rc, text, _ = run("import", str(names))
    assert rc == 0
    assert text == (
        "Added 2 phrases to your vocabulary; 1 already there (ignoring case); 2 comment or blank lines skipped; "
        "1 line not valid (line 6). It now holds 2.\n"
    )
    rc, data, _ = run("import", "-", "--redact", "--json", stdin=PASS + "\nSecret Source\n# c\nJosé Núñez\n")
    assert rc == 0 and (data["added"], data["merged"], data["skipped"], data["total"]) == (1, 1, 1, 3)
    rc, data, _ = run("list", "--json")
    assert [(e["phrase"], e["redact"]) for e in data["entries"]] == [
        ("Amara Okafor", False), ("José Núñez", True), ("Secret Source", True)
    ]  # fmt: skip

    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    rc, _, err = run("import", str(binary))
    assert (rc, err) == (4, "vaultscribe: photo.jpg is not a text file (it holds binary data): use a UTF-8 text "
                            "file, one phrase per line.\n")  # fmt: skip
    big = tmp_path / "big.txt"
    big.write_bytes(b"word\n" * 300_000)
    rc, _, err = run("import", str(big))
    assert rc == 4 and "too large for a phrase list" in err
    rc, _, err = run("import", str(tmp_path / "missing.txt"))
    assert rc == 4 and "Could not read" in err


def test_a_recordings_vocabulary_reaches_the_engine_and_its_redaction(vs: Cli, tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    engine = FakeEngine()
    vs.engine_factory = FakeFactory(engine)
    _, data, _ = imported_ids(vs, encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=2.0))
    (rid,) = [r["id"] for r in data["recordings"]]
    auth = ["--passphrase-stdin", "--json"]

    def run(*args: str) -> tuple[int, Any, str]:
        return vs(*args, *auth, "--totp", vs.code(), stdin=PASS + "\n")

    assert run("vocab", "add", "Nguyen")[0] == 0
    assert run("vocab", "add", "w1", "--recording", rid, "--redact")[0] == 0
    rc, data, _ = run("vocab", "list", "--recording", rid)
    assert (rc, data["list"], data["entries"]) == (0, "recording", [{"phrase": "w1", "redact": True,
                                                                      "source": "recording"}])  # fmt: skip
    rc, _, _ = run("transcribe", rid)
    assert rc == 0 and engine.seen[-1].phrases == ("Nguyen", "w1")
    assert engine.seen[-1].boost_weight is None

    rc, data, _ = run("redact", rid, "--entities", "NAME", "--show-text")
    assert rc == 0
    assert [(e["type"], e["text"]) for e in data[0]["entities"]] == [("NAME", "w1")]


# -- each command is one call into the core (issue 24) ---------------------------------------------------


@pytest.fixture
def core_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The desk calls each command makes under its unlock (``cli._unlocked``), through ``cli.main``."""
    calls: list[str] = []
    real = cli._unlocked

    @contextlib.contextmanager
    def spied(args: Any, stdin: Any) -> Iterator[tuple[Any, str]]:
        with real(args, stdin) as (session, passphrase):
            body = spy_on_desks(session)
            try:
                yield session, passphrase
            finally:
                calls.extend(body)  # not the lock's own clean-up, which follows

    monkeypatch.setattr(cli, "_unlocked", spied)
    return calls


def test_import_and_transcribe_commands_each_make_one_call_into_the_core(
    vs: Cli, tmp_path: Path, core_calls: list[str]
) -> None:
    from tests.core.audio_fixtures import encode

    vs.engine_factory = factory = FakeFactory()
    a, b = (encode(tmp_path / f"{n}.flac", "flac", "flac", 44_100, seconds=1.0) for n in "ab")

    rc, data, _ = imported_ids(vs, a, extra=("--transcribe",))
    assert rc == 0 and core_calls == ["jobs.import_and_transcribe_all"]
    assert data["transcripts"][0]["text"] == "w0" and len(factory.calls) == 1
    core_calls.clear()

    rc, data, _ = imported_ids(vs, b)
    assert rc == 0 and core_calls == ["recordings.import_all"] and "transcripts" not in data
    core_calls.clear()

    rid = data["recordings"][0]["id"]
    rc, _, _ = vs("transcribe", rid, "--passphrase-stdin", "--json", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0 and core_calls == ["jobs.transcribe_all"]
    core_calls.clear()

    c = encode(tmp_path / "c.flac", "flac", "flac", 44_100, seconds=2.0)  # not the same bytes as a
    batch = ["batch", str(a), str(c), "--redact", "--export", "txt", "--out", str(tmp_path / "out")]
    rc, data, _ = vs(*batch, "--passphrase-stdin", "--json", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0 and core_calls == ["batch.run"]
    assert [r["status"] for r in data["recordings"]] == ["skipped", "redacted"]
