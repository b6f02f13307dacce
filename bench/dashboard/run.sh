#!/usr/bin/env bash
# Benchmark of the dashboard (issue 10), release build, loopback only, every run bounded:
#  1. cache off (DASHBOARD_CACHE_SECONDS=0), function in-process, sandbox at 0 ms: 30-day dashboard
#     data (GET /dashboard/data.json?preset=last_30d: the range and the previous 30 days) with wrk at
#     32 connections — req/s and p99 (targets >= 1,000 req/s, p99 <= 25 ms); the HTML page too;
#  2. cache on (the default 5 minutes): the same request (target >= 20,000 req/s);
#  3. a 300 ms sandbox delay on every Graph call: a 365-day dashboard load, both periods
#     (target <= 0.4 s: the two periods fetched concurrently, one Graph round trip each).
# Usage: bench/dashboard/run.sh [SECONDS per wrk run, default 10]. Exits 1 if a target is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-10}
CONNECTIONS=32
export TARGET=${CARGO_TARGET_DIR:-$ROOT/target} SEED_PROFILE=release
TOKEN_KEY="q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms="
. "$ROOT/scripts/lib/dashboard-world.sh"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --quiet --release -p adboard-web --bin adboard --example seed_dashboard --locked

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME CACHE_SECONDS: an app in sandbox mode; sets APP_<NAME>, SANDBOX_<NAME>, COOKIE_<NAME>, TEAM_<NAME>.
start() {
  local name=$1 cache=$2 port
  port=$(free_port)
  env -i PATH="$PATH" RUST_LOG="warn,adboard_web::startup=info" BIND_ADDR="127.0.0.1:$port" STORE_URL="sqlite://$WORK/$name.db" \
    TOKEN_ENCRYPTION_KEY="$TOKEN_KEY" DASHBOARD_CACHE_SECONDS="$cache" \
    timeout 900 "$TARGET/release/adboard" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  local app="http://127.0.0.1:$port" deadline=$((SECONDS + 30))
  until curl -s -o /dev/null "$app/health"; do
    [ $SECONDS -lt $deadline ] || { echo "app $name did not start" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  local sandbox cookie team
  sandbox=$(app_sandbox_url "$WORK/$name.log")
  cookie=$(sandbox_sign_in "$app" "$WORK/$name.jar")
  team=$(seed_dashboard "sqlite://$WORK/$name.db" "$TOKEN_KEY" "$sandbox")
  printf -v "APP_$name" %s "$app"; printf -v "SANDBOX_$name" %s "$sandbox"
  printf -v "COOKIE_$name" %s "$cookie"; printf -v "TEAM_$name" %s "$team"
}

# run_wrk URL COOKIE: prints "RPS P99_MS"; fails on any non-2xx answer.
run_wrk() {
  local out rps p99
  out=$(timeout $((DURATION + 30)) wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -H "Cookie: adboard_session=$2" "$1")
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1; fi
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2;
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      print v }')
  echo "$rps $p99"
}

start off 0
start on 300
DATA_OFF="$APP_off/dashboard/data.json?team=$TEAM_off&preset=last_30d"
PAGE_OFF="$APP_off/dashboard?team=$TEAM_off&preset=last_30d"
DATA_ON="$APP_on/dashboard/data.json?team=$TEAM_on&preset=last_30d"
for url in "$DATA_OFF" "$PAGE_OFF"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: adboard_session=$COOKIE_off" "$url")" = 200 ] || { echo "warm-up of $url failed" >&2; exit 1; }
done
curl -s -o /dev/null -H "Cookie: adboard_session=$COOKIE_on" "$DATA_ON"

read -r OFF_RPS OFF_P99 < <(run_wrk "$DATA_OFF" "$COOKIE_off")
read -r PAGE_RPS PAGE_P99 < <(run_wrk "$PAGE_OFF" "$COOKIE_off")
read -r ON_RPS ON_P99 < <(run_wrk "$DATA_ON" "$COOKIE_on")

# 365 days with every Graph call 300 ms slower (the cache is off on this app).
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
  --data '{"kind": "slow", "delay_ms": 300}' "$SANDBOX_off/__sandbox/faults"
UNTIL=$(python3 -c 'import datetime; print(datetime.date.today() - datetime.timedelta(days=1))')
SINCE=$(python3 -c 'import datetime; print(datetime.date.today() - datetime.timedelta(days=365))')
YEAR="$APP_off/dashboard/data.json?team=$TEAM_off&since=$SINCE&until=$UNTIL"
LOADS=()
for _ in 1 2 3 4 5; do
  LOADS+=("$(curl -s -o "$WORK/year.json" -w '%{http_code} %{time_total}' -m 10 -H "Cookie: adboard_session=$COOKIE_off" "$YEAR")")
done
YEAR_WORST=$(printf '%s\n' "${LOADS[@]}" | awk '$1 != 200 { bad = 1 } { if ($2 > m) m = $2 } END { if (bad) print "error"; else printf "%.3f", m }')
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rows"]) == 365 and d["previous"], d.get("error")' "$WORK/year.json"

printf '30-day data, cache off : %8.0f req/s   p99 %7.2f ms   (targets >= 1000 req/s, p99 <= 25 ms; %d connections, %ss)\n' "$OFF_RPS" "$OFF_P99" "$CONNECTIONS" "$DURATION"
printf '30-day page, cache off : %8.0f req/s   p99 %7.2f ms   (the HTML page, for reference)\n' "$PAGE_RPS" "$PAGE_P99"
printf '30-day data, cache on  : %8.0f req/s   p99 %7.2f ms   (target >= 20000 req/s)\n' "$ON_RPS" "$ON_P99"
YEAR_TIMES=$(printf '%s ' "${LOADS[@]}" | awk '{ for (i = 2; i <= NF; i += 2) printf "%s ", $i }')
YEAR_MEDIAN=$(echo "$YEAR_TIMES" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }')
printf '365-day load, 300 ms Graph delay, both periods: worst of 5 %s s, median %s s (%s) (target <= 0.4 s, judged on the worst)\n' \
  "$YEAR_WORST" "$YEAR_MEDIAN" "$YEAR_TIMES"
echo "machine load while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
awk -v a="$OFF_RPS" -v b="$OFF_P99" -v c="$ON_RPS" -v y="$YEAR_WORST" \
  'BEGIN { exit !(a >= 1000 && b <= 25 && c >= 20000 && y != "error" && y <= 0.4) }' \
  && echo "benchmark targets met" || { echo "benchmark targets MISSED"; exit 1; }
