#!/usr/bin/env bash
# Benchmark smoke run: agora-bench populates three users over standard CalDAV/CardDAV
# (a "big" calendar and address book of 60 objects each) and runs every workload for a
# second, against a fresh server on each store, so the benchmark keeps working. It
# measures; it asserts no timing, only that every workload ran without a single failed
# request and that the first syncs read back every object written.
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

# Three users, so that free/busy asks about colleagues and writes avoid the big user.
password="bench-$RANDOM-$RANDOM-$RANDOM"
for n in 1 2 3; do conf_add_user "bench$n" "$password"; done
export AGORA_BENCH_PASSWORD="$password"
target=(--url "$SERVER_URL" --users 3 --big-events 60 --big-contacts 60 --events-per-user 5)

out="$CONF_TMP/bench.txt"
json="$CONF_TMP/bench.json"
if "$bench" populate "${target[@]}" --tasks-per-user 3 --contacts-per-user 3 --concurrency 4 >"$out" 2>&1; then
  conf_pass "agora-bench populate wrote every object"
else
  cat "$out"
  conf_fail "agora-bench populate wrote every object" "$(tail -n 8 "$out")"
fi

# --strict: any failed request or missing object makes the run fail.
if "$bench" run "${target[@]}" --concurrency 2 --latency-concurrency 2 --duration 1 --attendees 2 --think-ms 50 \
    --server-pid "$SERVER_PID" --json "$json" --strict >"$out" 2>&1; then
  conf_pass "agora-bench run: no failed request, no missing object"
else
  conf_fail "agora-bench run: no failed request, no missing object" "$(grep -E 'FAILED|failed|^    ' "$out" | tail -n 12)"
fi
cat "$out"

# workload_ok NAME: the JSON report has NAME, with requests and no error.
workload_ok() {
  python3 - "$json" "$1" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
w = next((w for w in report["workloads"] if w["name"] == sys.argv[2]), None)
if w is None:
    sys.exit(f"no {sys.argv[2]} in the report")
requests = sum(k["requests"] for k in w["kinds"])
if requests == 0 or w["errors"] != 0 or w["failed_check"]:
    sys.exit(f"{sys.argv[2]}: {requests} requests, {w['errors']} errors, {w['failed_check']}: {w['kinds']}")
EOF
}
# synced_all NAME COUNT: that first sync listed at least COUNT members and fetched each.
synced_all() {
  python3 - "$json" "$1" "$2" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
d = next(w for w in report["workloads"] if w["name"] == sys.argv[2])["details"]
if not (d["listed"] >= int(sys.argv[3]) and d["fetched"] == d["listed"]):
    sys.exit(f"{sys.argv[2]}: listed {d['listed']}, fetched {d['fetched']}, expected {sys.argv[3]}")
EOF
}

if [ -s "$json" ]; then
  for w in ctag "initial-sync calendar" "initial-sync contacts" delta-sync range put freebusy mixed; do
    conf_check "workload $w ran without error" workload_ok "$w"
  done
  conf_check "the calendar sync read back every event" synced_all "initial-sync calendar" 60
  conf_check "the address-book sync read back every contact" synced_all "initial-sync contacts" 60
  conf_check "the server's memory was sampled" \
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["server_memory"]["hwm_kb"] > 0' "$json"
else
  conf_fail "agora-bench wrote its JSON report" "no $json"
fi
conf_finish
