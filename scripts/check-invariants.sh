#!/usr/bin/env bash
# The dependency invariants of ARCHITECTURE.md, checked with `cargo tree`: each pair below must
# have no normal-dependency path from the crate to the forbidden package.
set -euo pipefail
cd "$(dirname "$0")/.."

forbid() { # crate forbidden [features-args...]
  local crate=$1 forbidden=$2; shift 2
  local out
  out=$(cargo tree --locked -p "$crate" -e normal -i "$forbidden" "$@" 2>/dev/null || true)
  if [ -n "$out" ]; then
    echo "invariant broken: $crate depends on $forbidden:"; echo "$out" | head -20; return 1
  fi
  echo "ok: $crate does not depend on $forbidden"
}

forbid get_facebook_data actix-web
forbid get_facebook_data tera
forbid get_facebook_data rusqlite
forbid get_facebook_data adboard-sandbox
forbid adboard-facebook adboard-sandbox
forbid adboard-sandbox adboard-facebook
forbid adboard-sandbox adboard-domain
forbid adboard-web lambda_http
forbid adboard-domain tokio
forbid adboard-domain reqwest
