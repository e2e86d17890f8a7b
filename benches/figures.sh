#!/usr/bin/env bash
# Prints the figures README.md's "Performance" section quotes, in the order it quotes them:
# builds every benchmark in release mode once, then runs each in turn. Take the figures on a
# machine that is otherwise idle; the README says which machine its figures come from.
# Usage: benches/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."

benches=(server_throughput entra_cycle okta_provisioning suite micro)
cargo bench --no-run "${benches[@]/#/--bench=}"

run() {
  printf '\n== cargo bench --bench %s\n' "$1"
  cargo bench --quiet --bench "$1"
}

run server_throughput
# Load mode (issue 8): `scimsim load --idp entra --users 100000` goes here, run with the
# release binary the build above made (${CARGO_TARGET_DIR:-target}/release/scimsim).
run entra_cycle
run okta_provisioning
run suite
run micro
