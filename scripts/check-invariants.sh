#!/usr/bin/env bash
# The dependency invariants of ARCHITECTURE.md, checked with `cargo tree`: each pair below must
# have no normal-dependency path from the crate to the forbidden package.
set -euo pipefail
cd "$(dirname "$0")/.."

forbid() { # crate forbidden [features-args...]
  local crate=$1 forbidden=$2; shift 2
  local out err
  # A typo in a name would make the check pass vacuously: both names must be in the lockfile.
  for name in "$crate" "$forbidden"; do
    grep -qx "name = \"$name\"" Cargo.lock || { echo "unknown package in invariant: $name"; return 1; }
  done
  err=$(mktemp)
  out=$(cargo tree --locked -p "$crate" -e normal -i "$forbidden" "$@" 2>"$err") || {
    # cargo exits 101 when the package is absent from this crate's graph: that is a pass.
    grep -q "did not match any packages" "$err" || { cat "$err"; rm -f "$err"; return 1; }
  }
  rm -f "$err"
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
