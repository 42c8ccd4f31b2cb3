#!/usr/bin/env bash
# Prints the path of a virtualenv with the Open311 test's requirements (created on first use), made
# as the sinks' is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../sinks/venv.sh" "$here/requirements.txt" "${OPEN311_VENV:-$HOME/.cache/dispatch-open311}"
