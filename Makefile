# The points mall. `make run` serves it; `make test` runs every test.
# Both install what is missing first (scripts/setup.sh), skipping what is there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
PORT ?= 8080
# A CI run builds once from clean: incremental caches only cost it disk (GBs) and time.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

.PHONY: run test lint setup setup-build app api test-rust test-bench-smoke test-wasm test-e2e bench bench-size bench-history bench-grab bench-read bench-postgres bench-lighthouse clean

## Set up, build and serve API + app at http://127.0.0.1:$(PORT) with the demo database.
run: setup-build app api
	PORT=$(PORT) STATIC_DIR=dist ./target/server/mall-api

## Set up and run every test: shared crate + API, the benchmarks in smoke size, components
## in headless Chromium, end to end.
test: setup test-rust test-bench-smoke test-wasm app api test-e2e

setup:
	scripts/setup.sh all

setup-build:
	scripts/setup.sh build

## The app, release build with precompressed copies (skipped when dist/ is newer than the sources).
app: dist/index.html
dist/index.html: $(shell find src style public core/src -type f 2>/dev/null) index.html Cargo.toml Cargo.lock scripts/build-app.sh scripts/assemble-dist.mjs
	scripts/build-app.sh

## The API server, release build.
api:
	cargo build --profile server -p mall-api

## Core and API tests on SQLite, then the API suite again on a throwaway PostgreSQL
## (scripts/pg-cluster.sh; fsync off, it is thrown away; fewer ledger property cases).
## On PostgreSQL, replicas.rs's crash test runs the test binary once more inside a
## cluster of its own (pg-cluster.sh without PG_FAST, which exports PGDATA, PG_BIN, PG_LOG
## and PG_OS_USER so the test can `pg_ctl restart -m immediate` it under load).
## The same cluster then runs the PostgreSQL benchmarks in smoke size (bench/smoke-postgres.sh,
## a few seconds): a bench broken by an API change fails here, not in `make bench-postgres`.
test-rust:
	cargo test -p mall-core -p mall-api
	@echo "== the API suite on PostgreSQL, then the PostgreSQL benchmarks in smoke size =="
	PG_FAST=1 PROPTEST_CASES=64 scripts/pg-cluster.sh -- \
		bash -c 'TEST_POSTGRES_URL="$$DATABASE_URL" cargo test -p mall-api --test api && bench/smoke-postgres.sh'

## Every Rust benchmark once in its smoke size (BENCH_SMOKE=1: a few hundred requests), in
## the test profile, on SQLite: each checks its answers and books and exits non-zero on a
## failure, so a bench broken by an API change fails `make test`. (A bench, harness or not,
## runs under `cargo test` only when named.) Full sizes: `make bench-*`.
test-bench-smoke:
	@echo "== the benchmarks in smoke size on SQLite (history, grab, read path) =="
	BENCH_SMOKE=1 cargo test -p mall-api --bench history --bench grab --bench read_path

test-wasm:
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
		cargo test -p mall-app --target wasm32-unknown-unknown

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

## Formatting and lints (rustfmt + clippy, warnings are errors), for the server and the app.
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p mall-app --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p mall-app --target wasm32-unknown-unknown --features split -- -D warnings

## Benchmarks (not tests): sizes, history latency, flash-sale load.
bench: bench-size bench-history bench-grab

## The first visit as a phone's Chromium downloads it, per file and per route.
bench-size: app api
	bench/first-load-size.sh

## Lighthouse 12 mobile on Home with a member session: median of 3 (timings, so not a test).
bench-lighthouse: app api
	bench/lighthouse.sh

## History page latency with 10,000 entries (target p99 ≤ 5 ms).
bench-history:
	cargo bench --profile server -p mall-api --bench history

## 10,000 grabs by 2,000 members at stock 100 (targets ≥ 5,000/s, p99 ≤ 50 ms).
bench-grab:
	bench/flash-sale-load.sh

## GET /api/me and a redeem against a bare axum server doing the same I/O (ratios; goal ≥ 0.5 for the read).
bench-read:
	cargo bench --profile server -p mall-api --bench read_path

## The same on PostgreSQL (throwaway cluster, fsync on): read path and redeem vs bare,
## the 10,000-grab sale with one and with two replicas.
bench-postgres:
	bench/postgres.sh

clean:
	rm -rf dist target/wasm-opt
