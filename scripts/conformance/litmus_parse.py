#!/usr/bin/env python3
"""Parse the output of one litmus suite program (litmus 0.13) into per-test results.

    litmus_parse.py SUITE OUTPUT_FILE EXIT_CODE

Prints one line per test, "STATUS<TAB>N.name<TAB>detail", STATUS being PASS, FAIL, SKIP
or WARN (a pass that issued a warning: the issue requires no warning either), then a
final "SUMMARY<TAB>SUITE<TAB>text" line. Exits 0 only when every test passed without a
warning, nothing was skipped, litmus printed its summary and its counts agree with ours,
and the program exited 0.

Without a terminal litmus prints each test name twice ("3. put_get....  3. put_get....
pass"), and a failure message may run over several lines; both are handled below.
"""

import re
import sys

TEST_RE = re.compile(r"^\s*(\d+)\.\s+(\S+?)\.{2,}\s*(.*)$")
SUMMARY_RE = re.compile(r"<- summary for `[^']*': of (\d+) tests run: (\d+) passed, (\d+) failed")
WARNINGS_RE = re.compile(r"-> (\d+) warnings? (?:were|was) issued")
SKIPPED_RE = re.compile(r"-> (\d+) tests? (?:were|was) skipped")


def main() -> int:
    suite, path, exit_code = sys.argv[1], sys.argv[2], int(sys.argv[3])
    text = open(path, encoding="utf-8", errors="replace").read()

    tests = []  # dicts: id, status, detail, warnings
    current = None
    in_message = None  # the test whose FAIL/SKIPPED message continues on the next line
    summary = None
    warn_total = skip_total = 0

    for raw in text.splitlines():
        line = raw.rstrip()
        m = SUMMARY_RE.search(line)
        if m:
            summary = tuple(int(x) for x in m.groups())
            in_message = None
            continue
        m = WARNINGS_RE.search(line)
        if m:
            warn_total = int(m.group(1))
            continue
        m = SKIPPED_RE.search(line)
        if m:
            skip_total = int(m.group(1))
            continue
        if line.startswith("-> running") or line.startswith("See debug.log"):
            continue

        # The result is what follows the last "N. name....." on the line (the name is
        # repeated without a terminal); a line of dots alone continues the current test.
        rest = None
        m = TEST_RE.match(line)
        if m:
            # Strip every repeated "N. name....." prefix.
            rest = line
            while True:
                m2 = TEST_RE.match(rest)
                if not m2:
                    break
                test_id = f"{m2.group(1)}.{m2.group(2)}"
                rest = m2.group(3)
            if current is None or current["id"] != test_id or current["status"] is not None:
                current = {"id": test_id, "status": None, "detail": "", "warnings": []}
                tests.append(current)
            in_message = None
        elif re.match(r"^\s*\.{3,}\s*", line) and current is not None:
            rest = re.sub(r"^\s*\.{3,}\s*", "", line)
            in_message = None
        elif in_message is not None:
            in_message["detail"] += " " + line.strip()
            continue
        else:
            continue

        if rest is None or current is None:
            continue
        rest = rest.strip()
        if rest.startswith("WARNING:"):
            current["warnings"].append(rest[len("WARNING:"):].strip())
        elif rest.startswith("pass"):
            current["status"] = "PASS"
        elif rest.startswith("FAIL"):
            current["status"] = "FAIL"
            current["detail"] = rest[len("FAIL"):].strip()
            in_message = current
        elif rest.startswith("SKIPPED"):
            current["status"] = "SKIP"
            current["detail"] = rest[len("SKIPPED"):].strip()
            in_message = current
        elif rest:
            # Anything else after the dots (e.g. a crash message) is not a pass.
            current["status"] = "FAIL"
            current["detail"] = rest
            in_message = current

    ok = exit_code == 0
    n_fail = n_skip = n_warn = 0
    for t in tests:
        status = t["status"] or "FAIL"  # a test without a verdict (litmus died) failed
        detail = t["detail"].strip()
        if t["status"] is None:
            detail = "no result printed (suite aborted?)"
        if status == "PASS" and t["warnings"]:
            status = "WARN"
        if t["warnings"]:
            detail = (detail + " " if detail else "") + " | ".join("WARNING: " + w for w in t["warnings"])
        n_fail += status == "FAIL"
        n_skip += status == "SKIP"
        n_warn += len(t["warnings"])
        print(f"{status}\t{t['id']}\t{detail}")
        ok = ok and status == "PASS"

    if summary is None:
        ok = False
        print(f"SUMMARY\t{suite}\tno litmus summary line (exit code {exit_code}): the suite did not complete")
    else:
        run, passed, failed = summary
        # Cross-check our reading with litmus' own counts.
        if failed != n_fail or warn_total != n_warn or skip_total != n_skip:
            ok = False
            print(
                f"FAIL\tparser\tparsed {n_fail} failures/{n_warn} warnings/{n_skip} skips, "
                f"litmus says {failed}/{warn_total}/{skip_total}"
            )
        print(
            f"SUMMARY\t{suite}\t{run} run, {passed} passed, {failed} failed, {warn_total} warnings, "
            f"{skip_total} skipped (exit {exit_code})"
        )
    if not tests:
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
