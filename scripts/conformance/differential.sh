#!/usr/bin/env bash
# differential.sh STORE: runs differential.py against a fresh Agora on STORE (sqlite or
# postgres): the real-client corpus (tests/corpus/) and seeded random recurring events
# are stored, then calendar-query time ranges, expanded instances and free/busy, and
# addressbook-query text matches, are compared with what recurring-ical-events,
# icalendar and vobject compute independently. See differential.py for the checks and
# the list of known, justified disagreements.
#
# Environment: CONF_DIFF_SEED (default 20261207) seeds the generated events.
set -euo pipefail
store="${1:?usage: differential.sh sqlite|postgres}"
CONF_SUITE=differential CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
conf_require_venv

conf_start_server "$store"
user=dora password='dora-password-1'
conf_add_user "$user" "$password"

printf '\n-- differential test (%s) against %s/\n' "$store" "$SERVER_URL"
rc=0
timeout 600 "$CONF_VENV_BIN/python" "$CONF_DIR/differential.py" "$SERVER_URL/" "$user" "$password" \
  "$CONF_TMP/differential.tsv" "$CONF_ROOT/tests/corpus" "${CONF_DIFF_SEED:-20261207}" || rc=$?
if [ -s "$CONF_TMP/differential.tsv" ]; then
  conf_import_results "$CONF_TMP/differential.tsv"
else
  conf_fail "differential.py produced results" "no results written (exit $rc): it stopped before its checks, see above"
fi
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
  conf_fail "differential.py" "exited with status $rc"
fi
if [ "$rc" != 0 ]; then
  printf '   --- last server log lines ---\n'
  conf_server_log_tail 15
fi
conf_stop_server
conf_finish
