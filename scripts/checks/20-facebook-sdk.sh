#!/usr/bin/env bash
# Meta's own Python SDK (facebook_business) reads paged insights from the sandbox binary.
# Needs: cargo, and a Python with facebook_business ($ADBOARD_SDK_PYTHON, default .venv-test).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
PY=${ADBOARD_SDK_PYTHON:-$ROOT/.venv-test/bin/python}
[ -x "$PY" ] || { echo "no Python at $PY (set ADBOARD_SDK_PYTHON)" >&2; exit 1; }

cargo build --quiet -p adboard-sandbox
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/adboard-sandbox

LOG=$(mktemp)
# --port 0: the OS picks a free loopback port; the binary prints its base URL.
timeout 300 "$BIN" --port 0 --require-appsecret-proof >"$LOG" 2>&1 &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  rm -f "$LOG"
}
trap cleanup EXIT

BASE=""
for _ in $(seq 1 300); do
  BASE=$(sed -n 's/^adboard-sandbox listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$LOG")
  [ -n "$BASE" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; echo "sandbox exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { cat "$LOG" >&2; echo "sandbox did not start" >&2; exit 1; }

"$PY" crates/adboard-sandbox/tests/sdk/read_insights.py "$BASE"
