#!/usr/bin/env bash
# get_facebook_data under cargo-lambda: `cargo lambda watch` serves the function against the sandbox
# binary (which requires appsecret_proof); the function URL and `cargo lambda invoke` with the
# example events in functions/get_facebook_data/events/ must answer the JSON contract; then the web
# app, with FUNCTION_URL pointing at that function URL, serves a dashboard whose numbers are the
# function's (the HTTP path end to end: POST JSON, token as a Bearer header).
# Needs: cargo, curl, python3, and cargo-lambda in $ADBOARD_LAMBDA_VENV (default $ROOT/.venv-lambda;
# scripts/test.sh installs it there). Everything binds to 127.0.0.1; both servers are killed by id.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
VENV=${ADBOARD_LAMBDA_VENV:-$ROOT/.venv-lambda}
[ -x "$VENV/bin/cargo-lambda" ] || { echo "no cargo-lambda in $VENV/bin (set ADBOARD_LAMBDA_VENV)" >&2; exit 1; }
# cargo-lambda finds zig through the first python3 on PATH: the venv's must come first.
export PATH="$VENV/bin:$PATH"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
EVENTS=$ROOT/functions/get_facebook_data/events

cargo build --quiet -p adboard-sandbox -p get_facebook_data
# Separately: in one invocation cargo would unify features and give the web the lambda adapter.
cargo build --quiet -p adboard-web --bin adboard --example seed_dashboard

WORK=$(mktemp -d)
SANDBOX_PID="" WATCH_PID="" WEB_PID=""
cleanup() {
  [ -n "$WEB_PID" ] && { kill "$WEB_PID" 2>/dev/null || true; wait "$WEB_PID" 2>/dev/null || true; }
  # cargo lambda watch runs the function as a child: it was started in its own process group.
  [ -n "$WATCH_PID" ] && { kill -- "-$WATCH_PID" 2>/dev/null || true; wait "$WATCH_PID" 2>/dev/null || true; }
  [ -n "$SANDBOX_PID" ] && { kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

timeout 600 "$TARGET/debug/adboard-sandbox" --port 0 --require-appsecret-proof >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
BASE=""
for _ in $(seq 1 300); do
  BASE=$(sed -n 's/^adboard-sandbox listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$WORK/sandbox.log")
  [ -n "$BASE" ] && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.log" >&2; echo "sandbox exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { echo "sandbox did not start" >&2; exit 1; }
TOKEN=$(curl -sf -X POST "$BASE/__sandbox/token?user=alice" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
setsid timeout 600 cargo lambda watch -p get_facebook_data -A 127.0.0.1 -P "$PORT" \
  --env-var "FACEBOOK_GRAPH_URL=$BASE" --env-var FACEBOOK_APP_ID=sandbox-app \
  --env-var FACEBOOK_APP_SECRET=sandbox-secret >"$WORK/watch.log" 2>&1 &
WATCH_PID=$!

URL="http://127.0.0.1:$PORT/lambda-url/get_facebook_data/"
# call NAME EXPECTED_STATUS CURL_ARGS...: the function URL; writes the body to $WORK/NAME.json.
call() {
  local name=$1 expected=$2; shift 2
  local status
  status=$(curl -s -m 120 -o "$WORK/$name.json" -w '%{http_code}' "$@")
  if [ "$status" != "$expected" ]; then
    echo "FAIL $name: HTTP $status, expected $expected" >&2; cat "$WORK/$name.json" >&2; echo >&2
    tail -20 "$WORK/watch.log" >&2; exit 1
  fi
  echo "ok: $name -> HTTP $status"
}
# check NAME PYTHON_EXPR: asserts an expression over the parsed body `b`.
check() {
  python3 - "$WORK/$1.json" "$2" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
assert eval(sys.argv[2]), f"assertion failed: {sys.argv[2]} on {json.dumps(b)[:400]}"
PY
}

# Wait until watch answers (it compiles and starts the function on demand).
for _ in $(seq 1 600); do
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL" || true)
  [ "$code" = "401" ] && break
  kill -0 "$WATCH_PID" 2>/dev/null || { cat "$WORK/watch.log" >&2; echo "cargo lambda watch exited" >&2; exit 1; }
  sleep 0.5
done

call url-get 200 -H "Authorization: Bearer $TOKEN" \
  "$URL?account_id=act_1234567890&since=2026-05-01&until=2026-05-30&conversion_event=purchase"
check url-get 'b["account_id"] == "1234567890" and b["currency"] == "EUR" and b["timezone"] == "Europe/Berlin"'
check url-get 'len(b["data"]) == 30 and b["data"][0]["date"] == "2026-05-01" and b["data"][-1]["date"] == "2026-05-30"'
check url-get 'isinstance(b["totals"]["spend"], (int, float)) and b["totals"]["impressions"] == sum(d["impressions"] for d in b["data"])'

call url-post 200 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data '{"account_id":"1234567890","date_start":"2026-05-01","date_end":"2026-05-07"}' "$URL"
check url-post 'len(b["data"]) == 7 and b["since"] == "2026-05-01"'

call url-no-token 401 "$URL?account_id=1234567890"
check url-no-token 'b["error"]["code"] == "token_invalid"'
call url-bad-account 400 -H "Authorization: Bearer $TOKEN" "$URL?account_id=act_12%2F..%2Fme"
check url-bad-account 'b["error"]["code"] == "invalid_request"'
call url-unknown-account 404 -H "Authorization: Bearer $TOKEN" "$URL?account_id=1111111111&since=2026-05-01&until=2026-05-02"
check url-unknown-account 'b["error"]["code"] == "account_not_found" and "fbtrace_id" in b["error"]'
call url-rate-limited 429 -D "$WORK/headers.txt" -H "Authorization: Bearer $TOKEN" "$URL?account_id=9000080004&since=2026-05-01&until=2026-05-02"
check url-rate-limited 'b["error"]["code"] == "rate_limited" and b["error"]["retry_after"] > 0'
grep -qi '^retry-after: [0-9]' "$WORK/headers.txt" || { echo "FAIL: no Retry-After header" >&2; exit 1; }

for event in function-url-get function-url-post apigw-rest-get; do
  sed "s/SANDBOX_TOKEN/$TOKEN/g" "$EVENTS/$event.json" >"$WORK/$event.event.json"
  timeout 120 cargo lambda invoke get_facebook_data --invoke-address 127.0.0.1 --invoke-port "$PORT" \
    --data-file "$WORK/$event.event.json" >"$WORK/invoke-$event.json"
  python3 - "$WORK/invoke-$event.json" "$event" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["statusCode"] == 200, r
b = json.loads(r["body"])
days = {"function-url-get": 7, "function-url-post": 30, "apigw-rest-get": 3}[sys.argv[2]]
assert len(b["data"]) == days and b["account_id"] == "1234567890" and b["currency"] == "EUR", b
PY
  echo "ok: cargo lambda invoke $event"
done

# The web app calling this function URL: a team connected with a token of the same sandbox.
. "$ROOT/scripts/lib/dashboard-world.sh"
WEB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
WEB="http://127.0.0.1:$WEB_PORT"
TOKEN_KEY="q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms="
env -i PATH="$PATH" HOME="$HOME" RUST_LOG=info BIND_ADDR="127.0.0.1:$WEB_PORT" STORE_URL="sqlite://$WORK/web.db" \
  TOKEN_ENCRYPTION_KEY="$TOKEN_KEY" FUNCTION_URL="$URL" DASHBOARD_CACHE_SECONDS=0 \
  timeout 300 "$TARGET/debug/adboard" >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "$WEB/health" && break; sleep 0.1; done
COOKIE=$(sandbox_sign_in "$WEB" "$WORK/jar")
TEAM=$(TARGET=$TARGET seed_dashboard "sqlite://$WORK/web.db" "$TOKEN_KEY" "$BASE")
call web-data 200 -H "Cookie: adboard_session=$COOKIE" "$WEB/dashboard/data.json?team=$TEAM&since=2026-05-01&until=2026-05-30"
python3 - "$WORK/web-data.json" "$WORK/url-get.json" <<'PY'
import json, sys
web, fn = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert web["series"]["totals"] == fn["totals"], (web["series"]["totals"], fn["totals"])
assert web["series"]["data"] == fn["data"]
cards = {c["key"]: c for c in web["cards"]}
assert float(cards["spend"]["raw"]) == float(fn["totals"]["spend"]), cards["spend"]
assert web["previous"] == {"since": "2026-04-01", "until": "2026-04-30"}, web["previous"]
PY
echo "ok: the web app's dashboard over FUNCTION_URL equals the function's own answer"
call web-page 200 -H "Cookie: adboard_session=$COOKIE" "$WEB/dashboard?team=$TEAM&preset=last_30d"
curl -s -o "$WORK/web.csv" -D "$WORK/csv-headers.txt" -H "Cookie: adboard_session=$COOKIE" "$WEB/dashboard.csv?team=$TEAM&since=2026-05-01&until=2026-05-30"
[ "$(wc -l <"$WORK/web.csv")" = 31 ] || { echo "FAIL: the CSV has $(wc -l <"$WORK/web.csv") lines, expected 31" >&2; exit 1; }
grep -qi '^content-disposition: attachment; filename="adboard-dashboard-bench-2026-05-01-to-2026-05-30.csv"' "$WORK/csv-headers.txt" \
  || { echo "FAIL: CSV headers:" >&2; cat "$WORK/csv-headers.txt" >&2; exit 1; }
echo "ok: the CSV over FUNCTION_URL"
if grep -Eqi 'bearer|access_token' "$WORK/web.log"; then
  echo "FAIL: the web log mentions a token" >&2; grep -Ei 'bearer|access_token' "$WORK/web.log" >&2; exit 1
fi

if grep -q "$TOKEN" "$WORK/watch.log" "$WORK/sandbox.log"; then
  echo "FAIL: the access token appears in a log" >&2; exit 1
fi
echo "cargo-lambda check passed"
