#!/usr/bin/env bash
# Benchmark: `GET /profile` (signed in, SQLite store) against a hello-world actix handler
# (the web crate's `bench_hello` example), measured in the same run with wrk at 64 connections on loopback.
# Targets (issue 4): profile throughput >= 50 % of hello's, profile p99 <= 20 ms.
# Usage: bench/web/run.sh [SECONDS per run, default 10]. Exits 1 if a target is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-10}
CONNECTIONS=64
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --quiet --release -p adboard-web --bin adboard --example bench_hello --locked
BIN=$TARGET/release/adboard
HELLO_BIN=$TARGET/release/examples/bench_hello

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() {
  local deadline=$((SECONDS + 30))
  until curl -s -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "server at $1 did not start" >&2; exit 1; }
    sleep 0.2
  done
}

HELLO_PORT=$(free_port)
APP_PORT=$(free_port)
env -i PATH="$PATH" BIND_ADDR="127.0.0.1:$HELLO_PORT" timeout 600 "$HELLO_BIN" >"$WORK/hello.log" 2>&1 &
PIDS+=($!)
env -i PATH="$PATH" RUST_LOG=warn BIND_ADDR="127.0.0.1:$APP_PORT" STORE_URL="sqlite://$WORK/bench.db" \
  timeout 600 "$BIN" >"$WORK/app.log" 2>&1 &
PIDS+=($!)
APP="http://127.0.0.1:$APP_PORT"
wait_up "http://127.0.0.1:$HELLO_PORT/"
wait_up "$APP/health"

# Sign in with the sandbox as Alice, like a browser: login page → POST /login/sandbox → picker → callback.
JAR=$WORK/cookies
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$APP/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
PICKER=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$CSRF" --data-urlencode "next=/" "$APP/login/sandbox")
REQUEST=$(curl -s "$PICKER" | sed -n 's/.*name="request" value="\([^"]*\)".*/\1/p' | head -1)
CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' --data-urlencode "request=$REQUEST" -d user=alice -d action=continue "$PICKER")
curl -s -o /dev/null -c "$JAR" -b "$JAR" "$CALLBACK"
COOKIE=$(awk '$6 == "adboard_session" { print $7 }' "$JAR")
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: adboard_session=$COOKIE" "$APP/profile")
[ "$STATUS" = 200 ] || { echo "could not sign in for the benchmark (GET /profile → $STATUS)" >&2; exit 1; }

# run_wrk URL [HEADER]: prints "RPS P99_MS"
run_wrk() {
  local out
  if [ $# -gt 1 ]; then
    out=$(timeout $((DURATION + 30)) wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -H "$2" "$1")
  else
    out=$(timeout $((DURATION + 30)) wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency "$1")
  fi
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1; fi
  local rps p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2;
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      print v }')
  echo "$rps $p99"
}

read -r HELLO_RPS HELLO_P99 < <(run_wrk "http://127.0.0.1:$HELLO_PORT/")
read -r PROFILE_RPS PROFILE_P99 < <(run_wrk "$APP/profile" "Cookie: adboard_session=$COOKIE")
# For reading the figure: the app's floor — every middleware plus opening the encrypted session
# cookie, with a handler that does nothing else (GET /health with the same cookie).
read -r FLOOR_RPS FLOOR_P99 < <(run_wrk "$APP/health" "Cookie: adboard_session=$COOKIE")

RATIO=$(awk -v p="$PROFILE_RPS" -v h="$HELLO_RPS" 'BEGIN { printf "%.1f", 100 * p / h }')
printf 'hello-world  : %10.0f req/s   p99 %7.2f ms\n' "$HELLO_RPS" "$HELLO_P99"
printf 'GET /health  : %10.0f req/s   p99 %7.2f ms   (middleware + session cookie only, for reference)\n' "$FLOOR_RPS" "$FLOOR_P99"
printf 'GET /profile : %10.0f req/s   p99 %7.2f ms\n' "$PROFILE_RPS" "$PROFILE_P99"
printf 'profile/hello: %s %% of hello throughput (target >= 50 %%), p99 target <= 20 ms, %d connections, %ss each\n' \
  "$RATIO" "$CONNECTIONS" "$DURATION"
awk -v r="$RATIO" -v p="$PROFILE_P99" 'BEGIN { exit !(r >= 50 && p <= 20) }' \
  && echo "benchmark targets met" || { echo "benchmark targets MISSED"; exit 1; }
