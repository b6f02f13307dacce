#!/usr/bin/env bash
# Fuzzes every parser that reads outside input for a few seconds per target (scripts/fuzz.sh 3):
# any crash or broken property fails the test command. A long run is done by hand, e.g.
# `scripts/fuzz.sh 600`. The fuzz crate is not a workspace member, so its formatting is checked here.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo fmt --manifest-path fuzz/Cargo.toml --check
# A fixed seed: the same short run on every CI machine (a long run by hand explores at random).
FUZZ_SEED=${FUZZ_SEED:-1} bash scripts/fuzz.sh "${FUZZ_SECONDS:-3}"
