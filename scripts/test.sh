#!/usr/bin/env bash
# The whole test suite: lint, types, the import rules, then pytest.
# pytest starts its own private D-Bus session and gnome-keyring for the real-keyring tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check core models app tests bench scripts
echo "== mypy (strict for core/ and models/)"
mypy
echo "== import rules (core/ and models/ never import Qt or app)"
lint-imports
[ "${1:-}" = "--lint-only" ] && exit 0
echo "== security: every dependency pinned, bandit, pip-audit (skipped when PyPI is unreachable)"
python scripts/security_checks.py
echo "== pytest"
export QT_QPA_PLATFORM=offscreen
exec python -m pytest "$@"
