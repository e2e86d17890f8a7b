#!/usr/bin/env bash
# Throughput of the reference server answering GET /Users/{id} over loopback, measured with wrk
# (Debian/Ubuntu: apt-get install wrk). Builds and runs the release binary; prints wrk's report.
# Usage: benches/server-get.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "benches/server-get.sh needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "benches/server-get.sh needs curl" >&2; exit 2; }

cargo build --release --quiet --bin scimsim
binary=${CARGO_TARGET_DIR:-target}/release/scimsim
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

SCIMSIM_BENCH_TOKEN=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
export SCIMSIM_BENCH_TOKEN
"$binary" serve --addr 127.0.0.1:0 --token-env SCIMSIM_BENCH_TOKEN >"$work/serve.out" &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^SCIMSIM_TARGET_URL=//p' "$work/serve.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "scimsim serve did not start" >&2; exit 1; }

auth="Authorization: Bearer $SCIMSIM_BENCH_TOKEN"
created=$(curl -sf -X POST "$url/Users" -H "$auth" -H 'Content-Type: application/scim+json' -d '{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "userName": "bjensen@example.com", "externalId": "bjensen", "active": true,
  "name": {"givenName": "Barbara", "familyName": "Jensen", "formatted": "Ms. Barbara J Jensen III"},
  "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tour Operations", "employeeNumber": "701984"}
}')
id=$(printf '%s' "$created" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || { echo "could not create the user: $created" >&2; exit 1; }

echo "GET $url/Users/$id for ${seconds}s over $connections connections on $(nproc) cores"
wrk --latency -t 2 -c "$connections" -d "${seconds}s" -H "$auth" "$url/Users/$id"
