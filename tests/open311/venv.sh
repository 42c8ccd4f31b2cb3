#!/usr/bin/env bash
# Prints the path of a virtualenv with the Open311 test's requirements (created on first use;
# safe to call from several tests at once), as tests/sinks/venv.sh does for the sinks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${OPEN311_VENV:-$HOME/.cache/dispatch-open311}
stamp="$venv/.requirements"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$stamp"
fi
echo "$venv"
