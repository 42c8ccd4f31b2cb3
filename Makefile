# The two commands for a fresh machine are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/debug/dispatch
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL

.PHONY: run build web-deps web openapi client check-openapi check-client lint fmt test test-rust \
        test-web e2e screenshots fuzz-api check-compose check-purity check-layers check-spec contract open311 check-postgres clean bench bench-scaling reliability

## run: build everything and serve the API, the SPA and /docs on SQLite with the demo city, with a
## local SMS centre and mail server (what they receive: data/sinks/sms.jsonl, mail.jsonl)
run: build
	APP_DEMO=true APP_DEMO_COMPLAINTS=$${APP_DEMO_COMPLAINTS:-120} APP_PILOT_MODE=$${APP_PILOT_MODE:-true} \
	APP_METRICS_BIND=$${APP_METRICS_BIND:-127.0.0.1:9464} \
	  tests/sinks/with-sinks.sh data/sinks $(BIN) serve

build: web
	cargo build -p api --bin dispatch

web-deps:
	@if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
	  cd web && npm ci --no-audit --no-fund; fi

web: web-deps
	cd web && npm run build

## openapi: write the spec served by the real app to openapi/openapi.json (3.1) and
## openapi/openapi-3.0.json (its 3.0 rendering), and the SPA's client types
openapi:
	cargo run -q -p api --bin dispatch -- openapi > openapi/openapi.json
	cargo run -q -p api --bin dispatch -- openapi-3.0 > openapi/openapi-3.0.json
	$(MAKE) client

client: web-deps
	cd web && npm run gen:api

## check-openapi / check-client: fail when the committed spec or client differ from the app
check-openapi:
	cargo run -q -p api --bin dispatch -- openapi > $(CARGO_TARGET_DIR)/openapi.check.json
	diff -u openapi/openapi.json $(CARGO_TARGET_DIR)/openapi.check.json \
	  || { echo "openapi/openapi.json is stale: run 'make openapi' and commit it"; exit 1; }
	cargo run -q -p api --bin dispatch -- openapi-3.0 > $(CARGO_TARGET_DIR)/openapi-3.0.check.json
	diff -u openapi/openapi-3.0.json $(CARGO_TARGET_DIR)/openapi-3.0.check.json \
	  || { echo "openapi/openapi-3.0.json is stale: run 'make openapi' and commit it"; exit 1; }

## check-spec: both committed specs validate (openapi-spec-validator, from PyPI)
check-spec:
	venv=$$(tests/contract/venv.sh); for spec in openapi/openapi.json openapi/openapi-3.0.json; do \
	  "$$venv/bin/openapi-spec-validator" --errors all "$$spec" || exit 1; done

check-client: web-deps
	cd web && npx openapi-typescript ../openapi/openapi.json -o $(CARGO_TARGET_DIR)/schema.check.d.ts >/dev/null
	diff -u web/src/api/schema.d.ts $(CARGO_TARGET_DIR)/schema.check.d.ts \
	  || { echo "web/src/api/schema.d.ts is stale: run 'make client' and commit it"; exit 1; }

## check-purity: the domain crate pulls in no database, HTTP, runtime or token crate
check-purity:
	@for features in "" "--features openapi"; do for dep in sea-orm sqlx actix-web tokio jsonwebtoken reqwest; do \
	  if cargo tree -p domain $$features -e normal -i $$dep >/dev/null 2>&1; then \
	    echo "domain ($$features) depends on $$dep: keep it pure"; exit 1; fi; \
	done; done; echo "domain is pure: no sea-orm, sqlx, actix-web, tokio, jsonwebtoken or reqwest"

## check-layers: the api crate names no SeaORM type: persistence keeps its entities, migrations
## and errors to itself, and api depends on it, not on sea-orm
check-layers:
	@if cargo tree -p api -e normal --depth 1 --prefix none | grep -Eq '^sea-orm(-migration)? '; then \
	  echo "api depends on sea-orm directly: go through persistence's repositories"; exit 1; fi
	@if grep -rnE '\bsea_orm(_migration)?::|\bDbErr\b' crates/api/src; then \
	  echo "api names a SeaORM type (above): go through persistence's repositories"; exit 1; fi
	@echo "layers hold: api names no SeaORM type"

## check-compose: docker-compose.yml validates (no Docker engine runs here, so it is not started)
check-compose:
	@command -v docker-compose >/dev/null || { echo "docker-compose is missing: apt-get install docker-compose"; exit 1; }
	APP_JWT_SECRET=ci-validation-secret-0123456789abcdef docker-compose -f docker-compose.yml config -q
	@echo "docker-compose.yml is valid"

check-postgres:
	@pg_isready -d "$(TEST_DATABASE_URL)" -t 5 >/dev/null 2>&1 || { \
	  echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL)."; \
	  echo "Start it (Debian: pg_ctlcluster <version> main start) or set TEST_DATABASE_URL to a server"; \
	  echo "where the user may CREATE DATABASE. The tests never skip PostgreSQL."; exit 1; }

## lint: rustfmt, clippy with warnings as errors, eslint and tsc
lint: web-deps check-layers
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd web && npm run lint

fmt:
	cargo fmt --all

## test: every test — Rust on SQLite and PostgreSQL, web unit tests, drift checks, lint, purity,
## e2e in Chromium, the generated-client and Open311 stories, and schemathesis against the live binary
test: check-postgres lint check-purity check-compose check-openapi check-spec check-client test-rust test-web e2e contract open311 fuzz-api

test-rust: check-postgres
	cargo test --workspace --no-fail-fast

test-web: web-deps
	cd web && npm test

## e2e: the real binary on a fresh SQLite database, with the local SMS centre and mail server on
## free ports (the registration story reads its code from the SMS centre), driven through the SPA
## in Debian's Chromium; any hour is a calling hour and a resident may file 100 a day (the stories
## run on the wall clock and file many complaints as the same demo residents)
e2e: build
	@set -m; tmp=$$(mktemp -d); free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }; \
	port=$$(free); smpp=$$(free); control=$$(free); smtp=$$(free); \
	SINK_SMPP_PORT=$$smpp SINK_SMPP_CONTROL_PORT=$$control SINK_SMTP_PORT=$$smtp APP_DELIVERY_INTERVAL_MS=250 \
	APP_CALL_HOURS_START=00:00 APP_CALL_HOURS_END=00:00 APP_DAILY_COMPLAINT_LIMIT=100 \
	APP_DEMO=true APP_PILOT_MODE=true APP_WORKER_INTERVAL_SECONDS=2 APP_BIND=127.0.0.1:$$port DATABASE_URL="sqlite://$$tmp/e2e.sqlite?mode=rwc" \
	  APP_WEB_DIR=$(CURDIR)/web/dist tests/sinks/with-sinks.sh $$tmp/sinks $(BIN) serve > $(CARGO_TARGET_DIR)/e2e-server.log 2>&1 & pid=$$!; \
	trap 'kill -- -$$pid 2>/dev/null || true' EXIT; \
	for i in $$(seq 1 150); do curl -sf http://127.0.0.1:$$port/ready >/dev/null && break; sleep 0.2; done; \
	cd web && E2E_BASE_URL=http://127.0.0.1:$$port E2E_SMSC_CONTROL=http://127.0.0.1:$$control E2E_DOC_SHOTS=$${E2E_DOC_SHOTS:-0} npm run e2e

## screenshots: the e2e run, rewriting the README's screenshots in docs/screenshots
screenshots:
	$(MAKE) e2e E2E_DOC_SHOTS=1

## contract: a client generated by openapi-python-client from the committed spec drives the whole
## story against the real binary (no hand-written HTTP)
contract:
	cargo build -p api --bin dispatch
	tests/contract/run.sh $(BIN)

## open311: Open311 GeoReport v2 as a civic app meets it: the third-party `georeport` client (PyPI)
## reads, a ТОС key files, the story closes the request, and XML answers validate against tests/open311/xsd
open311:
	cargo build -p api --bin dispatch
	tests/open311/run.sh $(BIN)

## fuzz-api: schemathesis (--checks all) against the live binary as every demo role and anonymous
fuzz-api:
	cargo build -p api --bin dispatch
	tests/schemathesis/run.sh $(BIN)

## bench: 1 M complaints in PostgreSQL, the release binary under wrk, pgbench on the captured SQL,
## 10,000 SMS drained through the SMSC simulator (BENCH_SMS), Open311 reads and a 1,000-accept webhook
## fan-out to 10 verified receivers (issue 12); writes bench/results/latest.{md,json}
## (about 10 minutes plus the release build on 2 quiet cores; not part of `test`)
bench: check-postgres
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
	@command -v pgbench >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client
	cargo build --release -p api --bin dispatch
	python3 bench/run.py $(CARGO_TARGET_DIR)/release/dispatch

## bench-scaling: each list scenario (company queue, dispatcher board, public list, Open311 list, one
## complaint + history) at 100 k, 1 M and 3 M complaints, each size seeded afresh and timed; writes
## bench/results/scaling.{md,json}. BENCH_SCALING_SIZES=100000,1000000 skips 3 M (about 40 minutes
## with 3 M on 2 quiet cores, most of it seeding; not part of `test`)
bench-scaling: check-postgres
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
	@command -v pgbench >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client
	cargo build --release -p api --bin dispatch
	python3 bench/scaling.py $(CARGO_TARGET_DIR)/release/dispatch

## reliability: kill -9, PostgreSQL restart, SIGTERM, pool exhaustion, races and JWT/login attacks
## against the real debug binary (at most 10 minutes); stops and starts the local PostgreSQL cluster
reliability: check-postgres
	cargo build -p api --bin dispatch
	python3 tests/reliability/run.py $(BIN)

clean:
	cargo clean
	rm -rf web/dist web/node_modules data
