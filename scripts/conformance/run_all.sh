#!/usr/bin/env bash
# The conformance stage: installs what it needs, then for each store (SQLite, PostgreSQL)
# runs litmus, the command-line clients, the python caldav script, caldav-server-tester
# and the differential test, each against its own fresh Agora; prints a summary table and the
# failed checks, and exits non-zero if anything failed or was skipped.
#
#   scripts/conformance/run_all.sh
#
# Environment:
#   AGORA_BIN      the agora binary (default target/debug/agora; built with
#                  `cargo build -p agora` when missing)
#   AGORA_TEST_PG  maintenance URL of a PostgreSQL to create the databases in (exported
#                  by ./scripts/test); when unset a private PostgreSQL is started here
#   AGORA_VENV     the Python venv (default target/conformance-venv)
#   CONF_STORES    stores to run (default "sqlite postgres")
#   CONF_SUITES    suites to run (default "litmus clients caldav_script server_tester differential
#                  bench_smoke migrate")
#   CONF_KEEP_TMP=1  keep each script's temporary files (servers' data, client folders)
# Logs, results.tsv and summary.txt go to target/conformance-reports/.
set -euo pipefail
CONF_SUITE=run_all
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

stores="${CONF_STORES:-sqlite postgres}"
suites="${CONF_SUITES:-litmus clients caldav_script server_tester differential bench_smoke migrate}"
reports="${CONF_REPORT_DIR:-$CONF_ROOT/target/conformance-reports}"
export CONF_REPORT_DIR="$reports"
mkdir -p "$reports"
export CONF_RESULTS="$reports/results.tsv"
: >"$CONF_RESULTS"
started=$(date +%s)

printf '\n== conformance: install\n'
"$CONF_DIR/install.sh"

if [ ! -x "$AGORA_BIN" ]; then
  printf '\n== conformance: %s missing, building it\n' "$AGORA_BIN"
  (cd "$CONF_ROOT" && cargo build -p agora)
fi
export AGORA_BIN
printf '   agora binary: %s (%s)\n' "$AGORA_BIN" "$("$AGORA_BIN" --version 2>&1 || true)"

# One PostgreSQL for every postgres run (each run still gets its own database).
case " $stores " in *" postgres "*) conf_ensure_pg ;; esac
export AGORA_TEST_PG="${AGORA_TEST_PG:-}"

declare -A status duration
for store in $stores; do
  for suite in $suites; do
    script="$CONF_DIR/$suite.sh"
    [ -x "$script" ] || conf_die "no suite $suite ($script)"
    printf '\n== conformance: %s on %s\n' "$suite" "$store"
    t0=$(date +%s)
    set +e
    # A whole suite should take a minute or two; the limit only stops a hang.
    timeout 900 "$script" "$store" 2>&1 | tee "$reports/$suite-$store.log"
    rc=${PIPESTATUS[0]}
    set -e
    duration[$suite/$store]=$(($(date +%s) - t0))
    status[$suite/$store]=$rc
  done
done

# --- summary --------------------------------------------------------------------------------
# Suite names in results.tsv use dashes (caldav-script), script names underscores.
count() { # SUITE STORE STATUS
  awk -F'\t' -v s="$1" -v st="$2" -v x="$3" '$1 == s && $2 == st && $4 == x' "$CONF_RESULTS" | wc -l
}
{
  printf '\nConformance summary (%s s in all)\n\n' "$(($(date +%s) - started))"
  printf '%-15s %-9s %-7s %7s %7s %7s %6s\n' SUITE STORE RESULT PASSED FAILED SKIPPED TIME
  overall=0
  for store in $stores; do
    for suite in $suites; do
      name="${suite//_/-}"
      rc="${status[$suite/$store]}"
      p=$(count "$name" "$store" PASS) f=$(count "$name" "$store" FAIL) s=$(count "$name" "$store" SKIP)
      if [ "$rc" = 0 ] && [ "$f" = 0 ] && [ "$s" = 0 ] && [ "$p" -gt 0 ]; then
        result=ok
      elif [ "$rc" = 124 ]; then
        result=TIMEOUT overall=1
      elif [ $((p + f + s)) = 0 ]; then
        result="ERROR" overall=1   # the script stopped before any check (see its log)
      else
        result=FAIL overall=1
      fi
      printf '%-15s %-9s %-7s %7s %7s %7s %5ss\n' "$name" "$store" "$result" "$p" "$f" "$s" "${duration[$suite/$store]}"
    done
  done
  if [ "$overall" != 0 ]; then
    printf '\nFailed or skipped checks:\n'
    awk -F'\t' '$4 != "PASS" { d = $5; if (length(d) > 220) d = substr(d, 1, 220) "..."; printf "  %-13s %-8s %-4s %s: %s\n", $1, $2, $4, $3, d }' "$CONF_RESULTS"
  fi
  printf '\nLogs and reports: %s\n' "$reports"
} | tee "$reports/summary.txt"

overall=0
for key in "${!status[@]}"; do [ "${status[$key]}" = 0 ] || overall=1; done
if awk -F'\t' '$4 != "PASS" { bad = 1 } END { exit !bad }' "$CONF_RESULTS"; then overall=1; fi
exit "$overall"
