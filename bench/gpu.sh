#!/usr/bin/env bash
# bench/gpu.sh: every GPU figure of VaultScribe in one run, for the day a GPU machine is lent (issue 26).
#
# On the GPU machine (H100/H200, no internet), from the repository root, with no edits:
#
#     bench/gpu.sh                  # GPU found by nvidia-smi: the real run, under 8 minutes
#     bench/gpu.sh --cpu-smoke      # no GPU (the default then): every step at toy sizes (about 70 s of
#                                   # CPU on 2 cores; 2.5-4 minutes on a shared, loaded machine)
#
# Through the device tool: first `bench/gpu.sh --fetch-wheels` in the checkout the tool sends (the
# session's own, not a helper's worktree), then run(command="bench/gpu.sh", carry=[".whl"], timeout_s=600).
# The section comes back in $OUT (gpu-section.md, RESULTS.md, gpu-run.json, gpu-run.log): put
# gpu-section.md at the top of bench/RESULTS.md and commit it.
#
# What it records, in a dated section of bench/RESULTS.md (the top, newest first) naming the device
# (torch.cuda.get_device_name, and nvidia-smi's name, memory and driver):
#   1. environment: Python, torch, CUDA, NeMo, which needed modules are missing, and what the audio is;
#   2. asr: a 1-hour file through our whole pipeline (PCM sealed in a throwaway vault, read back by
#      range, windows, stitching, words stored) against NeMo's own transcribe() on the same model and
#      audio, side by side: RTFx of each and their ratio (goal: >= 1,000x on an H100); peak GPU memory
#      (torch.cuda.max_memory_allocated of each); the model load time (nemo_engine.load of a saved
#      .nemo). The model is the full-size Parakeet TDT 0.6B architecture with random weights (bench/asr.py).
#   3. live: the streaming path fed in 0.5 s blocks in simulated real time, RTF overall and per chunk
#      (p50, p95, worst), whether it keeps up, latency (bench/live.py);
#   4. diarization: a Sortformer of NVIDIA's v2.1 size (random weights), RTF and throughput (bench/diarization.py).
# Each step also gets nvidia-smi's peak memory.used while it ran. Each step is time-boxed inside an
# overall budget (bench/gpu_report.py): one that fails or overruns is recorded with its error, and the
# next still runs; the section is rewritten after every step, so a stopped run leaves what it measured.
# The exit status is 1 when any step did not finish cleanly.
#
# Options (passed to bench/gpu_report.py): --cpu-smoke | --gpu, --results FILE (else
# $VAULTSCRIBE_GPU_RESULTS; the default is bench/RESULTS.md on a GPU and a file in the temp folder for
# the smoke run, which never touches bench/RESULTS.md unless told to), --out DIR (else $OUT),
# --steps asr,live, --limit asr=300.
#
# Python: the repository's .venv when it works; otherwise (a copy of the tree on the GPU machine, where
# .venv is absent or a dangling link) the machine's own python3 and its installed packages (torch, and
# much else, but not NeMo's stack). The missing packages travel as wheels in .whl/, made here with
#     bench/gpu.sh --fetch-wheels      # pip download, for CPython 3.12 manylinux, of bench/gpu-wheels.txt
# and installed on the machine into a temporary folder, offline (--no-index), before the run (only
# when .venv is not used: its wheels are for that machine's Python). Without
# them the environment step names what is missing and the other steps record their import errors.
# Audio: espeak-ng speech where espeak-ng and sox exist, else numpy babble made in memory (bench/babble.py);
# nothing of it is written to disk in plaintext.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$PWD

if [ "${1:-}" = "--fetch-wheels" ]; then
    # Here, with the network: the wheels the GPU machine's python3 (3.12) lacks, versions from constraints.txt.
    # A package published only as source (antlr4-python3-runtime 4.9.3) is pure Python: built into a wheel here.
    pip_py=python3
    [ -x .venv/bin/python ] && pip_py=.venv/bin/python
    mkdir -p .whl
    while read -r name _; do
        case "$name" in ''|'#'*) continue ;; esac
        pin=$(grep -i -E "^${name//[-_.]/[-_.]}==" constraints.txt | head -1)
        spec=${pin:-$name}
        "$pip_py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
            --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
            --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl "$spec" 2>/dev/null \
        || "$pip_py" -m pip wheel -q --no-deps -w .whl "$spec" \
        || { echo "gpu.sh: no wheel for $spec" >&2; exit 1; }
    done < bench/gpu-wheels.txt
    du -sh .whl
    exit 0
fi

py=""
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys' 2>/dev/null; then
    py=$root/.venv/bin/python
elif command -v python3 >/dev/null 2>&1; then
    py=$(command -v python3)
    echo "gpu.sh: no working .venv here (a copy of the tree on the GPU machine?): using $py and its packages" >&2
else
    echo "gpu.sh: no Python found: neither .venv/bin/python nor python3" >&2
    exit 2
fi

site=""
if [ "$py" != "$root/.venv/bin/python" ] && compgen -G ".whl/*.whl" >/dev/null; then
    site=${TMPDIR:-/tmp}/vaultscribe-gpu-site
    echo "gpu.sh: installing the carried wheels (.whl/, offline) into $site" >&2
    pip_install() {
        "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$site" "$@"
    }
    if ! pip_install .whl/*.whl; then  # one at a time, so one that does not fit costs only itself
        for wheel in .whl/*.whl; do
            pip_install "$wheel" || echo "gpu.sh: could not install $wheel; going on without it" >&2
        done
    fi
fi
export PYTHONPATH="$root${site:+:$site}${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
exec "$py" bench/gpu_report.py "$@"
