#!/usr/bin/env bash
# Open311 GeoReport v2 as a civic app meets it: the third-party `georeport` client (PyPI) lists the
# services and reads requests back, a request is filed with a ТОС office's API key, the story is
# driven to the end through the JSON API, and every XML answer validates against the XSDs in xsd/.
# Usage: run.sh <dispatch binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh <dispatch binary>}
venv=$("$here/venv.sh")
work=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
APP_CALL_HOURS_START=00:00 APP_CALL_HOURS_END=00:00 APP_DEMO=true APP_BIND=127.0.0.1:$port DATABASE_URL="sqlite://$work/open311.sqlite?mode=rwc" \
  APP_WORKER_INTERVAL_SECONDS=0 RUST_LOG=error "$bin" serve > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done

"$venv/bin/python" "$here/story.py" "http://127.0.0.1:$port" "$here/xsd" \
  || { echo "--- server log"; tail -50 "$work/server.log"; exit 1; }
