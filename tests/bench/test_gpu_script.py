"""bench/gpu.sh, the one-shot GPU run, started as the device machine starts it: here, without a GPU, it
falls back on its CPU smoke run, and every step must run and report its figures into the results file
named by $VAULTSCRIBE_GPU_RESULTS (never bench/RESULTS.md). A step that errors fails the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "gpu.sh"
STEPS = ("environment", "asr", "live", "diarization")
NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"


def run_script(tmp_path: Path, *args: str, timeout_s: float) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    results, out = tmp_path / "RESULTS.md", tmp_path / "out"
    results.write_text("# Benchmark results\n\nIntro.\n\n## 2026-01-01 — an older section\n\nOld figures.\n")
    env = {k: v for k, v in os.environ.items() if k not in ("OUT", "VAULTSCRIBE_GPU_RESULTS", "VAULTSCRIBE_GPU_MODE")}
    env.update(VAULTSCRIBE_GPU_RESULTS=str(results), OUT=str(out), TMPDIR=str(tmp_path))
    proc = subprocess.run(["bench/gpu.sh", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout_s, check=False)
    return proc, results, out


@pytest.mark.slow
@pytest.mark.timeout(960)
def test_without_a_gpu_every_step_runs_and_reports(tmp_path: Path) -> None:
    real_results = (ROOT / "bench" / "RESULTS.md").read_bytes()
    # exactly the device's command where no GPU can be seen; otherwise ask for the smoke run by name
    args = () if shutil.which("nvidia-smi") is None else ("--cpu-smoke",)
    proc, results, out = run_script(tmp_path, *args, timeout_s=900)
    log = (out / "gpu-run.log").read_text() if (out / "gpu-run.log").exists() else ""
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:] + log[-3000:]

    summary = json.loads((out / "gpu-run.json").read_text())
    assert summary["mode"] == "smoke"
    assert list(summary["steps"]) == list(STEPS)
    for name, step in summary["steps"].items():
        assert step["status"] == "ok", (name, step)
        assert step["result"], name
    asr = summary["steps"]["asr"]["result"]
    assert asr["rows"][0]["audio_s"] == 10 and asr["rows"][0]["ours_rtfx"] > 0 and asr["rows"][0]["nemo_rtfx"] > 0
    assert asr["load"]["load_s"] > 0
    live = summary["steps"]["live"]["result"]["parakeet_size"]
    assert live["chunks"] >= 4 and live["chunk_rtf_max"] >= live["chunk_rtf_p50"] > 0
    assert summary["steps"]["diarization"]["result"]["short"]["rtfx"] > 0

    text = results.read_text()
    assert (ROOT / "bench" / "RESULTS.md").read_bytes() == real_results
    # the new section goes first, above the older ones, and the intro stays
    assert text.startswith("# Benchmark results\n\nIntro.\n\n<!-- bench/gpu.sh run ")
    assert text.index("CPU smoke run of `bench/gpu.sh`") < text.index("## 2026-01-01 — an older section")
    section = (out / "gpu-section.md").read_text()
    assert section in text
    assert re.search(r"^## \d{4}-\d\d-\d\d — CPU smoke run of `bench/gpu.sh`.*, CPU, no GPU$", section, re.M)
    assert "Incomplete" not in section
    for name in STEPS:
        assert re.search(rf"^\| {name} \| ok \| {NUMBER} \| {NUMBER} \| - \|$", section, re.M), name
    for heading in ("### Transcription: one hour, ours against NeMo's transcribe()", "### Live text (streaming)",
                    "### Diarization throughput"):
        assert heading in section
    # the figures: ours and NeMo's RTFx side by side, the load time, live RTF per chunk, diarization throughput
    figures = rf"{NUMBER} \| \*\*{NUMBER}\*\* \| {NUMBER} \| {NUMBER} \| {NUMBER}"
    assert re.search(rf"^\| 10 \| {figures} \| - \| - \| \d+ \|$", section, re.M)
    assert re.search(rf"\*\*Model load\*\*: .* \*\*{NUMBER} s\*\*", section)
    assert re.search(rf"^\| \*\*{NUMBER}\*\* \| {NUMBER} \| {NUMBER} \| {NUMBER} \| \*\*(yes|no)\*\* \|", section, re.M)
    assert re.search(rf"^\| short \| 1 \| {NUMBER} \| {NUMBER} \| \*\*{NUMBER}\*\* \| {NUMBER} \|$", section, re.M)
    assert "Python " in section and "NeMo 3" in section


@pytest.mark.timeout(300)
def test_a_failing_step_is_recorded_and_the_next_still_runs(tmp_path: Path) -> None:
    # --gpu on a machine without one: the environment step fails (torch sees no CUDA GPU); the asr step
    # is given two seconds and overruns; live runs all the same, and overruns too
    args = ("--gpu", "--steps", "environment,asr,live", "--limit", "asr=2", "--limit", "live=2")
    proc, results, out = run_script(tmp_path, *args, timeout_s=240)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    summary = json.loads((out / "gpu-run.json").read_text())
    status = {name: step["status"] for name, step in summary["steps"].items()}
    assert status["asr"] == status["live"] == "timed out after 2 s"
    section = results.read_text()
    assert "## " in section and "GPU run (`bench/gpu.sh`)" in section
    assert "| asr | timed out after 2 s |" in section and "| live | timed out after 2 s |" in section
    if shutil.which("nvidia-smi") is None:
        assert status["environment"] == "failed (exit 1)"
        assert "Environment problems: torch sees no CUDA GPU." in section


def test_a_step_stopped_at_its_limit_keeps_the_rows_it_reported(tmp_path: Path) -> None:
    from bench import gpu_report

    row = {"audio_s": 3600, "ours_s": 3.0, "ours_rtfx": 1200.0, "words": 10800}
    script = f"import json, sys, time; print(json.dumps({row!r}), file=sys.stderr, flush=True); time.sleep(60)"
    step = next(s for s in gpu_report.STEPS if s.name == "asr")
    outcome = gpu_report.Outcome(step, [sys.executable, "-c", script], limit_s=3)
    with (tmp_path / "log").open("w") as log:
        gpu_report.run_step(outcome, log)
    assert outcome.status == "timed out after 3 s" and outcome.wall_s is not None and outcome.wall_s < 30
    assert outcome.result == {"rows": [row], "partial": True}
    section = gpu_report.render([outcome], smoke=False, started=datetime(2026, 12, 6, tzinfo=UTC),
                                command="bench/gpu.sh", budget_s=450, finished=False)
    assert "**Incomplete" in section and "Only what it reported before it stopped:" in section
    assert "| 3600 | 3.00 | **1200.0** | - | - | - | - | - | 10800 |" in section
    assert "Goal ≥ 1,000× real time on an H100: 1,200×, PASS." in section
