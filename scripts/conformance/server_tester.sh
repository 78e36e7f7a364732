#!/usr/bin/env bash
# server_tester.sh STORE: caldav-server-tester (python-caldav's feature prober) against a
# fresh Agora on STORE (sqlite or postgres), with a user and a second user for its
# multi-user scheduling checks. Saves the tool's reports, prints which features it found
# supported and unsupported, and fails on any unsupported feature (or check that raised)
# outside server_tester_expected_unsupported.txt. See server_tester.py for how the tool
# is driven and how a feature is judged.
set -euo pipefail
store="${1:?usage: server_tester.sh sqlite|postgres}"
CONF_SUITE=server-tester CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
conf_require_venv

# 127.0.0.2, still loopback: the tool does not probe /.well-known/caldav on 127.0.0.1.
CONF_LISTEN_HOST=127.0.0.2 conf_start_server "$store"
# Login names with an '@' (Agora allows them, iOS sends them): the tool can then probe a
# server-given principal path carrying an '@' (url.encode-at.literal.principal), which it
# reports "unknown" for a plain name.
user=dave@example.org password='dave-password-1'
conf_add_user "$user" "$password" dave@example.org
conf_add_user erin@example.org 'erin-password-1' erin@example.org

# Reports are kept under target/ (or $CONF_REPORT_DIR) after the run, for reading.
report_dir="${CONF_REPORT_DIR:-$CONF_ROOT/target/conformance-reports}/server-tester-$store"
rm -rf "$report_dir"
mkdir -p "$report_dir"

printf '\n-- caldav-server-tester %s (%s) against %s/\n' \
  "$("$CONF_VENV_BIN/caldav-server-tester" --version | awk '{print $NF}')" "$store" "$SERVER_URL"
rc=0
# Some checks poll for up to ~10 s each (asynchronous servers); the limit guards a hang.
timeout 900 "$CONF_VENV_BIN/python" "$CONF_DIR/server_tester.py" "$SERVER_URL/" "$user" "$password" \
  "$report_dir" "$CONF_DIR/server_tester_expected_unsupported.txt" erin@example.org 'erin-password-1' || rc=$?
if [ -s "$report_dir/results.tsv" ]; then
  conf_import_results "$report_dir/results.tsv"
else
  conf_fail "$(basename "${0%.sh}").py produced results" "no results written (exit $rc): it stopped before its checks, see above"
fi
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
  conf_fail "server_tester.py" "exited with status $rc (timeout or crash; see above)"
fi
printf '   reports: %s/{report.json,report.txt,features.json}\n' "$report_dir"
conf_stop_server
conf_finish
