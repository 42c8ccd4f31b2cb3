#!/usr/bin/env bash
# Fuzzes the live binary with schemathesis (`--checks all`) as several roles, two users per role
# where the demo city has two. Fails on any failure. Usage: run.sh <dispatch binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh <dispatch binary>}
venv=${SCHEMATHESIS_VENV:-$HOME/.cache/dispatch-schemathesis}
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.3,<5"
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base=http://127.0.0.1:$port
APP_DEMO=true APP_BIND=127.0.0.1:$port DATABASE_URL="sqlite://$work/st.sqlite?mode=rwc" \
  APP_WORKER_INTERVAL_SECONDS=5 RUST_LOG=warn "$bin" serve > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/ready" >/dev/null && break; sleep 0.2; done

token() {
  curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"$1@demo.test\",\"password\":\"demo2026\"}" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])'
}

failed=0
passed=0
cd "$here"
for user in dispatcher resident resident2 company company2 clerk inspector admin; do
  log="$work/$user.log"
  if "$venv/bin/st" --config-file "$here/schemathesis.toml" --no-color run "$base/api/v1/openapi.json" \
      --checks all --max-examples "${ST_MAX_EXAMPLES:-25}" --seed 20261128 \
      -H "Authorization: Bearer $(token "$user")" > "$log" 2>&1; then
    echo "schemathesis as $user: ok ($(grep -Eo '[0-9]+ generated' "$log" | head -1))"
    passed=$((passed + 1))
  else
    echo "schemathesis as $user: FAILED"
    sed -n '/FAILURES/,$p' "$log" | head -150
    failed=$((failed + 1))
  fi
done
# An anonymous caller too.
if "$venv/bin/st" --config-file "$here/schemathesis.toml" --no-color run "$base/api/v1/openapi.json" \
    --checks all --max-examples "${ST_MAX_EXAMPLES:-25}" --seed 20261128 > "$work/anonymous.log" 2>&1; then
  echo "schemathesis as anonymous: ok"; passed=$((passed + 1))
else
  echo "schemathesis as anonymous: FAILED"; sed -n '/FAILURES/,$p' "$work/anonymous.log" | head -150; failed=$((failed + 1))
fi
echo "schemathesis: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
