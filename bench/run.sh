#!/usr/bin/env bash
# The district-scale benchmark of the quota checks (issue 12); see bench/README.md.
#
#   bench/run.sh [--schools N] [--teachers-per-school N] [--profile release|debug]
#                [--engines sqlite,postgres] [--as-of DATE] [--seed N] [--max-pages N]
#                [--results FILE]
#
# Builds `jiaoyan` and `jiaoyan-bench`, generates a fresh county on each engine, starts the
# service on it, adopts every catalogue template as a district rule and measures; prints one
# table (every figure beside its goal, met or missed) and writes bench/results.json. A missed
# goal is not a failure: the script fails only when something breaks (a build, a non-200
# answer, a crash of the service).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHOOLS=100
TEACHERS=60
PROFILE=release
ENGINES=sqlite,postgres
AS_OF=2027-01-15
SEED=7
MAX_PAGES=
RESULTS=bench/results.json
PG_BASE="${JIAOYAN_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --schools) SCHOOLS="$2"; shift 2 ;;
    --teachers-per-school) TEACHERS="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    --engines) ENGINES="$2"; shift 2 ;;
    --as-of) AS_OF="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --max-pages) MAX_PAGES="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 2 ;;
  esac
done
case "$PROFILE" in
  release) CARGO_PROFILE=release ;;
  debug) CARGO_PROFILE=dev ;;
  *) echo "--profile is release or debug" >&2; exit 2 ;;
esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
echo "== building jiaoyan and jiaoyan-bench ($PROFILE)"
cargo build --profile "$CARGO_PROFILE" -p api --bin jiaoyan -p jiaoyan-bench --bin jiaoyan-bench
BIN="$CARGO_TARGET_DIR/$PROFILE"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/jiaoyan-bench.XXXXXX")"
SERVICE_PID=
PG_DB=
cleanup() {
  if [ -n "$SERVICE_PID" ]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DB" ]; then
    psql "$PG_BASE/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

REPORT_ARGS=()
IFS=',' read -r -a ENGINE_LIST <<<"$ENGINES"
for ENGINE in "${ENGINE_LIST[@]}"; do
  case "$ENGINE" in
    sqlite) URL="sqlite://$SCRATCH/bench.db?mode=rwc" ;;
    postgres)
      PG_DB="jiaoyan_bench_$$"
      psql "$PG_BASE/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1
      psql "$PG_BASE/postgres" -qAtc "CREATE DATABASE $PG_DB" >/dev/null
      URL="$PG_BASE/$PG_DB"
      ;;
    *) echo "unknown engine $ENGINE (sqlite, postgres)" >&2; exit 2 ;;
  esac

  echo "== $ENGINE: generating $SCHOOLS schools × $TEACHERS teachers (seed $SEED)"
  "$BIN/jiaoyan-bench" gen --database-url "$URL" --schools "$SCHOOLS" --teachers-per-school "$TEACHERS" \
    --seed "$SEED" --summary-out "$SCRATCH/gen-$ENGINE.json"

  PORT="$("$BIN/jiaoyan-bench" free-port)"
  echo "== $ENGINE: starting the service on 127.0.0.1:$PORT"
  DATABASE_URL="$URL" JIAOYAN_ADDR="127.0.0.1:$PORT" JIAOYAN_BOOTSTRAP_ADMIN="bench:Bench-Hy6cV3tu-county" \
    JIAOYAN_JWT_SECRET="bench-secret-not-for-production-0123456789" JIAOYAN_LOG=warn \
    JIAOYAN_ACCESS_TOKEN_TTL=86400 "$BIN/jiaoyan" serve >"$SCRATCH/serve-$ENGINE.log" 2>&1 &
  SERVICE_PID=$!

  echo "== $ENGINE: measuring"
  MEASURE_ARGS=(--database-url "$URL" --base-url "http://127.0.0.1:$PORT" --pid "$SERVICE_PID"
    --semester-id 1 --district-id 1 --school-id 1 --as-of "$AS_OF"
    --gen-summary "$SCRATCH/gen-$ENGINE.json" --xlsx-out "$SCRATCH/compliance-$ENGINE.xlsx"
    --out "$SCRATCH/measure-$ENGINE.json")
  if [ -n "$MAX_PAGES" ]; then MEASURE_ARGS+=(--max-pages "$MAX_PAGES"); fi
  if ! "$BIN/jiaoyan-bench" measure "${MEASURE_ARGS[@]}"; then
    echo "FAIL: the measurement on $ENGINE broke; the service's log:" >&2
    tail -n 40 "$SCRATCH/serve-$ENGINE.log" >&2
    exit 1
  fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
    echo "FAIL: the service on $ENGINE died" >&2
    tail -n 40 "$SCRATCH/serve-$ENGINE.log" >&2
    exit 1
  fi
  kill "$SERVICE_PID"
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=
  if [ "$ENGINE" = postgres ]; then
    psql "$PG_BASE/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
    PG_DB=
  fi
  cp "$SCRATCH/measure-$ENGINE.json" "$SCRATCH/keep-$ENGINE.json"
  REPORT_ARGS+=(--engine "$ENGINE=$SCRATCH/keep-$ENGINE.json")
done

PARAMETERS="{\"schools\": $SCHOOLS, \"teachers_per_school\": $TEACHERS, \"seed\": $SEED, \"profile\": \"$PROFILE\", \
\"as_of\": \"$AS_OF\", \"engines\": \"$ENGINES\", \"max_pages\": ${MAX_PAGES:-null}, \"limit\": 500}"
echo
"$BIN/jiaoyan-bench" report "${REPORT_ARGS[@]}" --parameters "$PARAMETERS" --out "$RESULTS"
