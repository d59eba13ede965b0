#!/usr/bin/env bash
# Build the Linux bundle (PyInstaller, one folder) and the .deb from it.
#
#   packaging/build-linux.sh OUT_DIR [--fast] [--managed]
#
# Needs the project's environment (`make test` or scripts/bootstrap.sh test sets it up). The bundle
# is rebuilt only when the sources, the spec or the locked dependencies changed: it lands in
# build/dist/vaultscribe with a stamp. Prints the path of the .deb on its last line.
# --fast: an uncompressed .deb, for the install test. --managed: see linux/build-deb.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: packaging/build-linux.sh OUT_DIR [--fast]}

python=.venv/bin/python
version=$("$python" -c 'import core; print(core.__version__)')

want=$( (find core app models resources packaging/pyinstaller -type f ! -path '*/__pycache__/*' -print0 \
          | sort -z | xargs -0 sha256sum; sha256sum constraints.txt pyproject.toml) | sha256sum | cut -d' ' -f1)
bundle=build/dist/vaultscribe
if [ "$(cat build/dist/.stamp 2>/dev/null)" != "$want" ] || [ ! -x "$bundle/vaultscribe" ]; then
  echo "build-linux: building the bundle (several minutes)…" >&2
  rm -rf build/dist build/pyinstaller
  .venv/bin/pyinstaller --noconfirm --log-level ERROR --distpath build/dist --workpath build/pyinstaller \
    packaging/pyinstaller/vaultscribe.spec >&2
  rm -rf build/pyinstaller  # PyInstaller's work folder (0.6 GB): each build starts without it (above)
  echo "$want" > build/dist/.stamp
fi
mkdir -p "$out"
deb="$out/vaultscribe_${version}_$(dpkg --print-architecture).deb"
packaging/linux/build-deb.sh "$bundle" "$version" "$deb" "${@:2}" >&2
echo "$deb"
