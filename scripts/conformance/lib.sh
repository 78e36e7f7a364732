# Shared functions of the conformance harness; sourced by the other scripts, never run.
#
# It provides:
#   - a per-script temporary directory ($CONF_TMP), removed on exit;
#   - conf_start_server STORE: a fresh `agora serve` on a free loopback port, on SQLite
#     (its own data dir) or PostgreSQL (a fresh database in $AGORA_TEST_PG, or in a
#     private PostgreSQL started here when the variable is unset), with the generated
#     admin password captured;
#   - conf_add_user, conf_stop_server, and a trap that always stops every server started
#     here and drops every database created here;
#   - check bookkeeping (conf_pass / conf_fail / conf_skip) with a results file that
#     run_all.sh aggregates, and small curl helpers for asserting server state.
#
# Servers are started under `setpriv --pdeathsig KILL`, so the kernel kills them if the
# script dies without running its trap (SIGKILL, OOM, a CI runner cancelling the job).
# shellcheck shell=bash

CONF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_ROOT="$(cd "$CONF_DIR/../.." && pwd)"
AGORA_BIN="${AGORA_BIN:-$CONF_ROOT/target/debug/agora}"
case "$AGORA_BIN" in /*) ;; *) AGORA_BIN="$CONF_ROOT/$AGORA_BIN" ;; esac
export AGORA_VENV="${AGORA_VENV:-$CONF_ROOT/target/conformance-venv}"
# Where the Python clients live (install.sh creates it).
CONF_VENV_BIN="$AGORA_VENV/bin"

# The clients must never pick up a developer's own configuration or a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY="127.0.0.1,127.0.0.2,localhost" no_proxy="127.0.0.1,127.0.0.2,localhost"
export LC_ALL=C.UTF-8 LANG=C.UTF-8

conf_log() { printf '[%s] %s\n' "${CONF_SUITE:-conformance}" "$*" >&2; }
conf_die() { conf_log "ERROR: $*"; exit 2; }

# --- temporary directory and cleanup ----------------------------------------------

CONF_TMP="$(mktemp -d "${TMPDIR:-/tmp}/agora-conformance.XXXXXX")"
CONF_SERVER_PIDS=()
CONF_PG_DATABASES=()
CONF_PRIVATE_PG_DIR=""

conf_cleanup() {
  local rc=$?
  set +e
  local pid
  for pid in "${CONF_SERVER_PIDS[@]}"; do
    conf_kill_pid "$pid"
  done
  CONF_SERVER_PIDS=()
  local db
  for db in "${CONF_PG_DATABASES[@]}"; do
    psql "$AGORA_TEST_PG" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
  done
  if [ -n "$CONF_PRIVATE_PG_DIR" ]; then
    conf_run_as_pg "$(conf_pg_bin)/pg_ctl" -D "$CONF_PRIVATE_PG_DIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$CONF_PRIVATE_PG_DIR"
  fi
  if [ "${CONF_KEEP_TMP:-0}" = 1 ]; then
    conf_log "kept temporary files in $CONF_TMP"
  else
    rm -rf "$CONF_TMP"
  fi
  return "$rc"
}
trap conf_cleanup EXIT
# A signal must still run the EXIT trap (bash does not run it for an untrapped signal).
trap 'exit 130' INT
trap 'exit 143' TERM

# Stop one process politely, then firmly: SIGTERM starts Agora's graceful shutdown, which
# waits for in-flight requests; a client left hanging must not keep us waiting forever.
conf_kill_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# --- check bookkeeping ----------------------------------------------------------------
# Every check ends in exactly one of PASS, FAIL or SKIP. A SKIP is never a pass: a script
# with a skipped check exits non-zero too (the caller sees why in the detail).
# Results are appended to $CONF_RESULTS (TSV: suite, store, check, status, detail) when
# run_all.sh sets it, and always to $CONF_TMP/results.tsv for this script's own summary.

CONF_SUITE="${CONF_SUITE:-conformance}"
CONF_STORE="${CONF_STORE:-}"
CONF_N_PASS=0
CONF_N_FAIL=0
CONF_N_SKIP=0

conf_record() {
  local status="$1" check="$2" detail="${3:-}"
  # One line per result: tabs and newlines in the detail would break the TSV.
  detail="$(printf '%s' "$detail" | tr '\t\n\r' '   ' | cut -c1-600)"
  local line
  line="$(printf '%s\t%s\t%s\t%s\t%s' "$CONF_SUITE" "${CONF_STORE:--}" "$check" "$status" "$detail")"
  printf '%s\n' "$line" >>"$CONF_TMP/results.tsv"
  if [ -n "${CONF_RESULTS:-}" ]; then printf '%s\n' "$line" >>"$CONF_RESULTS"; fi
}
conf_pass() { CONF_N_PASS=$((CONF_N_PASS + 1)); printf '  PASS  %s\n' "$1"; conf_record PASS "$1" "${2:-}"; }
conf_fail() { CONF_N_FAIL=$((CONF_N_FAIL + 1)); printf '  FAIL  %s: %s\n' "$1" "${2:-}"; conf_record FAIL "$1" "${2:-}"; }
conf_skip() { CONF_N_SKIP=$((CONF_N_SKIP + 1)); printf '  SKIP  %s: %s\n' "$1" "${2:-}"; conf_record SKIP "$1" "${2:-}"; }

# conf_check NAME COMMAND...: run a command (or shell function) as a check; the tail of
# its output is the failure detail. The output goes to a file capped at 10 MB (a client
# re-asking a question on a closed stdin prints forever), never into a shell variable.
conf_check() {
  local name="$1"; shift
  local out="$CONF_TMP/check.out" rc=0
  ( ulimit -f 10240; "$@" ) </dev/null >"$out" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    conf_pass "$name"
  else
    conf_fail "$name" "$(tail -n 15 "$out" | cut -c1-400)"
  fi
}

# Print the script's summary and return its exit status (0 only when nothing failed or
# was skipped).
conf_finish() {
  printf '\n[%s/%s] %d passed, %d failed, %d skipped\n' \
    "$CONF_SUITE" "${CONF_STORE:--}" "$CONF_N_PASS" "$CONF_N_FAIL" "$CONF_N_SKIP"
  if [ "$CONF_N_FAIL" -gt 0 ] || [ "$CONF_N_SKIP" -gt 0 ] || [ "$CONF_N_PASS" -eq 0 ]; then
    return 1
  fi
  return 0
}

# --- PostgreSQL -------------------------------------------------------------------------

# shellcheck disable=SC2012 # fixed Debian paths
conf_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
conf_run_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# conf_free_port [HOST]: a TCP port free on HOST (default 127.0.0.1).
conf_free_port() {
  python3 -c 'import socket, sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' \
    "${1:-127.0.0.1}"
}

# The PostgreSQL the conformance databases are created in: $AGORA_TEST_PG (exported by
# ./scripts/test), else a private server started on first use (so run_all.sh also works
# on its own) and removed by the trap. Called directly, never in $(...): what it sets
# must survive in this shell for the trap to find it.
conf_ensure_pg() {
  [ -n "${AGORA_TEST_PG:-}" ] || conf_start_private_pg
  if ! command -v psql >/dev/null; then PATH="$PATH:$(conf_pg_bin)"; export PATH; fi
}
conf_pg_admin_url() { printf '%s' "${AGORA_TEST_PG:-}"; }

conf_start_private_pg() {
  local pgbin port
  pgbin="$(conf_pg_bin)"
  [ -n "$pgbin" ] || conf_die "PostgreSQL binaries not found (apt-get install postgresql) and AGORA_TEST_PG unset"
  CONF_PRIVATE_PG_DIR="$(mktemp -d /tmp/agora-conformance-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$CONF_PRIVATE_PG_DIR"
  port="$(conf_free_port)"
  conf_log "AGORA_TEST_PG unset: starting a private PostgreSQL on 127.0.0.1:$port"
  conf_run_as_pg "$pgbin/initdb" -D "$CONF_PRIVATE_PG_DIR/data" -U agora -A trust --no-sync \
    >"$CONF_PRIVATE_PG_DIR/initdb.log" 2>&1 || { cat "$CONF_PRIVATE_PG_DIR/initdb.log" >&2; exit 2; }
  conf_run_as_pg "$pgbin/pg_ctl" -D "$CONF_PRIVATE_PG_DIR/data" -l "$CONF_PRIVATE_PG_DIR/server.log" -w -o \
    "-p $port -k $CONF_PRIVATE_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
    start >/dev/null || { cat "$CONF_PRIVATE_PG_DIR/server.log" >&2; exit 2; }
  export AGORA_TEST_PG="postgres://agora@127.0.0.1:$port/postgres"
}

# Create an empty database; its URL is left in CONF_PG_URL (a variable, not output, so
# that the database is registered for the trap in this shell).
conf_create_pg_database() {
  local db
  conf_ensure_pg
  db="agora_conf_$(date +%s)_$$_$RANDOM"
  psql "$AGORA_TEST_PG" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null \
    || conf_die "could not create database $db in $AGORA_TEST_PG"
  CONF_PG_DATABASES+=("$db")
  # Same server and credentials as the maintenance URL, other database.
  CONF_PG_URL="${AGORA_TEST_PG%/*}/$db"
}

# --- the server -------------------------------------------------------------------------
# The server listens on $CONF_LISTEN_HOST, 127.0.0.1 unless set: any 127.x.y.z address is
# loopback on Linux, and server_tester.sh uses 127.0.0.2 because caldav-server-tester
# skips its /.well-known probe for "localhost"/"127.0.0.1".
# After conf_start_server: SERVER_URL (http://HOST:PORT), SERVER_PORT, SERVER_PID,
# ADMIN_PASSWORD, SERVER_LOG (stderr: one line per request), SERVER_STORE_ARGS (the
# --data-dir/--store arguments the administration commands need).

conf_agora() { "$AGORA_BIN" "${SERVER_STORE_ARGS[@]}" "$@"; }

conf_start_server() {
  local store="${1:?store: sqlite or postgres}" attempt
  [ -x "$AGORA_BIN" ] || conf_die "agora binary not found at $AGORA_BIN (cargo build -p agora, or set AGORA_BIN)"
  local dir
  dir="$(mktemp -d "$CONF_TMP/server.XXXXXX")"
  SERVER_STORE_ARGS=(--data-dir "$dir/data")
  case "$store" in
    sqlite) ;;
    postgres) conf_create_pg_database; SERVER_STORE_ARGS+=(--store "$CONF_PG_URL") ;;
    *) conf_die "unknown store '$store' (sqlite or postgres)" ;;
  esac
  SERVER_LOG="$dir/server.log"
  # A port found free may be taken before the server binds it: retry a few times.
  for attempt in 1 2 3; do
    SERVER_HOST="${CONF_LISTEN_HOST:-127.0.0.1}"
    # CONF_SERVER_PORT: a port the caller chose (and told another service about).
    SERVER_PORT="${CONF_SERVER_PORT:-$(conf_free_port "$SERVER_HOST")}"
    SERVER_URL="http://$SERVER_HOST:$SERVER_PORT"
    # AGORA_LOG=info keeps one line per request, which the failure reports quote.
    AGORA_LOG="${AGORA_LOG:-info}" setpriv --pdeathsig KILL \
      "$AGORA_BIN" "${SERVER_STORE_ARGS[@]}" serve --listen "$SERVER_HOST:$SERVER_PORT" \
      --shutdown-grace-seconds 2 </dev/null >"$dir/stdout.log" 2>"$SERVER_LOG" &
    SERVER_PID=$!
    CONF_SERVER_PIDS+=("$SERVER_PID")
    if conf_wait_health; then break; fi
    conf_kill_pid "$SERVER_PID"
    if [ "$attempt" = 3 ]; then
      conf_log "server did not become healthy; its log:"
      tail -n 30 "$SERVER_LOG" >&2
      conf_die "could not start agora ($store)"
    fi
  done
  # The first start prints the generated admin password once, on stdout.
  ADMIN_PASSWORD="$(awk '$1 == "password:" { print $2; exit }' "$dir/stdout.log")"
  [ -n "$ADMIN_PASSWORD" ] || conf_die "no admin password on the server's stdout: $(cat "$dir/stdout.log")"
  conf_log "agora ($store) on $SERVER_URL, pid $SERVER_PID, files in $dir"
}

# Wait (up to 30 s) until GET /health answers 200, or the server process is gone.
conf_wait_health() {
  for _ in $(seq 1 150); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    if curl -fsS -o /dev/null --max-time 2 "$SERVER_URL/health" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

conf_stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  conf_kill_pid "$SERVER_PID"
  local keep=() pid
  for pid in "${CONF_SERVER_PIDS[@]}"; do [ "$pid" = "$SERVER_PID" ] || keep+=("$pid"); done
  CONF_SERVER_PIDS=("${keep[@]}")
  SERVER_PID=""
}

# conf_add_user NAME PASSWORD [EMAIL]: create a user in the running server's store.
conf_add_user() {
  local name="$1" password="$2" email="${3:-$1@example.org}"
  printf '%s\n' "$password" | conf_agora user add "$name" --email "$email" --password-stdin >/dev/null 2>&1 \
    || conf_die "could not create user $name"
}

# Print the last lines of the server's request log (for failure reports).
conf_server_log_tail() { tail -n "${1:-20}" "$SERVER_LOG" 2>/dev/null | sed 's/^/    server: /'; }

# --- HTTP helpers (curl) -----------------------------------------------------------------
# conf_curl USER:PASSWORD [curl args...]: quiet curl with a time limit and credentials.
conf_curl() {
  local creds="$1"; shift
  curl -sS --max-time 30 -u "$creds" "$@"
}

# conf_http_status USER:PASSWORD METHOD URL: print the status code of a bodiless request.
conf_http_status() {
  conf_curl "$1" -o /dev/null -w '%{http_code}' -X "$2" "$3"
}

# conf_dav_hrefs USER:PASSWORD COLLECTION_URL: the hrefs of the members of a collection
# (PROPFIND Depth 1, the collection itself left out), one per line. Fails (non-zero, the
# answer on stderr) unless the server answered a 207 multistatus: an error must never
# read as an empty collection.
conf_dav_hrefs() {
  local creds="$1" url="$2" xml
  xml="$(conf_curl "$creds" -f -X PROPFIND -H 'Depth: 1' -H 'Content-Type: application/xml' \
    --data '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>' "$url")" \
    || { echo "PROPFIND $url failed" >&2; return 1; }
  python3 "$CONF_DIR/davxml.py" hrefs "$url" <<<"$xml"
}

# conf_dav_bodies USER:PASSWORD COLLECTION_URL: GET every member and print them, each
# preceded by a line "=== HREF", so assertions can grep the collection's content. Fails
# when the listing or any GET fails.
conf_dav_bodies() {
  local creds="$1" url="$2" href base hrefs
  base="$(printf '%s' "$url" | sed -E 's#^(https?://[^/]+).*#\1#')"
  hrefs="$(conf_dav_hrefs "$creds" "$url")" || return 1
  while IFS= read -r href; do
    [ -n "$href" ] || continue
    printf '=== %s\n' "$href"
    conf_curl "$creds" -f "$base$href" | tr -d '\r' || { echo "GET $href failed" >&2; return 1; }
  done <<<"$hrefs"
}

# conf_import_results FILE: take over the verdicts of a helper program that printed its
# own PASS/FAIL lines and wrote "check<TAB>STATUS<TAB>detail" lines to FILE.
conf_import_results() {
  local name status detail
  while IFS=$'\t' read -r name status detail; do
    [ -n "$name" ] || continue
    case "$status" in
      PASS) CONF_N_PASS=$((CONF_N_PASS + 1)) ;;
      SKIP) CONF_N_SKIP=$((CONF_N_SKIP + 1)) ;;
      *) CONF_N_FAIL=$((CONF_N_FAIL + 1)); status=FAIL ;;
    esac
    conf_record "$status" "$name" "$detail"
  done <"$1"
}

# conf_require_venv: fail clearly when install.sh has not been run.
conf_require_venv() {
  [ -x "$CONF_VENV_BIN/python" ] || conf_die "no venv at $AGORA_VENV: run scripts/conformance/install.sh"
}
