#!/usr/bin/env bash
# Spec fuzzing: runs schemathesis against a fresh demo server, as the demo district administrator,
# and fails if any generated request gets a 5xx or a dropped connection.
#   scripts/fuzz-spec.sh [max-examples per operation, default 30]
#   FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fuzz scripts/fuzz-spec.sh   (an EMPTY
#   database: PostgreSQL enforces column lengths that SQLite ignores, so run both)
# Needs Python with `pip install schemathesis` (done here when missing). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_EXAMPLES="${1:-30}"
PORT="${FUZZ_PORT:-8097}"
WORK="$(mktemp -d)"
# The server's log is kept as target/fuzz-server.log: a 500's cause is logged there.
trap 'kill "$SERVER" 2>/dev/null || true; cp "$WORK/server.log" target/fuzz-server.log 2>/dev/null; rm -rf "$WORK"' EXIT

command -v st >/dev/null || pip install -q schemathesis
cargo build -q -p api
DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite://$WORK/fuzz.db?mode=rwc}" JIAOYAN_ADDR="127.0.0.1:$PORT" JIAOYAN_DEMO_PASSWORD=Luotian-demo-Lq4wN8pe \
  JIAOYAN_ACCESS_TOKEN_TTL=3600 JIAOYAN_JWT_SECRET=fuzz-secret-of-at-least-32-bytes!! JIAOYAN_LOG=warn target/debug/jiaoyan --demo >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 30); do curl -sf "127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
TOKEN=$(curl -sf -X POST "127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"luotian-admin","password":"Luotian-demo-Lq4wN8pe"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# The hooks make the request bodies schemathesis cannot make itself (the CSV import's zips).
SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH="scripts${PYTHONPATH:+:$PYTHONPATH}" \
  st run "http://127.0.0.1:$PORT/api-docs/openapi.json" -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error --max-examples "$MAX_EXAMPLES" --workers 2
