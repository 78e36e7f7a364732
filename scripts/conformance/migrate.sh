#!/usr/bin/env bash
# migrate.sh STORE: `agora migrate` against real CalDAV/CardDAV servers of other projects
# (Radicale and Xandikos from PyPI, each on a free loopback port with a temporary storage
# directory) and from a second Agora, into a fresh Agora on STORE (sqlite or postgres).
# See migrate_driver.py for the checks.
#
#   MIGRATE_BULK   events and contacts loaded in the second Agora (default 20000 on
#                  sqlite, 2000 on postgres: the full size runs on one store to keep the
#                  stage affordable with a debug binary; BENCHMARKS.md times it in release)
set -euo pipefail
store="${1:?usage: migrate.sh sqlite|postgres}"
CONF_SUITE=migrate CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
conf_require_venv

case "$store" in
  sqlite) bulk="${MIGRATE_BULK:-20000}" ;;
  *) bulk="${MIGRATE_BULK:-2000}" ;;
esac

# conf_wait_url URL PID: wait (up to 30 s) until URL answers anything, or PID is gone.
conf_wait_url() {
  for _ in $(seq 1 150); do
    kill -0 "$2" 2>/dev/null || return 1
    if curl -sS -o /dev/null --max-time 2 "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

# --- the sources ----------------------------------------------------------------------------
port="$(conf_free_port)"
mkdir -p "$CONF_TMP/radicale"
# auth none: Radicale takes the Basic login as the user name and checks no password.
setpriv --pdeathsig KILL "$CONF_VENV_BIN/python" -m radicale --storage-filesystem-folder "$CONF_TMP/radicale/data" \
  --server-hosts "127.0.0.1:$port" --auth-type none --logging-level warning \
  </dev/null >"$CONF_TMP/radicale/log" 2>&1 &
CONF_SERVER_PIDS+=($!)
conf_wait_url "http://127.0.0.1:$port/" "$!" || { cat "$CONF_TMP/radicale/log" >&2; conf_die "radicale did not start"; }
radicale_url="http://127.0.0.1:$port/"
conf_log "radicale $("$CONF_VENV_BIN/python" -c 'import radicale; print(radicale.VERSION)') on $radicale_url"

port="$(conf_free_port)"
mkdir -p "$CONF_TMP/xandikos"
# --defaults creates the principal /user/ with a calendar and an address book; Xandikos
# has no authentication of its own (it leaves that to a proxy): any login is taken.
setpriv --pdeathsig KILL "$CONF_VENV_BIN/xandikos" --defaults -d "$CONF_TMP/xandikos/data" -l 127.0.0.1 -p "$port" \
  </dev/null >"$CONF_TMP/xandikos/log" 2>&1 &
CONF_SERVER_PIDS+=($!)
conf_wait_url "http://127.0.0.1:$port/" "$!" || { cat "$CONF_TMP/xandikos/log" >&2; conf_die "xandikos did not start"; }
xandikos_url="http://127.0.0.1:$port/"
conf_log "xandikos $("$CONF_VENV_BIN/python" -c 'import xandikos; print(".".join(map(str, xandikos.__version__)))') on $xandikos_url"

# The second Agora, always on SQLite in its own data dir: it is only the source.
conf_start_server sqlite
source_url="$SERVER_URL" source_args=("${SERVER_STORE_ARGS[@]}")
conf_add_user source source-password-1
conf_agora user list >/dev/null # provisions nothing, proves the store opens

# --- the target -------------------------------------------------------------------------------
conf_start_server "$store"
user=carol password='carol-password-1'
conf_add_user "$user" "$password"

store_json="$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${SERVER_STORE_ARGS[@]}")"
source_json="$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${source_args[@]}")"

printf '\n-- agora migrate (%s): Radicale, Xandikos, and %s + %s objects from a second Agora\n' \
  "$store" "$bulk" "$bulk"
rc=0
AGORA_BIN="$AGORA_BIN" AGORA_URL="$SERVER_URL" AGORA_STORE_ARGS="$store_json" MIGRATE_USER="$user" \
  MIGRATE_PASSWORD="$password" RADICALE_URL="$radicale_url" XANDIKOS_URL="$xandikos_url" \
  SOURCE_AGORA_URL="$source_url" SOURCE_STORE_ARGS="$source_json" MIGRATE_BULK="$bulk" WORK="$CONF_TMP" \
  timeout 840 "$CONF_VENV_BIN/python" "$CONF_DIR/migrate_driver.py" "$CONF_TMP/migrate.tsv" || rc=$?
if [ -s "$CONF_TMP/migrate.tsv" ]; then
  conf_import_results "$CONF_TMP/migrate.tsv"
else
  conf_fail "migrate_driver.py produced results" "no results written (exit $rc): it stopped before its checks, see above"
fi
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
  conf_fail "migrate_driver.py" "exited with status $rc"
fi
if [ "$rc" != 0 ]; then
  printf '   --- last server log lines ---\n'
  conf_server_log_tail 15
  tail -n 15 "$CONF_TMP/radicale/log" "$CONF_TMP/xandikos/log" 2>/dev/null | sed 's/^/    source: /'
fi
conf_finish
