#!/usr/bin/env bash
# Benchmarks get_facebook_data against the sandbox and prints the issue's figures:
#  1. time per request for 30 and 365 days at 0 ms and 300 ms upstream latency, the sandbox's own
#     time for the same Graph request at 0 ms (and our overhead over it), Graph calls per request
#     (cold/warm) — `cargo bench -p get_facebook_data --bench latency` (sandbox in-process);
#  2. process start to ready and RSS after BENCH_REQUESTS (default 1,000) invocations of the real
#     release binary, driven through a local Lambda Runtime API (fake_runtime.py) against the
#     sandbox binary on 127.0.0.1.
# Every loop is bounded in count and time; the sandbox is started with `timeout` and killed by PID.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
REQUESTS=${BENCH_REQUESTS:-1000}
STARTS=${BENCH_STARTS:-5}

echo "== time per request (handler in-process, sandbox in-process, release build)"
cargo bench --quiet -p get_facebook_data --bench latency

echo
echo "== process start to ready, RSS after $REQUESTS invocations (release binary, fake Runtime API)"
cargo build --quiet --release -p adboard-sandbox -p get_facebook_data
WORK=$(mktemp -d)
timeout 900 "$TARGET/release/adboard-sandbox" --port 0 --require-appsecret-proof >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE=""
for _ in $(seq 1 300); do
  BASE=$(sed -n 's/^adboard-sandbox listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$WORK/sandbox.log")
  [ -n "$BASE" ] && break
  sleep 0.1
done
[ -n "$BASE" ] || { cat "$WORK/sandbox.log" >&2; echo "sandbox did not start" >&2; exit 1; }
TOKEN=$(curl -sf -X POST "$BASE/__sandbox/token?user=alice" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# A function-URL event for the last 365 days (the heavier case).
python3 - "$ROOT/functions/get_facebook_data/events/function-url-get.json" "$WORK/event.json" <<'PY'
import datetime, json, sys
e = json.load(open(sys.argv[1]))
until = datetime.date.today() - datetime.timedelta(days=1)
since = until - datetime.timedelta(days=364)
q = {"account_id": "1234567890", "since": since.isoformat(), "until": until.isoformat()}
e["rawQueryString"] = "&".join(f"{k}={v}" for k, v in q.items())
e["queryStringParameters"] = q
json.dump(e, open(sys.argv[2], "w"))
PY

python3 bench/get_facebook_data/fake_runtime.py "$TARGET/release/get_facebook_data" "$BASE" "$TOKEN" \
  "$WORK/event.json" "$REQUESTS" "$STARTS" | python3 -c '
import json, statistics, sys
r = json.loads(sys.stdin.read())
print("start to ready (ms), %d starts: %s  median %.2f ms" % (len(r["start_to_ready_ms"]), r["start_to_ready_ms"], statistics.median(r["start_to_ready_ms"])))
print("RSS after %d invocations of 365 days: %.1f MB (%d kB); ok %d, errors %d" % (r["invocations"], r["rss_kb_after"] / 1024, r["rss_kb_after"], r["ok"], r["errors"]))
'
