#!/usr/bin/env bash
# The browser test: Swagger UI as a developer uses it, in headless Chromium. Starts a demo server
# on a fresh SQLite database on a free port, then scripts/browser/swagger.mjs opens /swagger-ui/,
# checks that every tag of the OpenAPI document renders as a section with all its operations,
# logs in through the UI's own login operation, authorizes with the token in the "Authorize"
# dialog, lists teachers through "Try it out" and asserts the rendered 200. See docs/BROWSER.md.
#
#   scripts/browser.sh
#
# Environment:
#   BROWSER_CHROMIUM    the Chromium to drive (default: Debian's, installed with apt-get when
#                       missing and run as root)
#   BROWSER_TIMEOUT_MS  the deadline of each wait in the browser (default 30000)
#   JIAOYAN_*           passed on to the service as they are
#
# Installs what is missing: Node.js (apt-get, as root), Chromium (apt-get `chromium`, as root), a
# Chinese font for the screenshots (`fonts-wqy-microhei`, as root) and
# the pinned playwright-core of scripts/browser/package-lock.json into target/browser/node_modules
# (npm ci; playwright-core downloads no browser). Screenshots and the server's log are kept in
# target/browser/.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="target/browser"
DEMO_PASSWORD="Jy4-browser-Tq7w-Hn3z"
mkdir -p "$OUT"

as_root_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser: installing $* with apt-get"
    apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
  else
    echo "FAIL: $* missing; install it (Debian: apt-get install $*)" >&2
    exit 1
  fi
}

# --- Node.js (18 or newer: the pinned playwright-core's engines) -------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  as_root_install nodejs npm
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  echo "FAIL: Node.js $(node --version) is too old; playwright-core needs 18 or newer" >&2
  exit 1
fi

# --- Chromium ------------------------------------------------------------------------------------
find_chromium() {
  local candidate
  for candidate in "${BROWSER_CHROMIUM:-}" /usr/lib/chromium/chromium "$(command -v chromium || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! CHROMIUM="$(find_chromium)"; then
  as_root_install chromium
  CHROMIUM="$(find_chromium)" || { echo "FAIL: chromium installed but not found" >&2; exit 1; }
fi

# A Chinese font, so that the screenshots show the Chinese texts rather than empty boxes (the
# test itself reads the page's text, not its pixels: without root it goes on without one).
if ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    as_root_install fonts-wqy-microhei
  else
    echo "browser: no Chinese font (apt-get install fonts-wqy-microhei); screenshots show boxes for Chinese"
  fi
fi

# --- playwright-core, pinned by the lockfile, once ---------------------------------------------
cp scripts/browser/package.json scripts/browser/package-lock.json "$OUT/"
WANTED="$(node -p 'require("./scripts/browser/package.json").dependencies["playwright-core"]')"
HAVE="$(node -p "try { require('./$OUT/node_modules/playwright-core/package.json').version } catch { '' }")"
if [ "$HAVE" != "$WANTED" ]; then
  echo "browser: installing playwright-core $WANTED into $OUT/node_modules"
  (cd "$OUT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    { echo "FAIL: npm ci of playwright-core $WANTED failed" >&2; exit 1; }
fi

# --- the service: the demo district on a fresh SQLite file, on a free port ---------------------
cargo build -q -p api
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

# The kernel picks a free port; the service binds it a moment later.
PORT="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
BASE="http://127.0.0.1:$PORT"
LOG="$OUT/server.log"
DATABASE_URL="sqlite://$WORK/browser.db?mode=rwc" JIAOYAN_ADDR="127.0.0.1:$PORT" \
  JIAOYAN_DEMO_PASSWORD="$DEMO_PASSWORD" JIAOYAN_JWT_SECRET="browser-secret-of-at-least-32-bytes" \
  JIAOYAN_LOG="${JIAOYAN_LOG:-warn}" target/debug/jiaoyan --demo >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "$BASE/health" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 1
done
if ! curl -sf "$BASE/health" >/dev/null; then
  echo "FAIL: the service did not start on $BASE; the end of $LOG:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
fi

# --- the browser ---------------------------------------------------------------------------------
echo "browser: Swagger UI at $BASE/swagger-ui/ in $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
BROWSER_BASE_URL="$BASE" BROWSER_OUT="$OUT" BROWSER_MODULES="$OUT" BROWSER_CHROMIUM="$CHROMIUM" \
  BROWSER_USERNAME="luotian-admin" BROWSER_PASSWORD="$DEMO_PASSWORD" \
  node scripts/browser/swagger.mjs
