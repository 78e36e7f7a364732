#!/usr/bin/env bash
# clients.sh STORE: real command-line clients against a fresh Agora on STORE (sqlite or
# postgres), with a fresh user.
#
# 1. vdirsyncer syncs the user's calendar (VEVENT), task list (VTODO) and address book
#    both ways with local folders (vdirs), discovering them from the bare host URL. For
#    each of the three, on each side: create, change, delete; then a conflict (the same
#    item changed differently on both sides). After each sync the state is checked on
#    the server (curl PROPFIND + GET of every member) and in the local folder.
#    Conflict policy: `conflict_resolution = "b wins"`, b being the server: the server is
#    the copy other devices already saw, so it must win; the check is that both sides
#    end with the server's version and exactly one copy of the item.
# 2. khal, todoman and khard read what vdirsyncer brought down (including items created
#    on the server) and write to the local folders (create; complete and delete a task;
#    edit and remove a contact); vdirsyncer pushes it and the server's content is checked.
# 3. A final sync must change nothing (stable ETags and data), and a time-range sync of
#    events (vdirsyncer's calendar-query mode) must bring down exactly the events in range.
#
# Every check looks at real state; a check whose preceding sync failed still runs and
# fails on the state it finds, so nothing is reported passed that was not observed.
set -euo pipefail
store="${1:?usage: clients.sh sqlite|postgres}"
CONF_SUITE=clients CONF_STORE="$store"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
conf_require_venv

conf_start_server "$store"
user=alice password='alice-password-1'
conf_add_user "$user" "$password"
CREDS="$user:$password"
CAL_URL="$SERVER_URL/calendars/$user/calendar/"
TASK_URL="$SERVER_URL/calendars/$user/tasks/"
CARD_URL="$SERVER_URL/addressbooks/$user/contacts/"

# Clients get their own HOME, so no personal configuration or cache is read or written.
export HOME="$CONF_TMP/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
export TZ=Europe/Paris EDITOR=/bin/false VISUAL=/bin/false
mkdir -p "$XDG_CONFIG_HOME"/{khal,todoman,khard} "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
L="$CONF_TMP/local"                 # the local vdirs
LCAL="$L/cal/calendar" LTASK="$L/cal/tasks" LCARD="$L/card/contacts"
# Existing local folders are found by `vdirsyncer discover`, which then asks nothing.
mkdir -p "$LCAL" "$LTASK" "$LCARD" "$CONF_TMP/vdirsyncer-status" "$L/range/calendar"
V="$CONF_VENV_BIN"
RUN="$(date +%s)-$$"
# cl TOOL ARGS...: a client command with a time limit (none should need more than seconds).
cl() { timeout 60 "$V/$1" "${@:2}"; }

cat >"$CONF_TMP/vdirsyncer.conf" <<EOF
[general]
status_path = "$CONF_TMP/vdirsyncer-status/"

# calendar + tasks: discovered from the bare host URL (current-user-principal,
# calendar-home-set), both ways, the server (b) wins conflicts.
[pair cal]
a = "cal_local"
b = "cal_remote"
collections = ["calendar", "tasks"]
conflict_resolution = "b wins"

[storage cal_local]
type = "filesystem"
path = "$L/cal/"
fileext = ".ics"

[storage cal_remote]
type = "caldav"
url = "$SERVER_URL/"
username = "$user"
password = "$password"

[pair card]
a = "card_local"
b = "card_remote"
collections = ["contacts"]
conflict_resolution = "b wins"

[storage card_local]
type = "filesystem"
path = "$L/card/"
fileext = ".vcf"

[storage card_remote]
type = "carddav"
url = "$SERVER_URL/"
username = "$user"
password = "$password"

# events of June 2030 only: vdirsyncer then lists the server with a calendar-query
# (comp-filter VEVENT + time-range) instead of PROPFIND. Read-only on the server side.
[pair range]
a = "range_local"
b = "range_remote"
collections = null
conflict_resolution = "b wins"

[storage range_local]
type = "filesystem"
path = "$L/range/calendar/"
fileext = ".ics"

[storage range_remote]
type = "caldav"
url = "$CAL_URL"
username = "$user"
password = "$password"
read_only = true
item_types = ["VEVENT"]
start_date = "datetime(2030, 6, 1)"
end_date = "datetime(2030, 7, 1)"
EOF

# --- helpers ------------------------------------------------------------------------------

# vsync [PAIR...]: one vdirsyncer sync; its output is kept and shown when it fails.
VSYNC_N=0
vsync() {
  VSYNC_N=$((VSYNC_N + 1))
  VSYNC_LOG="$CONF_TMP/vdirsyncer-sync-$VSYNC_N.log"
  ( ulimit -f 10240; timeout 120 "$V/vdirsyncer" -c "$CONF_TMP/vdirsyncer.conf" sync "$@" ) </dev/null >"$VSYNC_LOG" 2>&1
}
# sync_check NAME [PAIR...]: a sync is a check of its own (a failure also shows the
# server's last requests, which usually name the refused one).
sync_check() {
  local name="$1"; shift
  if vsync "$@"; then
    conf_pass "$name"
  else
    conf_fail "$name" "vdirsyncer sync failed: $(tail -n 12 "$VSYNC_LOG")"
    conf_server_log_tail 8
  fi
}

ical_event() { # UID SUMMARY [DTSTART-UTC]
  local start="${3:-20300610T100000Z}"
  printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 "PRODID:-//Agora conformance//clients//EN" BEGIN:VEVENT \
    "UID:$1" "DTSTAMP:20300101T000000Z" "DTSTART:$start" "DURATION:PT1H" "SUMMARY:$2" END:VEVENT END:VCALENDAR
}
ical_todo() { # UID SUMMARY
  printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 "PRODID:-//Agora conformance//clients//EN" BEGIN:VTODO \
    "UID:$1" "DTSTAMP:20300101T000000Z" "SUMMARY:$2" "STATUS:NEEDS-ACTION" END:VTODO END:VCALENDAR
}
vcard() { # UID FN
  local last="${2##* }" first="${2%% *}"
  printf '%s\r\n' BEGIN:VCARD VERSION:3.0 "UID:$1" "FN:$2" "N:$last;$first;;;" \
    "EMAIL;TYPE=work:$(printf '%s' "$first" | tr 'A-Z ' 'a-z.')@example.org" END:VCARD
}
# item KIND UID TEXT [DTSTART]: the payload of one item of the kind (event, todo, card).
item() { case "$1" in event) ical_event "${@:2}" ;; todo) ical_todo "$2" "$3" ;; card) vcard "$2" "$3" ;; esac; }
field() { case "$1" in card) echo FN ;; *) echo SUMMARY ;; esac; }
ext() { case "$1" in card) echo vcf ;; *) echo ics ;; esac; }
remote() { case "$1" in event) echo "$CAL_URL" ;; todo) echo "$TASK_URL" ;; card) echo "$CARD_URL" ;; esac; }
localdir() { case "$1" in event) echo "$LCAL" ;; todo) echo "$LTASK" ;; card) echo "$LCARD" ;; esac; }
ctype() { case "$1" in card) echo 'text/vcard; charset=utf-8' ;; *) echo 'text/calendar; charset=utf-8' ;; esac; }

# The server's copy: every member of the collection fetched (PROPFIND Depth 1 + GET),
# then the one(s) whose UID line matches. Prints the bodies found.
server_items() { # COLLECTION_URL UID (fails when the collection cannot be read)
  local all
  all="$(conf_dav_bodies "$CREDS" "$1")" || { echo "cannot read the server collection $1"; return 1; }
  awk -v want="UID:$2" '
    /^=== / { if (hit) printf "%s", buf; buf = ""; hit = 0 }
    { buf = buf $0 "\n"; if ($0 == want) hit = 1 }
    END { if (hit) printf "%s", buf }' <<<"$all"
}
local_items() { # DIR UID
  local f
  for f in "$1"/*; do
    [ -f "$f" ] || continue
    if tr -d '\r' <"$f" | grep -qxF "UID:$2"; then printf '=== %s\n' "$f"; tr -d '\r' <"$f"; fi
  done
}
# expect_value SIDE KIND UID VALUE: exactly one copy of UID on SIDE (server|local),
# whose SUMMARY/FN is VALUE. Prints what was found when it is not so.
expect_value() {
  local side="$1" kind="$2" uid="$3" want="$4" got n f
  f="$(field "$kind")"
  if [ "$side" = server ]; then
    got="$(server_items "$(remote "$kind")" "$uid")" || { printf '%s\n' "$got"; return 1; }
  else
    got="$(local_items "$(localdir "$kind")" "$uid")"
  fi
  n="$(printf '%s' "$got" | grep -c '^=== ' || true)"
  if [ "$n" != 1 ]; then
    echo "$side holds $n copies of UID $uid (want 1)"; printf '%s\n' "$got" | head -n 30
    [ "$side" = server ] && conf_dav_hrefs "$CREDS" "$(remote "$kind")" | sed 's/^/  listed: /'
    return 1
  fi
  if ! printf '%s\n' "$got" | grep -qxF "$f:$want"; then
    echo "$side copy of $uid has $(printf '%s\n' "$got" | grep "^$f" || echo "no $f"), want '$f:$want'"
    return 1
  fi
}
expect_absent() { # SIDE KIND UID
  local side="$1" kind="$2" uid="$3" got
  if [ "$side" = server ]; then
    got="$(server_items "$(remote "$kind")" "$uid")" || { printf '%s\n' "$got"; return 1; }
  else
    got="$(local_items "$(localdir "$kind")" "$uid")"
  fi
  if [ -n "$got" ]; then echo "$side still holds UID $uid:"; printf '%s\n' "$got" | head -n 20; return 1; fi
}
# expect_line SIDE KIND UID REGEX: the single copy of UID has a line matching REGEX.
expect_line() {
  local side="$1" kind="$2" uid="$3" re="$4" got
  if [ "$side" = server ]; then
    got="$(server_items "$(remote "$kind")" "$uid")" || { printf '%s\n' "$got"; return 1; }
  else
    got="$(local_items "$(localdir "$kind")" "$uid")"
  fi
  if ! printf '%s\n' "$got" | grep -qE "$re"; then
    echo "$side copy of $uid has no line matching /$re/; it is:"; printf '%s\n' "$got" | head -n 30; return 1
  fi
}
# server_put KIND NAME UID TEXT [DTSTART] / server_delete KIND NAME: direct changes on
# the server (NAME.ics or NAME.vcf in the kind's collection).
server_put() {
  local code
  code="$(item "$1" "${@:3}" | conf_curl "$CREDS" -o "$CONF_TMP/put.out" -w '%{http_code}' -X PUT \
    -H "Content-Type: $(ctype "$1")" --data-binary @- "$(remote "$1")$2.$(ext "$1")")"
  case "$code" in 201 | 204) ;; *) echo "PUT $2 answered $code: $(head -c 300 "$CONF_TMP/put.out")"; return 1 ;; esac
}
server_delete() {
  local code
  code="$(conf_http_status "$CREDS" DELETE "$(remote "$1")$2.$(ext "$1")")"
  case "$code" in 200 | 204) ;; *) echo "DELETE $2 answered $code"; return 1 ;; esac
}
# uid_where DIR LINE: the UID of the local item that has the exact line LINE.
uid_where() {
  local f
  f="$(grep -rlF "$2" "$1" 2>/dev/null | head -n 1 || true)"
  [ -n "$f" ] || return 0
  tr -d '\r' <"$f" | awk -F: '$1 == "UID" { print $2; exit }'
}
local_set_value() { # KIND UID TEXT: rewrite the local item with a new SUMMARY/FN
  local f
  f="$(grep -rl "UID:$2" "$(localdir "$1")" | head -n 1)"
  [ -n "$f" ] || { echo "no local file for $2"; return 1; }
  item "$1" "$2" "$3" >"$f"
}

KINDS="event todo card"

# --- 1. vdirsyncer both ways ----------------------------------------------------------------
printf '\n-- vdirsyncer %s (%s) against %s/\n' "$("$V/vdirsyncer" --version | awk '{print $NF}')" "$store" "$SERVER_URL"

out="$(timeout 120 "$V/vdirsyncer" -c "$CONF_TMP/vdirsyncer.conf" discover cal card range </dev/null 2>&1 | head -c 20000)" && rc=0 || rc=$?
if [ "$rc" = 0 ] && grep -q '"calendar"' <<<"$out" && grep -q '"tasks"' <<<"$out" && grep -q '"contacts"' <<<"$out"; then
  conf_pass "vdirsyncer discover finds calendar, tasks, contacts from $SERVER_URL/"
else
  conf_fail "vdirsyncer discover finds calendar, tasks, contacts from $SERVER_URL/" "exit $rc: $(tail -n 15 <<<"$out")"
fi
sync_check "initial sync (empty collections)" cal card

# One item per collection that stays to the end: vdirsyncer refuses to sync a collection
# that became empty on one side (a safety against a wiped server), which the deletion
# steps below would otherwise cause.
# (The anchor event is on 1 August, outside the time-range sync's June.)
for k in $KINDS; do item "$k" "anchor-$k-$RUN" "Anchor $k" 20300801T100000Z >"$(localdir "$k")/anchor-$k-$RUN.$(ext "$k")"; done

# Local creations go up.
for k in $KINDS; do item "$k" "local-$k-$RUN" "Local $k v1" >"$(localdir "$k")/local-$k-$RUN.$(ext "$k")"; done
sync_check "sync after local creations" cal card
for k in $KINDS; do
  conf_check "$k: created locally -> on the server" expect_value server "$k" "local-$k-$RUN" "Local $k v1"
  conf_check "$k: second item created locally -> on the server" expect_value server "$k" "anchor-$k-$RUN" "Anchor $k"
done

# Server creations come down.
for k in $KINDS; do conf_check "$k: PUT on the server" server_put "$k" "server-$k-$RUN" "server-$k-$RUN" "Server $k v1"; done
sync_check "sync after server creations" cal card
for k in $KINDS; do conf_check "$k: created on the server -> local" expect_value local "$k" "server-$k-$RUN" "Server $k v1"; done

# Local changes go up.
for k in $KINDS; do local_set_value "$k" "local-$k-$RUN" "Local $k v2" || true; done
sync_check "sync after local changes" cal card
for k in $KINDS; do conf_check "$k: changed locally -> changed on the server" expect_value server "$k" "local-$k-$RUN" "Local $k v2"; done

# Server changes come down.
for k in $KINDS; do conf_check "$k: change on the server (PUT)" server_put "$k" "server-$k-$RUN" "server-$k-$RUN" "Server $k v2"; done
sync_check "sync after server changes" cal card
for k in $KINDS; do conf_check "$k: changed on the server -> changed locally" expect_value local "$k" "server-$k-$RUN" "Server $k v2"; done

# Local deletions go up.
for k in $KINDS; do { grep -rlF "UID:local-$k-$RUN" "$(localdir "$k")" || true; } | xargs -r rm -f; done
sync_check "sync after local deletions" cal card
for k in $KINDS; do conf_check "$k: deleted locally -> gone from the server" expect_absent server "$k" "local-$k-$RUN"; done

# Server deletions come down.
for k in $KINDS; do conf_check "$k: DELETE on the server" server_delete "$k" "server-$k-$RUN"; done
sync_check "sync after server deletions" cal card
for k in $KINDS; do conf_check "$k: deleted on the server -> gone locally" expect_absent local "$k" "server-$k-$RUN"; done

# Conflict: an item both sides hold, changed differently on each before the next sync.
for k in $KINDS; do server_put "$k" "conflict-$k-$RUN" "conflict-$k-$RUN" "Conflict $k base" || true; done
sync_check "sync of the conflict items' base version" cal card
for k in $KINDS; do
  local_set_value "$k" "conflict-$k-$RUN" "Conflict $k changed locally" || true
  server_put "$k" "conflict-$k-$RUN" "conflict-$k-$RUN" "Conflict $k changed on the server" || true
done
sync_check "sync with a conflict on each collection (policy: b = server wins)" cal card
conflict_log="$VSYNC_LOG"
for k in $KINDS; do
  # Both changes must have been seen (a conflict), not one of them silently lost.
  conf_check "$k: vdirsyncer detected the conflict" grep -qF "Doing conflict resolution for item conflict-$k-$RUN" "$conflict_log"
  conf_check "$k: conflict -> the server keeps its version" expect_value server "$k" "conflict-$k-$RUN" "Conflict $k changed on the server"
  conf_check "$k: conflict -> the local copy is replaced by the server's" expect_value local "$k" "conflict-$k-$RUN" "Conflict $k changed on the server"
done

# --- 2. khal, todoman, khard on the synced folders ------------------------------------------
cat >"$XDG_CONFIG_HOME/khal/config" <<EOF
[calendars]
[[calendar]]
path = $LCAL
type = calendar
[locale]
local_timezone = Europe/Paris
default_timezone = Europe/Paris
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[default]
default_calendar = calendar
[sqlite]
path = $CONF_TMP/home/khal.db
EOF
cat >"$XDG_CONFIG_HOME/todoman/config.py" <<EOF
path = "$LTASK"
date_format = "%Y-%m-%d"
time_format = "%H:%M"
default_list = "tasks"
cache_path = "$CONF_TMP/home/todoman.sqlite"
EOF
cat >"$XDG_CONFIG_HOME/khard/khard.conf" <<EOF
[addressbooks]
[[contacts]]
path = $LCARD
[general]
debug = no
default_action = list
editor = /bin/false
merge_editor = /bin/false
[contact table]
display = formatted_name
show_uids = yes
[vcard]
preferred_version = 3.0
EOF

printf '\n-- khal %s, todoman %s, khard %s on the synced folders\n' \
  "$("$V/khal" --version | awk '{print $NF}')" "$("$V/todo" --version | awk '{print $NF}')" "$("$V/khard" --version | awk '{print $NF}')"

# Items created on the server for the clients to read (and change).
server_put event "khal-read-$RUN" "khal-read-$RUN" "Server event for khal" 20300702T140000Z || conf_fail "PUT khal-read" "see above"
for t in keep complete delete; do server_put todo "todo-$t-$RUN" "todo-$t-$RUN" "Server task to $t" || conf_fail "PUT todo-$t" "see above"; done
server_put card "grace-$RUN" "grace-$RUN" "Grace Hopper" || conf_fail "PUT grace" "see above"
server_put card "babbage-$RUN" "babbage-$RUN" "Charles Babbage" || conf_fail "PUT babbage" "see above"
sync_check "sync down the items for khal, todoman, khard" cal card

# khal: reads the server's event in local time (14:00Z is 16:00 in Paris in July) ...
khal_read() {
  local out
  out="$(cl khal list 2030-07-02 2030-07-03 </dev/null 2>&1)" || { echo "khal list failed: $out"; return 1; }
  grep -q '16:00-17:00 Server event for khal' <<<"$out" || { echo "khal list shows: $out"; return 1; }
}
conf_check "khal list shows the server's event at 16:00 Paris time" khal_read
# ... and creates one, which vdirsyncer pushes.
conf_check "khal new creates an event locally" \
  cl khal new -a calendar 2030-07-01 10:00 11:00 "Khal created event $RUN"
khal_uid="$(uid_where "$LCAL" "SUMMARY:Khal created event $RUN")"

# todoman: lists the server's tasks, creates one, completes one, deletes one.
todo_id() { # SUMMARY -> todoman's id for it
  cl todo --porcelain list --status ANY </dev/null | python3 -c '
import json, sys
want = sys.argv[1]
ids = [t["id"] for t in json.load(sys.stdin) if t["summary"] == want]
print(ids[0] if ids else "")' "$1"
}
todo_read() {
  local out
  out="$(cl todo --porcelain list </dev/null 2>&1)" || { echo "todo list failed: $out"; return 1; }
  for t in keep complete delete; do grep -q "\"Server task to $t\"" <<<"$out" || { echo "todo list lacks 'Server task to $t': $out"; return 1; }; done
}
conf_check "todo list shows the server's three tasks" todo_read
conf_check "todo new creates a task" cl todo new -l tasks --due "2030-07-05 12:00" "Todoman task $RUN"
todo_done() { local id; id="$(todo_id "Server task to complete")"; [ -n "$id" ] || { echo "task not found"; return 1; }; cl todo 'done' "$id"; }
todo_delete() { local id; id="$(todo_id "Server task to delete")"; [ -n "$id" ] || { echo "task not found"; return 1; }; cl todo delete --yes "$id"; }
conf_check "todo done completes the server's task" todo_done
conf_check "todo delete removes the server's task" todo_delete
todoman_uid="$(uid_where "$LTASK" "SUMMARY:Todoman task $RUN")"

# khard: lists the server's contacts, creates one, edits one, removes one.
khard_read() {
  local out
  out="$(cl khard list </dev/null 2>&1)" || { echo "khard list failed: $out"; return 1; }
  if ! grep -q 'Grace Hopper' <<<"$out" || ! grep -q 'Charles Babbage' <<<"$out"; then
    echo "khard list shows: $out"; return 1
  fi
}
conf_check "khard list shows the server's contacts" khard_read
khard_new() { printf 'First name : Ada\nLast name : Lovelace\nEmail :\n    work : ada.%s@example.org\n' "$RUN" | cl khard new -a contacts; }
conf_check "khard new creates a contact" khard_new
khard_edit() {
  printf 'Formatted name : Grace Hopper\nFirst name : Grace\nLast name : Hopper\nEmail :\n    work : grace.hopper@navy.example\n' \
    >"$CONF_TMP/grace.yaml"
  # khard asks "Do you want to proceed?" (it has no --force for edit): answer it.
  printf 'yes\n' | cl khard edit -a contacts -i "$CONF_TMP/grace.yaml" "Grace Hopper"
}
conf_check "khard edit changes a server contact's e-mail" khard_edit
conf_check "khard remove deletes a server contact" cl khard remove -a contacts --force "Charles Babbage"
ada_uid="$(uid_where "$LCARD" "FN:Ada Lovelace")"

sync_check "sync pushes what khal, todoman and khard wrote" cal card
if [ -n "$khal_uid" ]; then
  conf_check "server: khal's event is there" expect_value server event "$khal_uid" "Khal created event $RUN"
  conf_check "server: khal's event starts 10:00 Europe/Paris" expect_line server event "$khal_uid" '^DTSTART;TZID=Europe/Paris:20300701T100000$'
else
  conf_fail "server: khal's event is there" "khal wrote no local file with the event"
fi
conf_check "server: khal left the server's event unchanged" expect_value server event "khal-read-$RUN" "Server event for khal"
if [ -n "$todoman_uid" ]; then
  conf_check "server: todoman's task is there" expect_value server todo "$todoman_uid" "Todoman task $RUN"
  conf_check "server: todoman's task has its DUE" expect_line server todo "$todoman_uid" '^DUE(;TZID=Europe/Paris)?:20300705T1[01]0000Z?$'
else
  conf_fail "server: todoman's task is there" "todoman wrote no local file with the task"
fi
conf_check "server: the completed task is COMPLETED" expect_line server todo "todo-complete-$RUN" '^STATUS:COMPLETED$'
conf_check "server: the deleted task is gone" expect_absent server todo "todo-delete-$RUN"
conf_check "server: the untouched task is unchanged" expect_line server todo "todo-keep-$RUN" '^STATUS:NEEDS-ACTION$'
if [ -n "$ada_uid" ]; then
  conf_check "server: khard's contact is there" expect_value server card "$ada_uid" "Ada Lovelace"
else
  conf_fail "server: khard's contact is there" "khard wrote no local file with the contact"
fi
conf_check "server: the edited contact has its new e-mail" expect_line server card "grace-$RUN" '^EMAIL.*:grace\.hopper@navy\.example$'
conf_check "server: the removed contact is gone" expect_absent server card "babbage-$RUN"

# --- 3. stability and the time-range sync ---------------------------------------------------
# Nothing changed since the last sync: a new sync must neither copy nor delete anything
# (it would if ETags or data changed without a write).
stable() {
  vsync cal card || { echo "sync failed: $(tail -n 10 "$VSYNC_LOG")"; return 1; }
  if grep -E 'Copying|Updating|Deleting' "$VSYNC_LOG"; then return 1; fi
}
conf_check "a sync right after a sync changes nothing" stable

# Time range June 2030: of the events left on the server, only the conflict event
# (10 June) is in range; the anchor (1 August), khal's (1 July) and the khal-read event
# (2 July) are not.
range_sync() {
  vsync range || { echo "sync failed: $(tail -n 10 "$VSYNC_LOG")"; conf_server_log_tail 4; return 1; }
  local got
  got="$(cat "$L"/range/calendar/*.ics 2>/dev/null | tr -d '\r' | awk -F: '$1 == "UID" { print $2 }' | sort | tr '\n' ' ')"
  [ "$got" = "conflict-event-$RUN " ] || { echo "UIDs synced: '$got', want 'conflict-event-$RUN'"; return 1; }
}
conf_check "time-range sync (calendar-query VEVENT, June 2030) brings exactly the June event" range_sync

conf_stop_server
conf_finish
