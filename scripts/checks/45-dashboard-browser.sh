#!/usr/bin/env bash
# The dashboard in Chromium (scripts/node/browser-e2e.mjs, its dashboard step on its own): the
# built `adboard` binary in sandbox mode, Alice signed in once with curl, a connected team seeded
# into its store (bench/dashboard/seed.rs), then the browser signs in as Alice and checks cards =
# the function's JSON, drawn charts, a preset change and CSV = table, with screenshots at 1280 and
# 390 px in $SCREENSHOT_DIR (default: a temp folder, removed). No token may appear in the app log.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
export TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
. "$ROOT/scripts/lib/dashboard-world.sh"

cargo build --quiet -p adboard-web --bin adboard --example seed_dashboard --locked
[ -d scripts/node/node_modules/playwright-core ] || (cd scripts/node && npm ci --silent --no-audit --no-fund)

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN_KEY="q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms="
APP_PID=
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

env -i PATH="$PATH" HOME="$HOME" RUST_LOG=info BIND_ADDR="127.0.0.1:$PORT" STORE_URL="sqlite://$WORK/adboard.db" \
  TOKEN_ENCRYPTION_KEY="$TOKEN_KEY" timeout 300 "$TARGET/debug/adboard" >"$WORK/app.log" 2>&1 &
APP_PID=$!
APP="http://127.0.0.1:$PORT"
deadline=$((SECONDS + 60))
until curl -s -o /dev/null "$APP/health"; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$APP_PID" 2>/dev/null; then cat "$WORK/app.log" >&2; exit 1; fi
  sleep 0.2
done
sandbox_sign_in "$APP" "$WORK/jar" >/dev/null
TEAM=$(seed_dashboard "sqlite://$WORK/adboard.db" "$TOKEN_KEY" "$(app_sandbox_url "$WORK/app.log")")

SHOTS=${SCREENSHOT_DIR:-$WORK/shots}
mkdir -p "$SHOTS"
if ! APP_URL="$APP" DASHBOARD_TEAM="$TEAM" SCREENSHOT_DIR="$SHOTS" timeout 180 node scripts/node/browser-e2e.mjs; then
  echo "dashboard browser check failed; app log:" >&2; tail -50 "$WORK/app.log" >&2; exit 1
fi
for width in 1280 390; do [ -s "$SHOTS/dashboard-$width.png" ] || { echo "no screenshot at $width px" >&2; exit 1; }; done
if grep -Eqi 'bearer|access_token|EAA' "$WORK/app.log"; then
  echo "the app log mentions a token:" >&2; grep -Ei 'bearer|access_token|EAA' "$WORK/app.log" >&2; exit 1
fi
echo "dashboard browser check passed"
