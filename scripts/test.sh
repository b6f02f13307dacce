#!/usr/bin/env bash
# The whole test suite, on a fresh machine: install the real components the tests talk to, start
# them on 127.0.0.1, run every check and test, and stop what was started (by PID) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
LOGDIR=$ROOT/target/test-logs
mkdir -p "$LOGDIR"

step() { printf '\n==> %s\n' "$*"; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# wait_http URL SECONDS: poll until the URL answers (any HTTP status) or fail.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $url" >&2; return 1; fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
step "Installing test tools"
# Python: moto (DynamoDB-compatible server) and Meta's own Graph SDK, in one venv.
if ! .venv-test/bin/python -c "import moto; assert moto.__version__ == '5.2.5'" 2>/dev/null || ! .venv-test/bin/python -c 'import facebook_business' 2>/dev/null; then
  python3 -m venv .venv-test
  .venv-test/bin/pip install --quiet --disable-pip-version-check 'moto[server]==5.2.5' 'facebook_business==25.*'
fi
# cargo-lambda (brings zig) in its own venv; its bin goes first on PATH when it is used.
if [ ! -x .venv-lambda/bin/cargo-lambda ]; then
  python3 -m venv .venv-lambda
  .venv-lambda/bin/pip install --quiet --disable-pip-version-check cargo-lambda
fi
# AWS SAM CLI and cfn-lint (pinned) for the infra check; apart from moto (their boto3 pins clash).
if [ ! -x .venv-sam/bin/sam ] || ! .venv-sam/bin/cfn-lint --version 2>/dev/null | grep -q 1.53.3; then
  python3 -m venv .venv-sam
  .venv-sam/bin/pip install --quiet --disable-pip-version-check aws-sam-cli 'cfn-lint==1.53.3'
fi
# Node: oidc-provider (a real OpenID provider) and playwright-core, pinned by package-lock.json.
(cd scripts/node && npm ci --silent --no-audit --no-fund)
# Debian's Chromium for the browser flow.
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

# ---------------------------------------------------------------------------------------------
step "Formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "The web app built without the sandbox feature refuses to start unconfigured"
cargo build --quiet -p adboard-web --no-default-features --bin adboard --locked
NO_SANDBOX_OUT=$(env -i PATH="$PATH" "${CARGO_TARGET_DIR:-target}/debug/adboard" 2>&1) && {
  echo "the build without the sandbox started with no provider configured" >&2; exit 1; }
echo "$NO_SANDBOX_OUT" | grep -q "has no sandbox" || {
  echo "unexpected refusal message: $NO_SANDBOX_OUT" >&2; exit 1; }
echo "ok: $NO_SANDBOX_OUT"

step "Dependency invariants"
bash scripts/check-invariants.sh
bash scripts/check-module-cycles.sh

# ---------------------------------------------------------------------------------------------
step "Starting local servers"
export AWS_ACCESS_KEY_ID=dummy AWS_SECRET_ACCESS_KEY=dummy AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
MOTO_PORT=${MOTO_PORT:-48000}
timeout 3600 .venv-test/bin/python scripts/moto-server.py -H 127.0.0.1 -p "$MOTO_PORT" >"$LOGDIR/moto.log" 2>&1 &
PIDS+=($!)
export ADBOARD_TEST_DYNAMODB_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
# The web tests that run the app on DynamoDB reach the same server through the standard variable.
export AWS_ENDPOINT_URL_DYNAMODB="$ADBOARD_TEST_DYNAMODB_ENDPOINT"

OIDC_PROVIDER_PORT=${OIDC_PROVIDER_PORT:-43000}
export OIDC_PROVIDER_PORT
timeout 3600 node scripts/node/oidc-provider.mjs >"$LOGDIR/oidc-provider.log" 2>&1 &
PIDS+=($!)
export ADBOARD_TEST_OIDC_ISSUER="http://127.0.0.1:$OIDC_PROVIDER_PORT"

wait_http "$ADBOARD_TEST_DYNAMODB_ENDPOINT/moto-api/" 60
wait_http "$ADBOARD_TEST_OIDC_ISSUER/.well-known/openid-configuration" 60
# The DynamoDB stand-in isolates transactions as DynamoDB does (plain moto fails this).
.venv-test/bin/python scripts/moto-server.test.py

# ---------------------------------------------------------------------------------------------
step "Cargo tests"
cargo test --workspace --locked --no-fail-fast

step "Checks with external tools"
export ROOT
for check in scripts/checks/*.sh; do
  [ -e "$check" ] || continue
  step "check: $check"
  bash "$check"
done

step "All tests passed"
