"""No network, no plaintext residue: the whole flow through the installed `vaultscribe` program.

`init`, then `batch --redact --export`: import → transcribe with the trained test model (in the
model's own child process) → detect PII → export. Every Python process of the run (the command
and the model child) carries an audit hook, installed by a ``sitecustomize`` on PYTHONPATH, that
logs any socket connect/send to a non-Unix address and any name lookup. The log must hold none.

The same flow then runs with no network at all (`unshare -n`: a namespace without even a working
loopback) and must give the same transcript, the same redactions and the same export.

After each run, every file written under the vault, the temp dir, and the throwaway HOME's cache,
config and data dirs is scanned for the input file's bytes, its decoded PCM and the transcript's
words. A run killed with SIGKILL mid-transcription, a transcription cancelled with Ctrl-C, and the import
of a corrupt file, are scanned the same way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.nemo.runtime import OFFLINE_ENV
from core.security.totp import TotpSecret
from models.training.synth import with_pauses, write_wav
from tests.asr.conftest import TEST_MODEL_ID, heldout
from tests.signals import default_dispositions

pytestmark = pytest.mark.real_keyring

PASS = "a long and private passphrase"
VAULTSCRIBE = Path(sys.executable).with_name("vaultscribe")
REPO = Path(__file__).resolve().parents[2]

SITECUSTOMIZE = """
import json, os, socket, sys
_KEYS = {keys!r}
_seen = set()
# Opened now: the model's child is sandboxed before it imports NeMo, and may open no file of ours then.
_LOG = open(os.environ["VAULTSCRIBE_NET_LOG"], "a", encoding="utf-8", buffering=1)


def _write(line):
    _LOG.write(f"{{os.getpid()}} {{line}}\\n")


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        if args[0].family != socket.AF_UNIX:
            _write(f"NETWORK {{event}} {{args[0].family!r}} {{args[1]!r}}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        _write(f"NETWORK {{event}} {{args[0]!r}}")
    elif event == "import" and args[0] == "nemo" and "nemo" not in _seen:
        _seen.add("nemo")
        _write("nemo-env " + json.dumps({{k: os.environ.get(k) for k in _KEYS}}))


_write("hooked " + " ".join(sys.argv[:2]))
sys.addaudithook(_hook)
"""


def no_network_prefix() -> list[str]:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    for prefix in (["unshare", "-n", "--"], ["unshare", "-rn", "--"]):
        if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0:
            return prefix
    pytest.skip("this machine allows no network namespace (neither unshare -n nor unshare -rn)")


class Flow:
    def __init__(self, base: Path, models_dir: Path, prefix: list[str]) -> None:
        self.base, self.prefix = base, prefix
        self.vault, self.tmp, self.out = base / "vault", base / "tmp", base / "out"
        self.tmp.mkdir(parents=True)
        site = base / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITECUSTOMIZE.format(keys=sorted(OFFLINE_ENV)))
        self.log = base / "net.log"
        self.env = {
            **os.environ,
            # the hook, then the code under test (the entry point's own install may be another checkout's)
            "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]),
            "VAULTSCRIBE_NET_LOG": str(self.log),
            "TMPDIR": str(self.tmp),
            "VAULTSCRIBE_MODELS": str(models_dir),
            "QT_QPA_PLATFORM": "offscreen",
        }
        self.totp: TotpSecret | None = None

    def run(self, *args: str, stdin: str = "", **kwargs: Any) -> subprocess.CompletedProcess[str]:
        argv = [*self.prefix, str(VAULTSCRIBE), "--vault", str(self.vault), *args]
        return subprocess.run(
            argv, input=stdin, capture_output=True, text=True, env=self.env, check=False, timeout=600, **kwargs
        )

    def init(self) -> None:
        done = self.run("init", "--passphrase-stdin", "--json", stdin=PASS + "\n")
        assert done.returncode == 0, done.stderr
        query = urllib.parse.urlparse(json.loads(done.stdout)["totp_uri"]).query
        b32 = urllib.parse.parse_qs(query)["secret"][0]
        self.totp = TotpSecret(__import__("base64").b32decode(b32 + "=" * (-len(b32) % 8)))

    def auth(self, *, step: int = 0) -> list[str]:
        """Unlock arguments with the code of the current TOTP step, or of one ``step`` later."""
        assert self.totp is not None
        return ["--passphrase-stdin", "--totp", self.totp.code_at(int(time.time()) + 30 * step)]

    def batch(self, wav: Path) -> dict[str, Any]:
        done = self.run(
            "batch", str(wav), "--redact", "--export", "json,txt", "--out", str(self.out),
            "--model", TEST_MODEL_ID, "--device", "cpu", "--json", *self.auth(), stdin=PASS + "\n",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


def export_json(flow: Flow) -> dict[str, Any]:
    (path,) = flow.out.glob("*.json")
    doc = json.loads(path.read_text())
    return {key: value for key, value in doc.items() if key != "id" and not key.endswith(("_id", "created", "_ms"))}


def windows(data: bytes, count: int = 6, size: int = 64) -> list[bytes]:
    """Distinctive windows: spread over the data, skipping any that are mostly one byte (silence)."""
    found = []
    for i in range(1, 4 * count):
        start = i * len(data) // (4 * count + 1)
        chunk = data[start : start + size]
        if len(set(chunk)) > size // 4:
            found.append(chunk)
    return found[:count]


def residue(roots: list[Path], since: float, needles: dict[str, bytes]) -> list[str]:
    hits = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else ():
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                data = path.read_bytes()
                hits += [f"{name} in {path}" for name, needle in needles.items() if needle in data]
    return hits


def needles_for(wav: Path, audio: np.ndarray, words: list[str]) -> dict[str, bytes]:
    found = {f"file[{i}]": w for i, w in enumerate(windows(wav.read_bytes()[44:]))}
    found |= {f"pcm-f32[{i}]": w for i, w in enumerate(windows(audio.astype("<f4").tobytes()))}
    pcm16 = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    found |= {f"pcm-s16[{i}]": w for i, w in enumerate(windows(pcm16))}
    for word in words:
        found[f"word {word}"] = word.encode()
        found[f"word {word} (utf-16)"] = word.encode("utf-16-le")
    assert len(found) > 12
    return found


def scan_roots(flow: Flow) -> list[Path]:
    home = Path(os.environ["HOME"])
    return [
        flow.vault,
        flow.tmp,
        home / ".cache",
        home / ".config",
        home / ".local" / "share",
        Path(flow.env["VAULTSCRIBE_MODELS"]),
    ]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray, str]:
    pairs = heldout(3, seed=424242)
    audio = with_pauses([a for _, a in pairs], pause_s=0.6)
    wav = write_wav(tmp_path_factory.mktemp("speech") / "confidential-interview.wav", audio)
    return wav, audio, " ".join(t for t, _ in pairs)


def test_the_whole_flow_makes_no_network_call_works_without_a_network_and_leaves_no_plaintext(
    tmp_path: Path, models_dir: Path, speech: tuple[Path, np.ndarray, str], secret_service: dict[str, str]
) -> None:
    wav, audio, _ = speech
    started = time.time()
    hooked = Flow(tmp_path / "hooked", models_dir, prefix=[])
    hooked.init()
    result = hooked.batch(wav)
    (row,) = result["recordings"]
    assert row["status"] in ("done", "exported", "transcribed", "redacted"), row

    lines = hooked.log_lines()
    pids = {line.split()[0] for line in lines if " hooked " in f" {line}"}
    assert len(pids) >= 3, f"the hook must run in init, batch and the model child: {lines}"
    assert [line for line in lines if "NETWORK" in line] == []
    (env_line,) = [line for line in lines if " nemo-env " in line]
    assert json.loads(env_line.split(" nemo-env ", 1)[1]) == OFFLINE_ENV, "offline switches set before NeMo"

    exported = export_json(hooked)
    text = (next(hooked.out.glob("*.txt"))).read_text()
    words = sorted({w.strip(".,") for w in exported.get("text", text).split() if len(w.strip(".,")) >= 6})
    assert words, exported
    needles = needles_for(wav, audio, words)
    assert residue(scan_roots(hooked), started, needles) == []

    # the same, with no network namespace at all
    started = time.time()
    offline = Flow(tmp_path / "offline", models_dir, prefix=no_network_prefix())
    offline.init()
    assert offline.batch(wav)["recordings"][0]["status"] == row["status"]
    assert export_json(offline) == exported
    assert next(offline.out.glob("*.txt")).read_text() == text
    assert [line for line in offline.log_lines() if "NETWORK" in line] == []
    assert residue(scan_roots(offline), started, needles) == []


def test_a_killed_transcription_and_a_corrupt_file_leave_no_plaintext(
    tmp_path: Path, models_dir: Path, speech: tuple[Path, np.ndarray, str], secret_service: dict[str, str]
) -> None:
    wav, audio, reference = speech
    started = time.time()
    flow = Flow(tmp_path / "killed", models_dir, prefix=[])
    flow.init()
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(bytes(44) + wav.read_bytes()[44:])  # the speech, behind a header no decoder knows
    # one unlock: the corrupt file fails, the good one is imported, then transcription is killed
    argv = [str(VAULTSCRIBE), "--vault", str(flow.vault), "import", str(corrupt), str(wav), "--transcribe"]
    argv += ["--model", TEST_MODEL_ID, "--device", "cpu", *flow.auth()]
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=flow.env,
        start_new_session=True,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(PASS + "\n")
    proc.stdin.close()
    for line in proc.stderr:
        if "transcribing" in line:  # the model is loaded and working: kill everything, child included
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # the next unlock puts the killed job back; transcribing it again is cancelled with Ctrl-C.
    # Each unlock needs a TOTP step after the last one used: the next step's code is accepted now,
    # the one after that only once the clock reaches the next step.
    listed = flow.run("recordings", "--json", *flow.auth(step=1), stdin=PASS + "\n")
    assert listed.returncode == 0, listed.stderr
    (recording,) = json.loads(listed.stdout)["recordings"]
    time.sleep(30 - time.time() % 30 + 0.5)
    argv = [str(VAULTSCRIBE), "--vault", str(flow.vault), "transcribe", recording["id"]]
    argv += ["--model", TEST_MODEL_ID, "--device", "cpu", *flow.auth(step=1)]
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=flow.env,
        preexec_fn=default_dispositions,  # Ctrl-C must work even when the suite runs in the background
    )  # fmt: skip
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(PASS + "\n")
    proc.stdin.close()
    for line in proc.stderr:
        if "transcribing" in line:
            proc.send_signal(signal.SIGINT)
            break
    rest = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode != 0 and "interrupted" in rest, rest

    words = sorted({w for w in reference.split() if len(w) >= 6}) or reference.split()[:3]
    assert residue(scan_roots(flow), started, needles_for(wav, audio, words)) == []
    assert [line for line in flow.log_lines() if "NETWORK" in line] == []
