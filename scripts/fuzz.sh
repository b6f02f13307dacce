#!/usr/bin/env bash
# Fuzzes every parser that reads outside input: builds the fuzz targets once (cargo-fuzz on the
# stable toolchain with RUSTC_BOOTSTRAP=1, no sanitizer), runs each for SECONDS (default 10) on its
# checked-in seeds (fuzz/seeds/<target>) plus a working corpus under fuzz/target, prints executions
# and crashes per target, and exits non-zero if any target crashed or broke its property.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]   run all targets (or the named ones) for SECONDS each
#   scripts/fuzz.sh --minimise            rewrite fuzz/seeds from fuzz/make_seeds.py, minimised
#   FUZZ_RUNS=10000000 scripts/fuzz.sh 900  the long run: each target stops after 10 million
#                                         executions or 900 s, whichever comes first
#
# A crash leaves its input in fuzz/artifacts/<target>/; replay it with
# `fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ=$ROOT/fuzz
BIN=$FUZZ/target/x86_64-unknown-linux-gnu/release
export RUSTC_BOOTSTRAP=1

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

mkdir -p "$FUZZ/target"
echo "==> building fuzz targets"
build_started=$SECONDS
(cd "$ROOT" && cargo fuzz build --sanitizer none) >"$FUZZ/target/build.log" 2>&1 || {
  cat "$FUZZ/target/build.log" >&2
  exit 1
}
echo "    built in $((SECONDS - build_started)) s"
mapfile -t ALL < <(cd "$ROOT" && cargo fuzz list)

if [ "${1:-}" = "--minimise" ]; then
  # The generated seeds plus those checked in (what earlier runs found), merged to a minimal set.
  generated=$FUZZ/target/seeds-generated
  python3 "$FUZZ/make_seeds.py" "$generated"
  for target in "${ALL[@]}"; do
    raw=$FUZZ/target/seeds-raw/$target
    rm -rf "$raw" && mkdir -p "$raw" "$FUZZ/seeds/$target"
    cp "$generated/$target"/* "$raw"/
    find "$FUZZ/seeds/$target" -type f -exec mv -t "$raw" {} +
    "$BIN/$target" -merge=1 "$FUZZ/seeds/$target" "$raw" >/dev/null 2>&1
    echo "$target: $(find "$raw" -type f | wc -l) inputs -> $(find "$FUZZ/seeds/$target" -type f | wc -l) seeds"
  done
  exit 0
fi

SECONDS_EACH=${1:-10}
shift || true
TARGETS=("${@:-${ALL[@]}}")
LOGS=$FUZZ/target/logs
mkdir -p "$LOGS"
failed=0
printf '\n%-26s %14s %10s %8s\n' target executions exec/s crashes
for target in "${TARGETS[@]}"; do
  corpus=$FUZZ/target/corpus/$target
  artifacts=$FUZZ/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  # libFuzzer takes one dictionary: join the ones that fit the target's input.
  case $target in
    function_request) dicts=(request json) ;;
    graph_* | usage_headers) dicts=(graph json) ;;
    *) dicts=() ;;
  esac
  dict=()
  if [ "${#dicts[@]}" -gt 0 ]; then
    mkdir -p "$FUZZ/target/dicts"
    for d in "${dicts[@]}"; do cat "$FUZZ/dicts/$d.dict"; done >"$FUZZ/target/dicts/$target.dict"
    dict=(-dict="$FUZZ/target/dicts/$target.dict")
  fi
  status=0
  runs=()
  if [ -n "${FUZZ_RUNS:-}" ]; then runs=(-runs="$FUZZ_RUNS"); fi
  # FUZZ_SEED=N: libFuzzer's random seed, so a short run (the test command's) repeats itself.
  if [ -n "${FUZZ_SEED:-}" ]; then runs+=(-seed="$FUZZ_SEED"); fi
  "$BIN/$target" -max_total_time="$SECONDS_EACH" "${runs[@]}" -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$FUZZ/seeds/$target" \
    >"$LOGS/$target.log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$target.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOGS/$target.log" | tail -1)
  # libFuzzer's final stats are sometimes cut off; its last status line says the same.
  last=$(grep -a -E '^#[0-9]+[[:space:]]' "$LOGS/$target.log" | tail -1 || true)
  : "${execs:=$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$last")}"
  : "${rate:=$(sed -E -n 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")}"
  crashes=$(($(find "$artifacts" -type f | wc -l) - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  printf '%-26s %14s %10s %8s\n' "$target" "${execs:-?}" "${rate:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    grep -E "panicked at|^SUMMARY|Test unit written|ERROR:" "$LOGS/$target.log" | head -5 | sed 's/^/    /' >&2
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found crashes or property failures (inputs in fuzz/artifacts/, logs in fuzz/target/logs/)" >&2
  exit 1
fi
