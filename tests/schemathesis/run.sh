#!/usr/bin/env bash
# Fuzzes the live binary with schemathesis (`--checks all`, every phase: examples, coverage,
# fuzzing and stateful, where ids flow from one answer into the next call through the spec's
# OpenAPI `links` and those schemathesis infers from `Location` headers and the schemas) as a
# demo user of every role, as
# an API key of every kind of organisation (with every scope it may be granted), and as an
# anonymous caller, on SQLite; and as one user of every role, an API key and an anonymous caller
# on PostgreSQL. Each caller gets a fresh server and database, since fuzzing changes passwords,
# trips sign-in limits and deactivates accounts. A schema-valid request may only get a status its
# operation documents (the config is written from the spec, see below).
# Fails on any failure. Usage: run.sh <dispatch binary>
#   ST_USERS / ST_PG_USERS: the callers on SQLite / PostgreSQL ("" skips that database);
#   ST_MAX_EXAMPLES (25); ST_JOBS: callers fuzzed at once (2: schemathesis is one busy Python
#   process, so two keep both cores of a CI machine working); TEST_DATABASE_URL: where PostgreSQL
#   databases may be created.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh <dispatch binary>}
venv=${SCHEMATHESIS_VENV:-$HOME/.cache/dispatch-schemathesis}
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.3,<5"
fi
work=$(mktemp -d)
# On the way out (an interrupt, say), each run still going stops its server and drops its database.
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
pg_admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

# One caller's run is a subshell of its own (see `fuzz`), so these are per run: its server's
# $pid, $base and PostgreSQL database $pg_db, schemathesis's $st_pid, and its folder $dir.
pid=
pg_db=
st_pid=
stop_server() {
  if [ -n "$st_pid" ]; then kill "$st_pid" 2>/dev/null || true; wait "$st_pid" 2>/dev/null || true; st_pid=; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi
  if [ -n "$pg_db" ]; then
    psql -w -q -d "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" </dev/null >/dev/null 2>&1 || true
    pg_db=
  fi
}

# Starts a fresh server on a fresh database of `$1` (sqlite or postgres); sets $base and $pid.
# The daily limits are raised so that creates (complaints, attachments) are really exercised,
# not refused with 429 after the first few.
start_server() {
  local port database
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  if [ "$1" = postgres ]; then
    pg_db=st_$(python3 -c 'import uuid;print(uuid.uuid4().hex)')
    psql -w -q -d "$pg_admin" -c "CREATE DATABASE $pg_db" </dev/null >/dev/null
    database="${pg_admin%/*}/$pg_db"
  else
    database="sqlite://$dir/st.sqlite?mode=rwc"
  fi
  APP_DEMO=true APP_BIND=127.0.0.1:$port DATABASE_URL="$database" \
    APP_WORKER_INTERVAL_SECONDS=5 APP_API_KEY_RATE_LIMIT=1000000 APP_DAILY_COMPLAINT_LIMIT=1000000 \
    APP_DAILY_COMPLAINT_LIMIT_CLERK=1000000 APP_DAILY_COMPLAINT_LIMIT_API_KEY=1000000 \
    APP_ATTACHMENTS_PER_USER_DAY=1000000 APP_ATTACHMENT_BYTES_PER_USER_DAY=1000000000000 \
    RUST_LOG=warn "$bin" serve > "$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do curl -sf "$base/ready" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not become ready"; cat "$dir/server.log"; return 1
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

# One user of every role: each caller starts on a fresh database with the same seed, so a second
# user of a role (resident2, company2, …; still accepted here) fuzzed what the first did and cost
# CI minutes. Cross-user access is the access matrix's job (crates/api/tests/api/access_matrix.rs).
users=${ST_USERS-"resident clerk company dispatcher inspector admin key:management_company \
            key:city_department key:inspection key:tos_office anonymous"}
pg_users=${ST_PG_USERS-"resident company dispatcher inspector admin key:management_company anonymous"}
runs=()
for user in $users; do runs+=("sqlite:$user"); done
for user in $pg_users; do runs+=("postgres:$user"); done

# The config: the shared file, plus, for every operation, the statuses a schema-valid request may
# get — what the operation documents (401 and 403 for any caller; never 400, which would mean the
# spec and the server disagree). Written from the spec the binary serves.
config="$work/schemathesis.toml"
"$bin" openapi | python3 "$here/expected_statuses.py" "$here/schemathesis.toml" > "$config"

# Fuzzes as caller `$2` on backend `$1`, in a folder of its own; prints its report and fails
# with the run.
fuzz() {
  local backend=$1 user=$2 auth=() key bearer log
  dir="$work/$backend-${user/:/-}"
  mkdir -p "$dir"
  trap stop_server EXIT
  trap 'exit 1' TERM INT
  start_server "$backend" || return 1
  if [ "${user%%:*}" = key ]; then
    if ! key=$(api_key "${user#key:}") || [ -z "$key" ]; then
      echo "schemathesis as $user on $backend: FAILED (cannot create the key)"; return 1
    fi
    auth=(-H "X-Api-Key: $key")
  elif [ "$user" != anonymous ]; then
    if ! bearer=$(token "$user") || [ -z "$bearer" ]; then
      echo "schemathesis as $user on $backend: FAILED (cannot sign in)"; return 1
    fi
    auth=(-H "Authorization: Bearer $bearer")
  fi
  log="$dir/schemathesis.log"
  # In the background and waited for, so that an interrupt reaches this run's trap at once.
  "$venv/bin/st" --config-file "$config" --no-color run "$base/api/v1/openapi.json" \
    --checks all --max-examples "${ST_MAX_EXAMPLES:-25}" --seed 20261128 "${auth[@]}" > "$log" 2>&1 &
  st_pid=$!
  if wait "$st_pid"; then
    st_pid=
    echo "schemathesis as $user on $backend: ok ($(grep -Eo '[0-9]+ generated' "$log" | head -1); $(grep -Eo 'Stateful.*' "$log" | head -1); ${SECONDS} s)"
  else
    st_pid=
    echo "schemathesis as $user on $backend: FAILED"
    sed -n '/FAILURES/,$p' "$log" | head -150
    echo "--- the server's errors:"
    grep -E '"level":"(ERROR|WARN)"|ERROR|WARN' "$dir/server.log" | tail -20 || true
    return 1
  fi
}

# The runs, ST_JOBS at a time; each one's report is printed whole when it ends.
failed=0
passed=0
running=0
reap() {
  local done_pid
  wait -n -p done_pid || true
  cat "$work/report-$done_pid"
  if [ -e "$work/ok-$done_pid" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  running=$((running - 1))
}
for run in "${runs[@]}"; do
  [ "$running" -lt "${ST_JOBS:-2}" ] || reap
  (
    SECONDS=0
    if fuzz "${run%%:*}" "${run#*:}" > "$work/report-$BASHPID" 2>&1; then touch "$work/ok-$BASHPID"; fi
  ) &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do reap; done
echo "schemathesis: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
