"""Every GPU figure in one run: runs the benchmarks as time-boxed steps and writes one dated section.

Started by `bench/gpu.sh` (its header says how to run it and what it records). Standard library only,
so that it starts, and records why a step could not run, on a machine where torch or NeMo is missing.
Each step is a child process (`bench/asr.py`, `bench/live.py`, `bench/diarization.py` with flags) with
its own time limit inside one overall budget: a step that fails or overruns is killed, its error and
the tail of its output are recorded, and the next step runs. The section is rewritten after every
step, so an interrupted run still leaves what it measured. While a step runs, `nvidia-smi` is polled
for the GPU memory in use (the whole card, the driver's view) beside torch's own peak.

`--cpu-smoke` runs the same steps at toy sizes on the CPU with the test models (CI runs it through
tests/bench/test_gpu_script.py): its figures mean nothing, only that every step starts and reports.
It never writes bench/RESULTS.md unless told to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "RESULTS.md"
TEST_ASR = "models/test/vaultscribe-test-tdt-en-small.nemo"
TEST_DIAR = "models/test/vaultscribe-test-sortformer-diar-small.nemo"
GPU_BUDGET_S = 450.0  # all steps together: with the wheels' install, the run stays under 8 minutes
SMOKE_BUDGET_S = 800.0  # generous: a loaded 2-core CI machine took 95 s for a step that needs 30
GPU_RTFX_TARGET = 1000.0
#: What the benchmarks import; the probe reports which are missing (the GPU image lacks NeMo's stack).
NEEDED = ("numpy", "torch", "nemo", "omegaconf", "hydra", "lhotse", "sentencepiece", "sqlcipher3",
          "cryptography", "argon2")


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    gpu: tuple[str, ...]  # arguments after the Python interpreter
    smoke: tuple[str, ...]
    gpu_limit_s: float
    smoke_limit_s: float


STEPS = (
    Step("environment", "Environment", ("bench/gpu_report.py", "--probe"), ("bench/gpu_report.py", "--probe"),
         60, 80),
    Step("asr", "Transcription: one hour, ours against NeMo's transcribe()",
         ("bench/asr.py", "--device", "cuda", "--lengths", "3600", "--nemo-max-s", "3600",
          "--nemo-attention", "local", "--time-load", "--json"),
         ("bench/asr.py", "--device", "cpu", "--model", TEST_ASR, "--lengths", "10", "--nemo-max-s", "10",
          "--time-load", "--json"),
         270, 240),
    Step("live", "Live text (streaming)",
         ("bench/live.py", "--device", "cuda", "--skip-test-model", "--seconds", "60", "--json"),
         ("bench/live.py", "--device", "cpu", "--skip-test-model", "--model", TEST_ASR, "--seconds", "10", "--json"),
         120, 240),
    Step("diarization", "Diarization throughput",
         ("bench/diarization.py", "--device", "cuda", "--full-size", "--count", "0", "--long", "3"),
         ("bench/diarization.py", "--device", "cpu", "--model", TEST_DIAR, "--count", "1", "--long", "0"),
         90, 240),
)


@dataclass
class Outcome:
    step: Step
    argv: list[str]
    limit_s: float
    status: str = "not run"  # ok, failed (exit N), timed out, no result, skipped: ...
    wall_s: float | None = None
    result: dict[str, Any] | None = None
    smi_peak_mib: int | None = None
    tail: list[str] = field(default_factory=list)


# -- the environment probe (run as a step: it imports torch) -------------------------------------


def nvidia_smi(query: str) -> list[str] | None:
    if shutil.which("nvidia-smi") is None:
        return None
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={query}", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    lines = out.strip().splitlines()
    return [part.strip() for part in lines[0].split(",")] if lines else None


def probe(gpu: bool) -> int:
    import importlib.metadata as md
    import importlib.util

    info: dict[str, Any] = {"python": platform.python_version(), "executable": sys.executable,
                            "cpus": os.cpu_count(), "platform": platform.platform()}
    info["missing"] = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    for dist in ("torch", "nemo_toolkit", "numpy", "av"):
        try:
            info[dist] = md.version(dist)
        except md.PackageNotFoundError:
            info[dist] = None
    smi = nvidia_smi("name,driver_version,memory.total")
    if smi:
        info["smi_name"], info["driver"], info["smi_memory_mib"] = smi[0], smi[1], int(float(smi[2]))
    try:
        from bench import babble  # numpy and core.asr.engine only

        info["audio"] = babble.speech_source()
    except ImportError as exc:
        info["audio"] = f"unknown ({exc})"
    problems = []
    if info["missing"]:
        problems.append(f"missing modules: {', '.join(info['missing'])} (on a GPU machine: make the wheels with "
                        "`bench/gpu.sh --fetch-wheels` where pip can reach PyPI, and carry .whl)")
    if "torch" not in info["missing"]:
        import torch

        info["cuda_available"] = bool(torch.cuda.is_available())
        info["torch_cuda"] = torch.version.cuda
        if info["cuda_available"]:
            info["device"] = torch.cuda.get_device_name(0)
            info["bf16"] = bool(torch.cuda.is_bf16_supported())
        elif gpu:
            problems.append("torch sees no CUDA GPU")
    info["problems"] = problems
    print(json.dumps(info))
    return 1 if problems and gpu else 0


# -- running steps -----------------------------------------------------------------------------


class SmiPeak:
    """Polls nvidia-smi's memory.used (MiB, the whole card) while a step runs; keeps the largest."""

    def __init__(self) -> None:
        self.peak: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SmiPeak:
        if shutil.which("nvidia-smi"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=25)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            used = nvidia_smi("memory.used")
            if used:
                value = int(float(used[0]))
                self.peak = value if self.peak is None else max(self.peak, value)


def parse_json(stdout: str) -> dict[str, Any] | None:
    """The step's result: its whole output as one JSON object, else its last line that is one."""
    candidates = [stdout, *stdout.strip().splitlines()[::-1]]
    for text in candidates:
        text = text.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def run_step(outcome: Outcome, log: Any) -> None:
    started = time.perf_counter()
    proc = subprocess.Popen(outcome.argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own group: a timeout kills its children too
    with SmiPeak() as smi:
        try:
            stdout, stderr = proc.communicate(timeout=outcome.limit_s)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            timed_out = True
    outcome.wall_s = round(time.perf_counter() - started, 1)
    outcome.smi_peak_mib = smi.peak
    outcome.result = parse_json(stdout)
    lines = [line for line in (stderr or "").splitlines() if line.strip()]
    if outcome.result is None:  # stopped early: keep the rows it reported as it went (bench/asr.py does)
        rows = [row for row in map(parse_json, lines) if row is not None]
        if rows:
            outcome.result = {"rows": rows, "partial": True}
    outcome.tail = lines[-20:]
    if timed_out:
        outcome.status = f"timed out after {outcome.limit_s:.0f} s"
    elif proc.returncode != 0:
        outcome.status = f"failed (exit {proc.returncode})"
    elif outcome.result is None:
        outcome.status = "no result (no JSON on stdout)"
    else:
        outcome.status = "ok"
    log.write(f"===== {outcome.step.name}: {outcome.status} in {outcome.wall_s} s\n$ {' '.join(outcome.argv)}\n")
    log.write(f"--- stdout\n{stdout}\n--- stderr\n{stderr}\n")
    log.flush()


# -- the section -------------------------------------------------------------------------------


def fmt(value: Any, spec: str = ".1f") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format(value, spec)
    return str(value)


def gib_to_mib(value: float | None) -> str:
    return "-" if value is None else f"{value * 1024:.0f}"


def render(outcomes: list[Outcome], *, smoke: bool, started: dt.datetime, command: str, budget_s: float,
           finished: bool) -> str:
    by = {o.step.name: o for o in outcomes}
    env = (by.get("environment") and by["environment"].result) or {}
    device = env.get("device") or env.get("smi_name") or ("CPU, no GPU" if smoke else "device unknown")
    title = ("CPU smoke run of `bench/gpu.sh` (toy sizes, test models: these are not figures)" if smoke
             else "GPU run (`bench/gpu.sh`)")
    out = [f"## {started:%Y-%m-%d} — {title}, {device}", ""]
    if not finished:
        out += ["**Incomplete: the run was still going (or was stopped) when this was written.**", ""]
    out += [f"Command: `{command}`, started {started:%Y-%m-%d %H:%M} UTC; budget {budget_s:.0f} s, "
            f"steps took {sum(o.wall_s or 0 for o in outcomes):.0f} s.",
            f"Machine: {device}"
            + (f" ({env['smi_memory_mib']} MiB, driver {env['driver']})" if env.get("smi_memory_mib") else "")
            + f"; {env.get('cpus', '?')} CPUs; Python {env.get('python', '?')} ({env.get('executable', '?')}), "
            + f"torch {env.get('torch') or 'missing'}"
            + f" (CUDA {env.get('torch_cuda') or '-'}), NeMo {env.get('nemo_toolkit') or 'missing'}; "
            + f"audio: {env.get('audio', '?')}.", ""]
    if env.get("problems"):
        out += [f"Environment problems: {'; '.join(env['problems'])}.", ""]
    out += ["| step | status | wall s | limit s | nvidia-smi peak MiB |", "|---|---|---|---|---|"]
    for o in outcomes:
        out.append(f"| {o.step.name} | {o.status} | {fmt(o.wall_s)} | {o.limit_s:.0f} | {fmt(o.smi_peak_mib, 'd')} |")
    out.append("")
    for o in outcomes:
        if o.step.name == "environment":
            continue
        out += [f"### {o.step.title}", "", f"`{' '.join(['python', *o.argv[1:]])}`: {o.status}.", ""]
        if o.result:
            if o.result.get("partial"):
                out += ["Only what it reported before it stopped:", ""]
            out += RENDERERS[o.step.name](o.result, smoke)
            out.append("")
        if o.status != "ok" and o.tail:
            out += ["Last lines of its error output:", "", "```", *o.tail, "```", ""]
    return "\n".join(out).rstrip() + "\n"


def render_asr(r: dict[str, Any], smoke: bool) -> list[str]:
    out = [f"Model: {r.get('model')} on {r.get('device', {}).get('name')} ({r.get('device', {}).get('dtype')}); "
           f"options {r.get('options')}; model built or loaded in {fmt(r.get('build_or_load_s'))} s.", ""]
    load = r.get("load") or {}
    if "load_s" in load:
        out += [f"**Model load**: `nemo_asr.load` of the saved `.nemo` ({load['nemo_file_mib']} MiB): "
                f"**{load['load_s']} s** (saving it took {load['save_s']} s).", ""]
    elif "error" in load:
        out += [f"Model load failed: {load['error']}", ""]
    out += ["| audio s | ours s | ours RTFx | NeMo s | NeMo RTFx | ours/NeMo | torch peak MiB, ours | NeMo | words |",
            "|---|---|---|---|---|---|---|---|---|"]
    for row in r.get("rows", []):
        out.append(f"| {fmt(row.get('audio_s'), '.0f')} | {fmt(row.get('ours_s'), '.2f')} "
                   f"| **{fmt(row.get('ours_rtfx'))}** | {fmt(row.get('nemo_s'), '.2f')} | {fmt(row.get('nemo_rtfx'))} "
                   f"| {fmt(row.get('ratio'), '.2f')} | {gib_to_mib(row.get('ours_gpu_peak_gib'))} "
                   f"| {gib_to_mib(row.get('nemo_gpu_peak_gib'))} | {fmt(row.get('words'), 'd')} |")
        if row.get("nemo_error"):
            out.append(f"\nNeMo's call failed: `{row['nemo_error']}`")
    rows = r.get("rows") or []
    if rows and not smoke:
        best = rows[-1]["ours_rtfx"]
        out += ["", f"Goal ≥ {GPU_RTFX_TARGET:,.0f}× real time on an H100: {best:,.0f}×, "
                    f"{'PASS' if best >= GPU_RTFX_TARGET else 'MISS'}."]
    return out


def render_live(r: dict[str, Any], smoke: bool) -> list[str]:
    out = [f"Settings: {r.get('settings')}.", ""]
    p = r.get("parakeet_size")
    if p:
        out += [f"Model {p.get('model')} on {p.get('device')}, {p.get('audio_s')} s of {p.get('audio')}, fed in "
                f"0.5 s blocks on a simulated real-time clock.", "",
                "| RTF | chunk RTF p50 | p95 | worst | keeps up | lag at end s | latency p50 s | p95 s "
                "| offline RTF | live/offline |", "|---|---|---|---|---|---|---|---|---|---|",
                f"| **{fmt(p.get('rtf'), '.3f')}** | {fmt(p.get('chunk_rtf_p50'), '.3f')} "
                f"| {fmt(p.get('chunk_rtf_p95'), '.3f')} | {fmt(p.get('chunk_rtf_max'), '.3f')} "
                f"| **{fmt(p.get('keeps_up'))}** | {fmt(p.get('lag_at_end_s'), '.2f')} "
                f"| {fmt(p.get('latency_p50_s'), '.2f')} | {fmt(p.get('latency_p95_s'), '.2f')} "
                f"| {fmt(p.get('offline_rtf'), '.3f')} | {fmt(p.get('live_over_offline'), '.2f')} |"]
    t = r.get("test_model")
    if t:
        out += ["", f"Test model: WER live {t['wer_live_vs_reference']:.1%}, "
                    f"offline {t['wer_offline_vs_reference']:.1%}, RTF {t['rtf']}, latency p50 {t['latency_p50_s']} s."]
    return out


def render_diarization(r: dict[str, Any], smoke: bool) -> list[str]:
    out = [f"Model: {r.get('model')} ({fmt(r.get('parameters'), ',d')} parameters) on {r.get('device')}, "
           f"streaming {fmt(r.get('streaming'))}; audio: {r.get('audio')}; import and load "
           f"{fmt(r.get('import_and_load_s'))} s.", "",
           "| set | conversations | audio s | RTF | throughput (× real time) | DER |", "|---|---|---|---|---|---|"]
    meaningless = str(r.get("audio", "")).startswith("numpy") or "random" in str(r.get("model"))
    for name in ("short", "long"):
        m = r.get(name)
        if m:
            der = "-" if meaningless else fmt(m["der"], ".3f")
            out.append(f"| {name} | {m['conversations']} | {m['audio_s']} | {fmt(m['rtf'], '.4f')} "
                       f"| **{fmt(m.get('rtfx'))}** | {der} |")
    return out


RENDERERS = {"asr": render_asr, "live": render_live, "diarization": render_diarization}

MARK = "<!-- bench/gpu.sh run {} -->"
END = "<!-- end of bench/gpu.sh run {} -->"


def write_section(path: Path, section: str, run_id: str) -> None:
    """Put the section in (or replace this run's earlier version of it): newest first, after the title."""
    begin, end = MARK.format(run_id), END.format(run_id)
    block = f"{begin}\n{section}{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        at = text.find("\n## ")
        text = text.rstrip("\n") + "\n\n" + block if at < 0 else text[: at + 1] + block + "\n" + text[at + 1 :]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def step_argv(step: Step, smoke: bool) -> list[str]:
    argv = list(step.smoke if smoke else step.gpu)
    if step.name == "live" and not smoke and shutil.which("espeak-ng") and shutil.which("sox"):
        # real speech can be made here: the test model's live WER and latency too
        argv.remove("--skip-test-model")
        argv += ["--recordings", "2", "--sentences", "4"]
    return argv


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--cpu-smoke", action="store_true", help="toy sizes on the CPU (default without a GPU)")
    mode.add_argument("--gpu", action="store_true", help="the real run (default where nvidia-smi sees a GPU)")
    ap.add_argument("--results", type=Path, help="the Markdown file to write the section into (default: "
                    "bench/RESULTS.md on a GPU, $VAULTSCRIBE_GPU_RESULTS, else a file in the temp folder)")
    ap.add_argument("--out", type=Path, help="also copy the section, the JSON and the log here (default: $OUT)")
    ap.add_argument("--steps", help="comma-separated subset of: " + ",".join(s.name for s in STEPS))
    ap.add_argument("--limit", action="append", default=[], metavar="STEP=SECONDS", help="override a step's limit")
    ap.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    gpu = args.gpu or (not args.cpu_smoke and bool(nvidia_smi("name")))
    if args.probe:
        return probe(gpu=os.environ.get("VAULTSCRIBE_GPU_MODE") == "gpu")
    smoke = not gpu
    env_results = os.environ.get("VAULTSCRIBE_GPU_RESULTS")
    results = args.results or (Path(env_results) if env_results else None)
    if results is None:
        results = RESULTS if gpu else Path(tempfile.gettempdir()) / "vaultscribe-gpu-smoke.md"
    out_dir = args.out or (Path(os.environ["OUT"]) if os.environ.get("OUT") else None)
    chosen = set(args.steps.split(",")) if args.steps else {s.name for s in STEPS}
    unknown = chosen - {s.name for s in STEPS}
    if unknown:
        ap.error(f"unknown steps: {', '.join(sorted(unknown))}")
    limits = {}
    for item in args.limit:
        name, _, seconds = item.partition("=")
        limits[name] = float(seconds)
    budget = SMOKE_BUDGET_S if smoke else GPU_BUDGET_S
    started = dt.datetime.now(dt.UTC)
    run_id = f"{started:%Y%m%dT%H%M%S}"
    command = " ".join(["bench/gpu.sh", *(sys.argv[1:] if argv is None else argv)])
    os.environ["VAULTSCRIBE_GPU_MODE"] = "smoke" if smoke else "gpu"
    print(f"gpu.sh: {'CPU smoke run (no GPU found, or --cpu-smoke)' if smoke else 'GPU run'}; "
          f"results into {results}", flush=True)
    log_path = (out_dir or Path(tempfile.mkdtemp(prefix="vs-gpu-run-"))) / "gpu-run.log"
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    # every chosen step is listed from the start, so a run stopped half-way shows what it never reached
    outcomes = [Outcome(step, [sys.executable, *step_argv(step, smoke)],
                        limits.get(step.name, step.smoke_limit_s if smoke else step.gpu_limit_s))
                for step in STEPS if step.name in chosen]
    deadline = time.monotonic() + budget
    section = ""
    with log_path.open("w", encoding="utf-8") as log:
        for outcome in outcomes:
            step, own = outcome.step, outcome.limit_s
            left = deadline - time.monotonic()
            if left < 5:
                outcome.status = "skipped: the run's time budget was spent"
            else:
                outcome.limit_s = min(own, left)
                print(f"gpu.sh: {step.name} (limit {outcome.limit_s:.0f} s) ...", flush=True)
                run_step(outcome, log)
                print(f"gpu.sh: {step.name}: {outcome.status} in {outcome.wall_s} s", flush=True)
            section = render(outcomes, smoke=smoke, started=started, command=command, budget_s=budget,
                             finished=outcome is outcomes[-1])
            write_section(results, section, run_id)
            summary = {"mode": "smoke" if smoke else "gpu", "results": str(results), "run_id": run_id,
                       "steps": {o.step.name: {"status": o.status, "wall_s": o.wall_s, "limit_s": o.limit_s,
                                               "smi_peak_mib": o.smi_peak_mib, "result": o.result}
                                 for o in outcomes}}
            if out_dir is not None:
                (out_dir / "gpu-section.md").write_text(section, encoding="utf-8")
                (out_dir / "gpu-run.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
                if results.resolve() != (out_dir / "RESULTS.md").resolve():
                    shutil.copyfile(results, out_dir / "RESULTS.md")
    failed = [o.step.name for o in outcomes if o.status != "ok"]
    print(section)
    print(f"gpu.sh: section written to {results}; log {log_path}"
          + (f"; FAILED: {', '.join(failed)}" if failed else "; every step ran"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
