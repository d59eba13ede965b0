#!/usr/bin/env bash
# Build the VaultScribe .deb from a PyInstaller one-folder bundle (packaging/pyinstaller/vaultscribe.spec).
#
#   packaging/linux/build-deb.sh BUNDLE_DIR VERSION OUT.deb [--fast] [--managed]
#
# Installs to /opt/vaultscribe, with `vaultscribe` and `vaultscribe-gui` linked into /usr/bin, a
# desktop entry, the icon, and the documented policy example in /usr/share/doc/vaultscribe/.
# No maintainer scripts: nothing runs as root at install time, and removal leaves no files of ours
# but the administrator's own /etc/vaultscribe/policy.toml (see docs/deploy.md, "Uninstall").
# --fast leaves the package uncompressed (for tests); the default is xz, on every core (dpkg-deb's
# --threads-max; without it dpkg 1.21 compresses on one: 18 of the 26 minutes of a full build).
# The staged bundle loses its __pycache__ folders and its shared objects are stripped
# (strip-bundle.sh); man pages come from the programs' argparse parsers (manpage.py, run with
# $PYTHON, default the project's .venv), the changelog from linux/changelog, whose top entry must be
# this version, and the lintian overrides, each with its reason, from linux/lintian-overrides.
# --managed builds the package for a managed fleet: it also installs the marker
# /usr/share/vaultscribe/policy-required (core/policy.py, LINUX_MARKER), so that VaultScribe refuses to
# start where /etc/vaultscribe/policy.toml is missing instead of running without limits. Deploy the
# policy before (or with) this package.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 BUNDLE_DIR VERSION OUT.deb [--fast] [--managed]" >&2
  exit 2
fi
bundle=$(cd "$1" && pwd)
version=$2
out=$3
compress=(-Zxz "--threads-max=$(nproc)")
managed=
for flag in "${@:4}"; do
  case $flag in
    --fast) compress=(-Znone) ;;
    --managed) managed=1 ;;
    *) echo "build-deb: unknown option $flag" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
for exe in vaultscribe vaultscribe-gui; do
  [ -x "$bundle/$exe" ] || { echo "build-deb: $bundle/$exe is missing: build the bundle first" >&2; exit 1; }
done
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
python=${PYTHON:-$root/.venv/bin/python}
# The changelog's top entry: "vaultscribe (VERSION) …" and its " -- NAME <MAIL>  DATE" line.
logged=$(sed -n '1s/^vaultscribe (\([^)]*\)).*/\1/p' "$here/changelog")
[ "$logged" = "$version" ] || {
  echo "build-deb: packaging/linux/changelog starts with version '$logged', not $version: add an entry" >&2
  exit 1
}
logdate=$(date -u -d "$(sed -n '0,/^ -- /s/^ -- .*>  //p' "$here/changelog")" +%Y-%m-%d)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -d "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/doc/vaultscribe" \
  "$stage/usr/share/man/man1" "$stage/usr/share/lintian/overrides"
cp -a "$bundle" "$stage/opt/vaultscribe"
find "$stage/opt/vaultscribe" -name __pycache__ -type d -prune -exec rm -rf {} +
"$here/strip-bundle.sh" "$stage/opt/vaultscribe"
(cd "$root" && PYTHONPATH=$root "$python" "$here/manpage.py" "$stage/usr/share/man/man1" \
  --version "$version" --date "$logdate")
gzip -9n "$stage/usr/share/man/man1/vaultscribe.1" "$stage/usr/share/man/man1/vaultscribe-gui.1"
gzip -9n -c "$here/changelog" > "$stage/usr/share/doc/vaultscribe/changelog.gz"
install -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/vaultscribe"
ln -s /opt/vaultscribe/vaultscribe "$stage/usr/bin/vaultscribe"
ln -s /opt/vaultscribe/vaultscribe-gui "$stage/usr/bin/vaultscribe-gui"
install -m 0644 "$here/vaultscribe.desktop" "$stage/usr/share/applications/vaultscribe.desktop"
install -m 0644 "$root/resources/vaultscribe.svg" "$stage/usr/share/icons/hicolor/scalable/apps/vaultscribe.svg"
install -m 0644 "$root/packaging/policy.toml.example" "$stage/usr/share/doc/vaultscribe/policy.toml.example"
install -m 0644 "$root/docs/deploy.md" "$stage/usr/share/doc/vaultscribe/deploy.md"
install -m 0644 "$here/copyright" "$stage/usr/share/doc/vaultscribe/copyright"
if [ -n "$managed" ]; then
  install -d "$stage/usr/share/vaultscribe"
  echo "This VaultScribe install is managed: it will not start without /etc/vaultscribe/policy.toml." \
    > "$stage/usr/share/vaultscribe/policy-required"
  chmod 0644 "$stage/usr/share/vaultscribe/policy-required"
fi

arch=$(dpkg --print-architecture)
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/control.in" > "$stage/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$stage"
dpkg-deb --root-owner-group "${compress[@]}" --build "$stage" "$out" >/dev/null
echo "build-deb: $out"
