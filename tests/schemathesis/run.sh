#!/usr/bin/env bash
# Fuzzes the live binary with schemathesis (`--checks all`) as two demo users of every role, as an
# API key of every kind of organisation (with every scope it may be granted), and as an anonymous
# caller. Each caller gets a fresh server and database, since fuzzing changes
# passwords, trips sign-in limits and deactivates accounts.
# Fails on any failure. Usage: run.sh <dispatch binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh <dispatch binary>}
venv=${SCHEMATHESIS_VENV:-$HOME/.cache/dispatch-schemathesis}
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.3,<5"
fi
work=$(mktemp -d)
pid=
stop_server() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

# Starts a fresh server; sets $base and $pid.
start_server() {
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  rm -f "$work"/st.sqlite*
  APP_DEMO=true APP_BIND=127.0.0.1:$port DATABASE_URL="sqlite://$work/st.sqlite?mode=rwc" \
    APP_WORKER_INTERVAL_SECONDS=5 APP_API_KEY_RATE_LIMIT=1000000 RUST_LOG=warn "$bin" serve > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do curl -sf "$base/ready" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not become ready"; cat "$work/server.log"; return 1
}

token() {
  curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"$1@demo.test\",\"password\":\"demo2026\"}" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])'
}

# Creates an API key for the first organisation of `kind`, with every scope it may be granted.
api_key() {
  local admin
  admin=$(token admin)
  curl -sf "$base/api/v1/admin/organisations?kind=$1" -H "Authorization: Bearer $admin" \
    | python3 -c 'import sys,json; o=json.load(sys.stdin)["items"][0]; print(json.dumps({"name":"fuzz","organisation_id":o["id"],"scopes":o["grantable_scopes"]}))' \
    | curl -sf "$base/api/v1/admin/api-keys" -H "Authorization: Bearer $admin" -H 'content-type: application/json' -d @- \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["key"])'
}

failed=0
passed=0
users=${ST_USERS:-"resident resident2 clerk clerk2 company company2 dispatcher dispatcher2 \
            inspector inspector2 admin admin2 key:management_company key:city_department \
            key:inspection key:tos_office anonymous"}
for user in $users; do
  start_server
  auth=()
  if [ "${user%%:*}" = key ]; then
    if ! key=$(api_key "${user#key:}") || [ -z "$key" ]; then
      echo "schemathesis as $user: FAILED (cannot create the key)"; failed=$((failed + 1)); stop_server; continue
    fi
    auth=(-H "X-Api-Key: $key")
  elif [ "$user" != anonymous ]; then
    if ! bearer=$(token "$user") || [ -z "$bearer" ]; then
      echo "schemathesis as $user: FAILED (cannot sign in)"; failed=$((failed + 1)); stop_server; continue
    fi
    auth=(-H "Authorization: Bearer $bearer")
  fi
  log="$work/${user/:/-}.log"
  if "$venv/bin/st" --config-file "$here/schemathesis.toml" --no-color run "$base/api/v1/openapi.json" \
      --checks all --max-examples "${ST_MAX_EXAMPLES:-25}" --seed 20261128 "${auth[@]}" > "$log" 2>&1; then
    echo "schemathesis as $user: ok ($(grep -Eo '[0-9]+ generated' "$log" | head -1))"
    passed=$((passed + 1))
  else
    echo "schemathesis as $user: FAILED"
    sed -n '/FAILURES/,$p' "$log" | head -150
    echo "--- the server's errors:"
    grep -E '"level":"(ERROR|WARN)"|ERROR|WARN' "$work/server.log" | tail -20 || true
    failed=$((failed + 1))
  fi
  stop_server
done
echo "schemathesis: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
