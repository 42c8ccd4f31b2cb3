#!/usr/bin/env bash
# Prints the path of a virtualenv with the sinks' requirements (created on first use; safe to call
# from several tests at once). Other tests reuse it for their own requirements:
# venv.sh [REQUIREMENTS [VENV]].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requirements=${1:-$here/requirements.txt}
venv=${2:-${SINKS_VENV:-$HOME/.cache/dispatch-sinks}}
stamp="$venv/.requirements"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -r "$requirements" >&2
  cp "$requirements" "$stamp"
fi
echo "$venv"
