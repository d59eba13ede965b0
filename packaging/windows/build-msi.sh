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

for tool in wixl wixl-heat msiinfo msibuild; do
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
pkg=$work/VaultScribe.msi
wixl --arch x64 --define Version="$version" --define BundleDir=. \
  --output "$pkg" "$here/vaultscribe.wxs" "$work/bundle-files.wxs"

# What WiX 3 writes and wixl cannot, added to the package's tables with msibuild:
# 1. The upgrade row's maximum inclusive (IncludeMaximum, which wixl leaves out): attributes
#    MigrateFeatures (1) | VersionMinInclusive (0x100) | VersionMaxInclusive (0x200). Every build has
#    a new ProductCode (Product Id="*"), so a rebuild of the same version then replaces the installed
#    one, as WiX's AllowSameVersionUpgrades does, instead of installing beside it. The downgrade row
#    keeps its minimum exclusive: the same version is not "newer".
# 2. The install folder on the system PATH, for every user, so `vaultscribe` runs from any prompt: an
#    Environment row as WiX's <Environment Name="PATH" Value="[INSTALLDIR]" Part="last" Action="set"
#    System="yes" Permanent="no"/> gives it ("=-*": set at install, removed at uninstall, system-wide;
#    "[~];" appends), on the component of vaultscribe-gui.exe, and the two actions that apply it.
# (msiinfo writes its tables with CRLF line ends)
code=$(msiinfo export "$pkg" Property | tr -d '\r' | awk -F'\t' '$1 == "UpgradeCode" { print $2 }')
[ -n "$code" ] || { echo "build-msi: the package has no UpgradeCode" >&2; exit 1; }
# 3. INSTALLDIR and MANAGED as secure properties (WiX: Secure="yes"), so that a managed install
#    (Group Policy, Configuration Manager, Intune: elevated for the user) still passes them from its
#    command line or transform to the server side of the install.
secure=$(msiinfo export "$pkg" Property | tr -d '\r' | awk -F'\t' '$1 == "SecureCustomProperties" { print $2 }')
msibuild "$pkg" \
  -q "DELETE FROM \`Upgrade\` WHERE \`ActionProperty\` = 'WIX_UPGRADE_DETECTED'" \
  -q "INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMin\`, \`VersionMax\`, \`Attributes\`, \`ActionProperty\`) VALUES ('$code', '0.0.0', '$version', 769, 'WIX_UPGRADE_DETECTED')" \
  -q "CREATE TABLE \`Environment\` (\`Environment\` CHAR(72) NOT NULL, \`Name\` CHAR(255) NOT NULL LOCALIZABLE, \`Value\` CHAR(255) LOCALIZABLE, \`Component_\` CHAR(72) NOT NULL PRIMARY KEY \`Environment\`)" \
  -q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('VaultScribePath', '=-*PATH', '[~];[INSTALLDIR]', 'VaultScribeGui')" \
  -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)" \
  -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)" \
  -q "UPDATE \`Property\` SET \`Value\` = '$secure;INSTALLDIR;MANAGED' WHERE \`Property\` = 'SecureCustomProperties'"
msiinfo export "$pkg" Upgrade | tr -d '\r' | grep -q "	$version		769		WIX_UPGRADE_DETECTED\$" \
  || { echo "build-msi: msibuild did not update the Upgrade table" >&2; exit 1; }
mv "$pkg" "$out"
echo "build-msi: $out"
