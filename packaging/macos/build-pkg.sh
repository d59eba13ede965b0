#!/usr/bin/env bash
# Build the VaultScribe macOS installer (.pkg) from a PyInstaller-built VaultScribe.app.
#
#   packaging/macos/build-pkg.sh VaultScribe.app VERSION OUT.pkg
#
# Runs only on macOS: pkgbuild, productbuild and plutil come with Xcode's command line tools
# (xcode-select --install). The .app must be built on a Mac too (PyInstaller makes macOS apps only
# there). The package installs VaultScribe.app to /Applications for every user, runs no scripts,
# and carries no policy: that comes in a configuration profile (org.vaultscribe.app.mobileconfig).
#
# VAULTSCRIBE_PKG_SIGN="Developer ID Installer: …" signs the package; without it the package is
# unsigned, which is fine for an MDM that installs it but not for double-clicking. Notarise a
# signed package separately (xcrun notarytool submit OUT.pkg --wait; xcrun stapler staple OUT.pkg).
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 VaultScribe.app VERSION OUT.pkg" >&2
  exit 2
fi
app=$1
version=$2
out=$3
pkg_id=org.vaultscribe.app.pkg  # the receipt's name: pkgutil --pkg-info / --forget use it

if [ "$(uname -s)" != Darwin ]; then
  echo "build-pkg: this builds a macOS installer and runs only on macOS (it needs pkgbuild and productbuild)" >&2
  exit 1
fi
for tool in pkgbuild productbuild plutil; do
  command -v "$tool" >/dev/null || {
    echo "build-pkg: $tool is missing: install Xcode's command line tools (xcode-select --install)" >&2
    exit 1
  }
done
case $app in
  *.app | *.app/) ;;
  *) echo "build-pkg: $app is not an .app bundle" >&2; exit 1 ;;
esac
[ -f "$app/Contents/Info.plist" ] || { echo "build-pkg: $app/Contents/Info.plist is missing: build the app first" >&2; exit 1; }
[[ $version =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] || { echo "build-pkg: version $version is not numeric (for example 0.1.0)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root" "$work/packages"
ditto "$app" "$work/root/VaultScribe.app"
# Not relocatable: otherwise Installer puts the update wherever it finds another copy of the app
# with the same bundle id (a build folder, a user's Downloads) instead of /Applications.
pkgbuild --analyze --root "$work/root" "$work/components.plist"
plutil -replace 0.BundleIsRelocatable -bool NO "$work/components.plist"
pkgbuild --root "$work/root" --component-plist "$work/components.plist" --identifier "$pkg_id" \
  --version "$version" --install-location /Applications "$work/packages/VaultScribe.pkg"
productbuild --synthesize --package "$work/packages/VaultScribe.pkg" "$work/distribution.xml"
sign=()
[ -n "${VAULTSCRIBE_PKG_SIGN:-}" ] && sign=(--sign "$VAULTSCRIBE_PKG_SIGN")
mkdir -p "$(dirname "$out")"
# ${sign[@]+…}: macOS's own bash 3.2 calls an empty array unbound under set -u.
productbuild --distribution "$work/distribution.xml" --package-path "$work/packages" ${sign[@]+"${sign[@]}"} "$out"
echo "build-pkg: $out"
