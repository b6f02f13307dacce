#!/usr/bin/env bash
# Issue 15's proof: no import cycle between the source files of any workspace crate. Runs the
# checker's self-tests on fixture crates first, then the check itself on every workspace member.
#   bash scripts/check-module-cycles.sh               self-tests, then the workspace
#   bash scripts/check-module-cycles.sh --self-test   self-tests only
#   bash scripts/check-module-cycles.sh web           the check on the named member dirs only
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(python3 scripts/check-module-cycles.test.py 2>&1) || {
  echo "$out"; echo "check-module-cycles: self-tests failed" >&2; exit 1
}
echo "ok: check-module-cycles self-tests"
if [ "${1:-}" = "--self-test" ]; then exit 0; fi
python3 scripts/check-module-cycles.py "$@"
