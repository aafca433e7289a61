#!/usr/bin/env bash
# The district-scale benchmark of the quota checks and the request-path benchmark; see
# bench/README.md.
#
#   bench/run.sh [--suite district,requests] [--schools N] [--teachers-per-school N]
#                [--profile release|debug] [--engines sqlite,postgres] [--as-of DATE] [--seed N]
#                [--max-pages N] [--request-seconds N] [--request-rounds N] [--logins N]
#                [--sync-teachers N] [--results FILE]
#
# Builds `jiaoyan` and `jiaoyan-bench`, generates a fresh county on each engine and starts the
# service on it. The district suite adopts every catalogue template as a district rule and
# measures the quota checks; the requests suite starts the floor and ceiling references and
# drives wrk rounds (Jiaoyan and the references alternated) and the mixed scenarios. Prints the
# tables (every figure beside its goal, met or missed) and writes bench/results.json. A missed
# goal is not a failure: the script fails only when something breaks (a build, a non-200
# answer, a crash of the service, a reference answering other bytes than Jiaoyan).
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
SUITE=district,requests
REQUEST_SECONDS=15
REQUEST_ROUNDS=2
LOGINS=100
SYNC_TEACHERS=10000
PG_BASE="${JIAOYAN_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
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
    --suite) SUITE="$2"; shift 2 ;;
    --request-seconds) REQUEST_SECONDS="$2"; shift 2 ;;
    --request-rounds) REQUEST_ROUNDS="$2"; shift 2 ;;
    --logins) LOGINS="$2"; shift 2 ;;
    --sync-teachers) SYNC_TEACHERS="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 2 ;;
  esac
done
case "$PROFILE" in
  release) CARGO_PROFILE=release ;;
  debug) CARGO_PROFILE=dev ;;
  *) echo "--profile is release or debug" >&2; exit 2 ;;
esac
DISTRICT=no
REQUESTS=no
IFS=',' read -r -a SUITE_LIST <<<"$SUITE"
for S in "${SUITE_LIST[@]}"; do
  case "$S" in
    district) DISTRICT=yes ;;
    requests) REQUESTS=yes ;;
    *) echo "unknown suite $S (district, requests)" >&2; exit 2 ;;
  esac
done
if [ "$REQUESTS" = yes ]; then
  for TOOL in wrk sqlite3; do
    if ! command -v "$TOOL" >/dev/null; then
      echo "FAIL: the requests suite needs $TOOL (apt-get install -y $TOOL)" >&2
      exit 1
    fi
  done
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
echo "== building jiaoyan and jiaoyan-bench ($PROFILE)"
cargo build --profile "$CARGO_PROFILE" -p api --bin jiaoyan -p jiaoyan-bench --bin jiaoyan-bench
BIN="$CARGO_TARGET_DIR/$PROFILE"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/jiaoyan-bench.XXXXXX")"
SERVICE_PID=
FLOOR_PID=
CEILING_PID=
PG_DB=
stop() {
  if [ -n "$1" ]; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$SERVICE_PID"
  stop "$FLOOR_PID"
  stop "$CEILING_PID"
  if [ -n "$PG_DB" ]; then
    psql "$PG_BASE/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

JWT_SECRET="bench-secret-not-for-production-0123456789"
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
  # Throttling and lockout are set out of the way: the logins scenario signs 100 accounts in
  # from one address at once (docs/LOGINS.md).
  DATABASE_URL="$URL" JIAOYAN_ADDR="127.0.0.1:$PORT" JIAOYAN_BOOTSTRAP_ADMIN="bench:Bench-Hy6cV3tu-county" \
    JIAOYAN_JWT_SECRET="$JWT_SECRET" JIAOYAN_LOG=warn JIAOYAN_ACCESS_TOKEN_TTL=86400 \
    JIAOYAN_LOGIN_PER_ADDRESS_PER_MINUTE=1000000 JIAOYAN_LOGIN_PER_ACCOUNT_PER_MINUTE=1000000 \
    JIAOYAN_LOCKOUT_THRESHOLD=0 "$BIN/jiaoyan" serve >"$SCRATCH/serve-$ENGINE.log" 2>&1 &
  SERVICE_PID=$!

  if [ "$DISTRICT" = yes ]; then
    echo "== $ENGINE: measuring the quota checks"
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
    REPORT_ARGS+=(--engine "$ENGINE=$SCRATCH/measure-$ENGINE.json")
  fi

  if [ "$REQUESTS" = yes ]; then
    # The references read a copy of the SQLite file (VACUUM INTO: a consistent snapshot taken
    # while the service runs), or the same PostgreSQL database (they only read).
    "$BIN/jiaoyan-bench" wait --base-url "http://127.0.0.1:$PORT"
    case "$ENGINE" in
      sqlite)
        rm -f "$SCRATCH/reference.db"
        sqlite3 "$SCRATCH/bench.db" "VACUUM INTO '$SCRATCH/reference.db'"
        # In WAL mode once, as Jiaoyan's file is (two processes switching it at once collide).
        sqlite3 "$SCRATCH/reference.db" "PRAGMA journal_mode=WAL" >/dev/null
        REF_URL="sqlite://$SCRATCH/reference.db?mode=rw"
        ;;
      postgres) REF_URL="$URL" ;;
    esac
    FLOOR_PORT="$("$BIN/jiaoyan-bench" free-port)"
    CEILING_PORT="$("$BIN/jiaoyan-bench" free-port)"
    echo "== $ENGINE: starting the floor (127.0.0.1:$FLOOR_PORT) and the ceiling (127.0.0.1:$CEILING_PORT)"
    JIAOYAN_JWT_SECRET="$JWT_SECRET" "$BIN/jiaoyan-bench" baseline --database-url "$REF_URL" --mode floor \
      --addr "127.0.0.1:$FLOOR_PORT" >"$SCRATCH/floor-$ENGINE.log" 2>&1 &
    FLOOR_PID=$!
    JIAOYAN_JWT_SECRET="$JWT_SECRET" "$BIN/jiaoyan-bench" baseline --database-url "$REF_URL" --mode ceiling \
      --addr "127.0.0.1:$CEILING_PORT" >"$SCRATCH/ceiling-$ENGINE.log" 2>&1 &
    CEILING_PID=$!
    SYNC_ARG=0
    if [ "$ENGINE" = postgres ]; then SYNC_ARG="$SYNC_TEACHERS"; fi
    echo "== $ENGINE: request-path scenarios ($REQUEST_ROUNDS rounds of $REQUEST_SECONDS s per target)"
    if ! "$BIN/jiaoyan-bench" requests --base-url "http://127.0.0.1:$PORT" \
      --floor-url "http://127.0.0.1:$FLOOR_PORT" --ceiling-url "http://127.0.0.1:$CEILING_PORT" \
      --request-seconds "$REQUEST_SECONDS" --rounds "$REQUEST_ROUNDS" --logins "$LOGINS" \
      --sync-teachers "$SYNC_ARG" --scripts bench/wrk --out "$SCRATCH/requests-$ENGINE.json"; then
      echo "FAIL: the request-path scenarios on $ENGINE broke; the logs:" >&2
      tail -n 20 "$SCRATCH/serve-$ENGINE.log" "$SCRATCH/floor-$ENGINE.log" "$SCRATCH/ceiling-$ENGINE.log" >&2
      exit 1
    fi
    stop "$FLOOR_PID"
    FLOOR_PID=
    stop "$CEILING_PID"
    CEILING_PID=
    REPORT_ARGS+=(--requests "$ENGINE=$SCRATCH/requests-$ENGINE.json")
  fi

  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
    echo "FAIL: the service on $ENGINE died" >&2
    tail -n 40 "$SCRATCH/serve-$ENGINE.log" >&2
    exit 1
  fi
  stop "$SERVICE_PID"
  SERVICE_PID=
  if [ "$ENGINE" = postgres ]; then
    psql "$PG_BASE/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
    PG_DB=
  fi
done

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
PARAMETERS="{\"schools\": $SCHOOLS, \"teachers_per_school\": $TEACHERS, \"seed\": $SEED, \"profile\": \"$PROFILE\", \
\"as_of\": \"$AS_OF\", \"engines\": \"$ENGINES\", \"max_pages\": ${MAX_PAGES:-null}, \"limit\": 500, \
\"suite\": \"$SUITE\", \"request_seconds\": $REQUEST_SECONDS, \"request_rounds\": $REQUEST_ROUNDS, \
\"logins\": $LOGINS, \"sync_teachers\": $SYNC_TEACHERS, \"load_average_at_end\": \"$LOAD\"}"
echo
"$BIN/jiaoyan-bench" report "${REPORT_ARGS[@]}" --parameters "$PARAMETERS" --out "$RESULTS"
