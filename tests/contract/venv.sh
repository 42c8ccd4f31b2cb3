#!/usr/bin/env bash
# Prints the path of a virtualenv with the contract tools (created on first use).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${CONTRACT_VENV:-$HOME/.cache/dispatch-contract}
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$stamp"
fi
echo "$venv"
