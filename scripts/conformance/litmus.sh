#!/usr/bin/env bash
# litmus.sh STORE: the five litmus suites (basic, copymove, props, locks, http) against a
# fresh Agora on STORE (sqlite or postgres), in a user's calendar home, where plain WebDAV
# collections are allowed (litmus creates and removes a `litmus/` collection there).
#
# The requirement is "no failure and no warning", so a suite passes only when every test
# printed `pass` with no WARNING, none was SKIPPED (litmus counts a skipped test as run
# and passed: the locks suite says 100% when it skipped every locking test), litmus'
# own summary agrees with our reading, and the program exited 0. Every suite runs even
# when an earlier one failed (unlike the `litmus` wrapper, which stops at the first).
# Each suite runs in its own directory so its debug.log (neon's full HTTP trace) is kept;
# the tail of it is printed for a failed suite.
set -euo pipefail
store="${1:?usage: litmus.sh sqlite|postgres}"
CONF_SUITE=litmus CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

LITMUS_LIBEXEC="${LITMUS_LIBEXEC:-/usr/libexec/litmus}"
LITMUS_HTDOCS="${LITMUS_HTDOCS:-/usr/share/litmus/htdocs}"
[ -x "$LITMUS_LIBEXEC/basic" ] || conf_die "litmus not installed (run scripts/conformance/install.sh)"

conf_start_server "$store"
user=litmus password='litmus-password-1'
conf_add_user "$user" "$password"
url="$SERVER_URL/calendars/$user/"

for suite in basic copymove props locks http; do
  dir="$CONF_TMP/litmus-$suite"
  mkdir -p "$dir"
  printf '\n-- litmus %s (%s) against %s\n' "$suite" "$store" "$url"
  rc=0
  # No suite should take more than a few seconds; the limit only guards against a hang.
  (cd "$dir" && timeout 300 "$LITMUS_LIBEXEC/$suite" --htdocs "$LITMUS_HTDOCS" "$url" "$user" "$password") \
    >"$dir/output.txt" 2>&1 || rc=$?
  parse_rc=0
  python3 "$CONF_DIR/litmus_parse.py" "$suite" "$dir/output.txt" "$rc" >"$dir/parsed.tsv" || parse_rc=$?
  # One result per litmus test, so run_all.sh can list exactly which ones failed.
  while IFS=$'\t' read -r status test detail; do
    case "$status" in
      PASS) conf_pass "$suite/$test" ;;
      SKIP) conf_skip "$suite/$test" "skipped by litmus $detail" ;;
      WARN) conf_fail "$suite/$test" "passed with warning: $detail" ;;
      FAIL) conf_fail "$suite/$test" "$detail" ;;
      SUMMARY) summary="$detail" ;;
    esac
  done <"$dir/parsed.tsv"
  if [ "$parse_rc" = 0 ]; then
    printf 'SUMMARY litmus %-8s %-8s OK    %s\n' "$suite" "$store" "$summary"
  else
    printf 'SUMMARY litmus %-8s %-8s FAIL  %s\n' "$suite" "$store" "$summary"
    if [ "$rc" = 124 ]; then conf_fail "$suite" "timed out after 300 s"; fi
    # neon's trace of each failed or warned test (the requests and the server's answers),
    # then the tail of the log.
    # (Display only: `|| true` because `head` may close a pipe early, which pipefail and
    # set -e would otherwise turn into an exit.)
    awk -F'\t' '($1 == "FAIL" || $1 == "WARN") && n++ < 4 { split($2, a, "."); print a[1] }' "$dir/parsed.tsv" |
      while read -r n; do
        printf '   --- debug.log, test %s ---\n' "$n"
        { awk -v n="$n" '/^\*+ Running test [0-9]+:/ { on = ($4 == n ":") } on' "$dir/debug.log" 2>/dev/null |
          grep -vE '^(Running |auth: |Header Name: |Request sent|Sending request|End of headers)' | head -n 60 |
          sed 's/^/   | /'; } || true
      done
    printf '   --- tail of %s/debug.log ---\n' "$dir"
    tail -n 20 "$dir/debug.log" 2>/dev/null | sed 's/^/   | /' || true
    printf '   --- last server log lines ---\n'
    conf_server_log_tail 15
  fi
done

conf_stop_server
conf_finish
