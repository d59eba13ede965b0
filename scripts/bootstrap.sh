#!/usr/bin/env bash
# Set up everything VaultScribe needs, and only what is missing:
#   apt packages (installed when root, otherwise the exact command is printed),
#   a .venv, and the locked Python dependencies (constraints.txt pins torch==2.13.0).
# Usage: scripts/bootstrap.sh run|test. A second run with nothing changed takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}
case "$purpose" in
  run) extras="asr" ;;
  test) extras="asr,dev" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

# 1. System packages.
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^\s*$/d' scripts/apt-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bootstrap: these system packages are missing. Install them, then run this again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# 2. Python 3.11+ and the virtual environment.
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "bootstrap: VaultScribe needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
  exit 1
}
[ -x .venv/bin/python ] || "$python" -m venv .venv

# 3. Locked dependencies. The stamp records what was installed, so a second run is a no-op.
stamp=.venv/.vaultscribe-$purpose
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  # torch comes first and alone, pinned, so nothing can pull a CUDA build on a CPU machine.
  .venv/bin/pip install -q -c constraints.txt "torch==2.13.0"
  .venv/bin/pip install -q -c constraints.txt -e ".[$extras]"
  echo "$want" > "$stamp"
fi
