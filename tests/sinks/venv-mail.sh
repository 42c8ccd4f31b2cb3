#!/usr/bin/env bash
# Prints the path of a virtualenv with the mail sink's requirements (created on first use).
# Concurrent callers wait for each other (flock), so parallel tests may all call it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${MAIL_SINK_VENV:-$HOME/.cache/dispatch-mail-sink}
stamp="$venv/.requirements"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements-mail.txt" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements-mail.txt" >&2
  cp "$here/requirements-mail.txt" "$stamp"
fi
echo "$venv"
