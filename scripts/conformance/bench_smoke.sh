#!/usr/bin/env bash
# Benchmark smoke run: agora-bench populates a few objects over standard
# CalDAV/CardDAV and times a first sync, against a fresh server on each store, so the
# benchmark keeps working. It measures; it asserts no timing, only that every object
# written is read back.
#
#   scripts/conformance/bench_smoke.sh STORE     (sqlite or postgres)
set -euo pipefail
CONF_SUITE=bench-smoke
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

store="${1:?store: sqlite or postgres}"
CONF_STORE="$store"
bench="${AGORA_BENCH_BIN:-$CONF_ROOT/target/debug/agora-bench}"
[ -x "$bench" ] || (cd "$CONF_ROOT" && cargo build -p agora-bench --locked)
conf_start_server "$store"
out="$CONF_TMP/bench.txt"
if AGORA_BENCH_PASSWORD="$ADMIN_PASSWORD" "$bench" --url "$SERVER_URL" --user admin \
    --events 60 --contacts 60 --concurrency 4 --json "$CONF_TMP/bench.json" >"$out" 2>&1; then
  cat "$out"
  conf_check "the calendar sync read back every event" grep -Eq '^initial-sync calendar +60 ' "$out"
  conf_check "the address-book sync read back every contact" grep -Eq '^initial-sync contacts +60 ' "$out"
else
  cat "$out"
  conf_fail "agora-bench run" "exit status $?"
fi
conf_finish
