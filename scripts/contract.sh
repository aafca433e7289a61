#!/usr/bin/env bash
# The contract check: every response of the running service must conform to the published
# OpenAPI document. Starts a demo server on a fresh database and runs schemathesis 4 over every
# operation, as the demo district administrator, with the checks below and the stateful phase;
# fails on any failure or error. See docs/CONTRACT.md.
#
#   scripts/contract.sh [sqlite|postgres|both]     (default both)
#
# Environment:
#   CONTRACT_MAX_EXAMPLES  test cases per operation and phase (default 10: both engines in 4–6
#                          minutes on the 2-core CI machine)
#   CONTRACT_PG_URL        the PostgreSQL server whose scratch database `jiaoyan_contract` is
#                          dropped and created (default: the server of JIAOYAN_TEST_PG_URL,
#                          postgres://postgres@127.0.0.1:5432)
#   CONTRACT_PORT          the port the service listens on (default 8098)
#   CONTRACT_SEED          schemathesis' random seed (default: a new one each run, printed)
#   JIAOYAN_*              passed on to the service as they are, e.g. the login throttle's
#                          settings; CONTRACT_SERVICE_ENV adds more (`NAME=value NAME=value`)
#
# Needs python3 with the venv module (Debian: `apt-get install python3-venv`); schemathesis is
# installed from PyPI into target/venv, pinned, once. The server's logs and schemathesis' JUnit
# report are kept in target/contract/.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
ENGINES="${1:-both}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-10}"
PORT="${CONTRACT_PORT:-8098}"
TEST_PG_URL="${JIAOYAN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${CONTRACT_PG_URL:-${TEST_PG_URL%/*}}"
PG_DB="jiaoyan_contract"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection"
PHASES="examples,coverage,fuzzing,stateful"
case "$ENGINES" in
  sqlite | postgres | both) ;;
  *) echo "usage: scripts/contract.sh [sqlite|postgres|both]" >&2; exit 2 ;;
esac

# --- schemathesis, pinned, in a cached virtual environment -----------------------------------
# CPython 3.11.0–3.11.7 and 3.12.0–3.12.1 share one AST recursion counter between threads
# (cpython gh-106905): hypothesis parses lambdas' source while describing strategies, and with
# two workers a run fails at random with "SystemError: AST constructor recursion depth
# mismatch". So the environment is built with an interpreter that has the fix, when the machine
# has one (python3, python3.13, python3.12, pyenv's versions); with none, one worker runs.
VENV="target/venv"
python_fixed() { # an interpreter without the AST race, and with the venv module
  "$1" -c 'import sys, venv
v = sys.version_info
sys.exit(0 if v >= (3, 13) or (v[:2] == (3, 12) and v >= (3, 12, 2)) or (v[:2] == (3, 11) and v >= (3, 11, 8)) else 1)' 2>/dev/null
}
PYTHON=""
for candidate in python3 python3.13 python3.12 python3.11 \
  "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/*/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && python_fixed "$candidate"; then
    PYTHON="$candidate"
    break
  fi
done
WORKERS=2
if [ -z "$PYTHON" ]; then
  PYTHON=python3
  WORKERS=1
  echo "note: no python3 here has the fix for cpython gh-106905; schemathesis runs one worker"
fi
# An environment built earlier with an interpreter that lacks the fix is built again.
if [ -x "$VENV/bin/python" ] && [ "$WORKERS" = 2 ] && ! python_fixed "$VENV/bin/python"; then
  rm -rf "$VENV"
fi
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 lacks the venv module until python3-venv is installed: do it as root.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "python3 has no venv module: installing python3-venv with apt-get"
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    fi
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
      echo "FAIL: python3 cannot create a virtual environment; install it with: apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build -q -p api
mkdir -p target/contract
WORK="$(mktemp -d)"
SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# One engine: a fresh database, the demo district, a token, then schemathesis.
run_engine() {
  local engine="$1" database_url
  case "$engine" in
    sqlite) database_url="sqlite://$WORK/contract.db?mode=rwc" ;;
    postgres)
      psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null &&
        psql "$PG_BASE/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null ||
        { echo "FAIL: cannot create the database $PG_DB at $PG_BASE" >&2; return 1; }
      database_url="$PG_BASE/$PG_DB"
      ;;
  esac
  local log="target/contract/server-$engine.log"
  if curl -s -o /dev/null "127.0.0.1:$PORT/"; then
    echo "FAIL: something already listens on port $PORT (set CONTRACT_PORT)" >&2
    return 1
  fi
  # Extra settings (the login throttle's, say) come from the caller's environment: JIAOYAN_*
  # variables are inherited, CONTRACT_SERVICE_ENV adds more.
  # shellcheck disable=SC2086
  env ${CONTRACT_SERVICE_ENV:-} DATABASE_URL="$database_url" JIAOYAN_ADDR="127.0.0.1:$PORT" \
    JIAOYAN_DEMO_PASSWORD="Jy4-contract-Rv8q-Lm2x" JIAOYAN_ACCESS_TOKEN_TTL=7200 \
    JIAOYAN_JWT_SECRET="contract-secret-of-at-least-32-bytes" JIAOYAN_LOG="${JIAOYAN_LOG:-warn}" \
    target/debug/jiaoyan --demo >"$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 90); do curl -sf "127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
  if ! curl -sf "127.0.0.1:$PORT/health" >/dev/null; then
    echo "FAIL: the service did not start on $engine; the end of $log:" >&2
    tail -n 20 "$log" >&2
    stop_server
    return 1
  fi
  local token
  token=$(curl -sf -X POST "127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"username":"luotian-admin","password":"Jy4-contract-Rv8q-Lm2x"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') || token=""
  # (`set -e` does not apply inside a function called with `||`: every step checks itself.)
  if [ -z "$token" ]; then
    echo "FAIL: the demo district administrator could not log in on $engine (see $log)" >&2
    stop_server
    return 1
  fi
  local seed=("--seed" "${CONTRACT_SEED:-$RANDOM$RANDOM}")
  echo "== contract on $engine: $MAX_EXAMPLES examples per operation, ${seed[*]}"
  local status=0
  # The hooks make the bodies schemathesis cannot make itself (the CSV import's zips).
  SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH="scripts${PYTHONPATH:+:$PYTHONPATH}" \
    "$VENV/bin/st" run "http://127.0.0.1:$PORT/api-docs/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks "$CHECKS" --phases "$PHASES" --max-examples "$MAX_EXAMPLES" "${seed[@]}" \
    --workers "$WORKERS" --request-timeout 60 --generation-database none --no-color \
    --report junit --report-junit-path "target/contract/junit-$engine.xml" || status=$?
  stop_server
  if [ "$engine" = postgres ]; then
    psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null || true
  fi
  return "$status"
}

failed=()
for engine in sqlite postgres; do
  if [ "$ENGINES" = both ] || [ "$ENGINES" = "$engine" ]; then
    run_engine "$engine" || failed+=("$engine")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAIL: the contract check failed on: ${failed[*]} (server logs in target/contract/)" >&2
  exit 1
fi
echo "contract: every response conformed to the OpenAPI document"
