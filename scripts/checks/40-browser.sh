#!/usr/bin/env bash
# Browser flow (onboarding from an empty store, form errors, 390 px layout, axe-core): the built `adboard` binary in sandbox mode (temp SQLite, free loopback port) driven
# by Chromium through playwright-core (scripts/node/browser-e2e.mjs). Also checks that the app's
# log never contains an OAuth code or state. Exits non-zero on failure.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

cargo build --quiet -p adboard-web --bin adboard --locked
[ -d scripts/node/node_modules/playwright-core ] && [ -d scripts/node/node_modules/axe-core ] || (cd scripts/node && npm ci --silent --no-audit --no-fund)

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
APP_PID=
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A clean environment: no provider variables leak in, so this is sandbox mode.
env -i PATH="$PATH" HOME="$HOME" RUST_LOG=info BIND_ADDR="127.0.0.1:$PORT" STORE_URL="sqlite://$WORK/adboard.db" \
  timeout 300 "$TARGET/debug/adboard" >"$WORK/app.log" 2>&1 &
APP_PID=$!

deadline=$((SECONDS + 60))
until curl -s -o /dev/null "http://127.0.0.1:$PORT/health"; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "adboard did not start:" >&2; cat "$WORK/app.log" >&2; exit 1
  fi
  sleep 0.2
done

if ! APP_URL="http://127.0.0.1:$PORT" timeout 180 node scripts/node/browser-e2e.mjs; then
  echo "browser flow failed; app log:" >&2; tail -50 "$WORK/app.log" >&2; exit 1
fi

if grep -E 'code=|state=|nonce=|client_secret' "$WORK/app.log" >/dev/null; then
  echo "the app log contains OAuth parameters:" >&2; grep -E 'code=|state=|nonce=|client_secret' "$WORK/app.log" >&2; exit 1
fi
echo "browser flow passed"
