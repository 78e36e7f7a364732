#!/usr/bin/env bash
# Installs what the conformance stage needs; safe to run again (it only installs what is
# missing or out of date), non-interactive (CI=true, no TTY), and it reaches nothing but
# the Debian mirrors and PyPI.
#
#   Debian (apt-get): litmus (the WebDAV suites), curl, python3-venv, util-linux (setpriv),
#                     postgresql (only when no PostgreSQL is installed: the postgres runs
#                     create their databases in it).
#   Python venv at ${AGORA_VENV:-<repo>/target/conformance-venv}: requirements.txt
#                     (caldav, caldav-server-tester, vdirsyncer, khal, todoman, khard,
#                     radicale, xandikos and their pinned dependencies). The venv records a hash of
#                     requirements.txt and is rebuilt when the file changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${AGORA_VENV:-$root/target/conformance-venv}"

log() { printf '[install] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }

# --- Debian packages ---------------------------------------------------------------------
missing=()
command -v litmus >/dev/null && [ -x /usr/libexec/litmus/basic ] || missing+=(litmus)
command -v curl >/dev/null || missing+=(curl)
command -v setpriv >/dev/null || missing+=(util-linux)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  # An update failure (a mirror hiccup) is not fatal if the package lists are usable.
  as_root apt-get update -q || log "apt-get update failed; trying the existing package lists"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages present (litmus, curl, setpriv, python3-venv, postgresql)"
fi

# --- Python virtualenv ---------------------------------------------------------------------
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
stamp="$venv/.agora-requirements.sha256"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
  && "$venv/bin/python" -c 'import caldav, caldav_server_tester, vdirsyncer, khal, todoman, khard, radicale, xandikos' 2>/dev/null; then
  log "venv $venv is up to date"
else
  log "building venv $venv from requirements.txt"
  rm -rf "$venv"
  python3 -m venv "$venv"
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
  # Wheels only: every pinned version has one for CPython 3.11 on Linux, so nothing is
  # compiled and no build dependency is fetched.
  "$venv/bin/pip" install -q --only-binary :all: -r "$here/requirements.txt"
  "$venv/bin/python" -c 'import caldav, caldav_server_tester, vdirsyncer, khal, todoman, khard, radicale, xandikos'
  printf '%s\n' "$want" >"$stamp"
fi

# Show what the run will use (one line each), so a report says which versions it tested.
log "litmus $(litmus --version 2>/dev/null | awk '{print $2}')"
for tool in vdirsyncer khal todo khard caldav-server-tester; do
  log "$tool: $("$venv/bin/$tool" --version 2>&1 | head -n 1)"
done
log "caldav $("$venv/bin/python" -c 'import caldav; print(caldav.__version__)')"
