#!/usr/bin/env bash
# Build the VaultScribe MSI from a PyInstaller one-folder bundle, with wixl (msitools).
#
#   packaging/windows/build-msi.sh BUNDLE_DIR VERSION OUT.msi
#
# BUNDLE_DIR is dist/vaultscribe as PyInstaller leaves it on a Windows build machine
# (packaging/pyinstaller/vaultscribe.spec): vaultscribe.exe, vaultscribe-gui.exe and _internal/.
# The bundle itself cannot be built here (PyInstaller makes Windows executables only on Windows);
# this script packs one on Linux (apt-get install wixl msitools) or under WSL/MSYS2 with msitools.
# wixl-heat lists every file of the bundle as a component (bundle-files.wxs); vaultscribe.wxs adds
# the Start-menu shortcut, the upgrade rules and per-machine install to Program Files\VaultScribe.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BUNDLE_DIR VERSION OUT.msi" >&2
  exit 2
fi
bundle=$1
version=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)

for tool in wixl wixl-heat; do
  command -v "$tool" >/dev/null || {
    echo "build-msi: $tool is missing (Debian/Ubuntu: apt-get install wixl msitools)" >&2
    exit 1
  }
done
[ -d "$bundle" ] || { echo "build-msi: $bundle is not a folder: build the bundle first" >&2; exit 1; }
bundle=$(cd "$bundle" && pwd)
for exe in vaultscribe.exe vaultscribe-gui.exe; do
  [ -f "$bundle/$exe" ] || { echo "build-msi: $bundle/$exe is missing: is this a Windows bundle?" >&2; exit 1; }
done
# Windows Installer compares only major.minor.build, each a number (255.255.65535 at most); a
# version such as 0.2.0rc1 would build a package that never upgrades.
if ! [[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || [ "${BASH_REMATCH[1]}" -gt 255 ] \
   || [ "${BASH_REMATCH[2]}" -gt 255 ] || [ "${BASH_REMATCH[3]}" -gt 65535 ]; then
  echo "build-msi: version $version is not MAJOR.MINOR.BUILD (at most 255.255.65535)" >&2
  exit 2
fi

# wixl packs every file into one embedded cabinet, and a cabinet holds at most 2 GiB (less 32 KiB)
# of files: a bigger bundle would give a broken package, so it is refused here. Build such a bundle
# with WiX 3 on Windows, whose MediaTemplate splits the files over several cabinets.
size=$(find "$bundle" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%d", n }')
if [ "$size" -gt 2147450880 ]; then
  echo "build-msi: the bundle holds $size bytes, more than one cabinet can (2147450880): see docs/deploy.md" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Sorted, so the same bundle gives the same fragment; component GUIDs ("*") follow from the paths,
# which keeps them stable from one version to the next.
# wixl-heat writes no Win64 flag; a 64-bit package wants it on every component (as candle -arch x64
# sets it), so Windows Installer treats them as the 64-bit files they are.
(cd "$bundle" && find . -type f | LC_ALL=C sort) \
  | wixl-heat --prefix ./ --directory-ref INSTALLDIR --component-group BundleFiles \
      --var var.BundleDir --exclude vaultscribe-gui.exe \
  | sed 's/<Component \(Id="[^"]*" Guid="[^"]*"\)>/<Component \1 Win64="yes">/' > "$work/bundle-files.wxs"
grep -q '<Component ' "$work/bundle-files.wxs" || { echo "build-msi: wixl-heat listed no files" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
# wixl finds a relative Source from the current folder, and cannot open an absolute one.
cd "$bundle"
wixl --arch x64 --define Version="$version" --define BundleDir=. \
  --output "$out" "$here/vaultscribe.wxs" "$work/bundle-files.wxs"
echo "build-msi: $out"
