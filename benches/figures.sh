#!/usr/bin/env bash
# Prints the figures README.md's "Performance" section quotes, in the order it quotes them:
# builds every benchmark in release mode once, then runs each in turn. Take the figures on a
# machine that is otherwise idle; the README says which machine its figures come from.
# Usage: benches/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."

benches=(server_throughput entra_cycle okta_provisioning suite micro)
cargo bench --no-run "${benches[@]/#/--bench=}"
cargo build --release --quiet --bin scimsim
scimsim=${CARGO_TARGET_DIR:-target}/release/scimsim

run() {
  printf '\n== cargo bench --bench %s\n' "$1"
  cargo bench --quiet --bench "$1"
}

run server_throughput
run entra_cycle
run okta_provisioning
printf '\n== scimsim load --idp entra --users 100000\n'
"$scimsim" load --idp entra --users 100000
for idp in entra okta; do
  printf '\n== scimsim load --idp %s --users 100000 --baseline\n' "$idp"
  "$scimsim" load --idp "$idp" --users 100000 --baseline
done
run suite
run micro
