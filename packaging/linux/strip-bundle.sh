#!/usr/bin/env bash
# Strip the shared objects of a PyInstaller bundle, safely, and drop their executable bit.
#
#   packaging/linux/strip-bundle.sh DIR
#
# Only shared objects (*.so, *.so.N) that still carry a symbol table, with --strip-unneeded, as
# Debian's dh_strip does for libraries: it removes .symtab and the debug sections and keeps the
# dynamic symbols that dlopen/dlsym use, and every allocated section (Qt plugins' metadata
# included). Not the two programs: each is PyInstaller's bootloader with the bundle's archive
# appended after the ELF image, which strip would cut off. A file strip refuses is kept as it was.
# Shared objects need no executable bit to load (lintian: shared-library-is-executable).
set -euo pipefail
dir=${1:?usage: $0 DIR}
for tool in strip readelf; do
  command -v "$tool" >/dev/null || { echo "strip-bundle: $tool is missing (apt-get install binutils)" >&2; exit 1; }
done
# A library that patchelf has rewritten (auditwheel's vendored libraries, e.g. numpy's
# libscipy_openblas64_, and the extension modules whose RPATH it set) has segments strip does not
# expect: strip then rewrites the loadable layout, and the result no longer loads ("ELF load command
# address/offset not page-aligned", seen on the real bundle). So a stripped copy is kept only when its
# program headers, the loadable image, are exactly the original's: strip then removed only what
# nothing loads.
# shellcheck disable=SC2016
find "$dir" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 \
  | xargs -0 -r -n 32 -P "$(nproc)" bash -c '
      segments() { readelf -lW "$1" 2>/dev/null | sed -n "/^Program Headers:/,/^\$/p"; }
      for f; do
        chmod 0644 "$f"
        readelf -S -W "$f" 2>/dev/null | grep -q " \.symtab " || continue
        if strip --strip-unneeded --preserve-dates -o "$f.stripped" "$f" 2>/dev/null \
           && [ -n "$(segments "$f")" ] && [ "$(segments "$f")" = "$(segments "$f.stripped")" ]; then
          mv "$f.stripped" "$f"
          chmod 0644 "$f"
        else
          rm -f "$f.stripped"
          echo "strip-bundle: kept ${f##*/} as it was (strip would change how it loads)" >&2
        fi
      done' strip-bundle
