#!/usr/bin/env bash
# caldav_script.sh STORE: runs caldav_script.py (the python `caldav` library: discovery,
# MKCALENDAR, events and tasks, time-range searches, sync tokens, and RFC 6638 scheduling
# between users and a room) against a fresh Agora on STORE (sqlite or postgres) with a
# fresh user, four colleagues for the scheduling checks (alice organises, bob, dave and
# the user are invited, erin is bob's delegate) and a room. See caldav_script.py for the
# checks.
set -euo pipefail
store="${1:?usage: caldav_script.sh sqlite|postgres}"
CONF_SUITE=caldav-script CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
conf_require_venv

conf_start_server "$store"
user=carol password='carol-password-1'
conf_add_user "$user" "$password"
# Scheduling: colleagues (NAME@example.org addresses) and a room that books itself.
sched_users=""
for name in alice bob dave erin; do
  conf_add_user "$name" "$name-password-1"
  sched_users="$sched_users${sched_users:+,}$name:$name-password-1"
done
room=room1@example.org
conf_agora resource add room1 --kind room --email "$room" >/dev/null 2>&1 \
  || conf_die "could not create the room (agora resource add room1 --kind room --email $room)"

printf '\n-- python caldav library (%s) against %s/\n' "$store" "$SERVER_URL"
rc=0
# The bare host URL on purpose: the library must find the principal and the calendar
# home itself (current-user-principal, calendar-home-set).
timeout 300 "$CONF_VENV_BIN/python" "$CONF_DIR/caldav_script.py" "$SERVER_URL/" "$user" "$password" \
  "$CONF_TMP/caldav_script.tsv" "$sched_users" "$room" || rc=$?
if [ -s "$CONF_TMP/caldav_script.tsv" ]; then
  conf_import_results "$CONF_TMP/caldav_script.tsv"
else
  conf_fail "$(basename "${0%.sh}").py produced results" "no results written (exit $rc): it stopped before its checks, see above"
fi
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
  # 1 is "some check failed"; anything else (a crash, a timeout) is a failure of its own.
  conf_fail "caldav_script.py" "exited with status $rc"
fi
if [ "$rc" != 0 ]; then
  printf '   --- last server log lines ---\n'
  conf_server_log_tail 15
fi
conf_stop_server
conf_finish
