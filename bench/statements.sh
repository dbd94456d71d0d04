#!/usr/bin/env bash
# Round trips per request: the real server (`make api`'s binary) on a demo database, with
# sqlx's statement log on (`RUST_LOG=sqlx::query=debug`, JSON lines), answers a signed-in
# member's `GET /api/me`, a redeem of a voucher (`POST /api/orders`), a check-in and a
# grab of the demo's open flash sale; each query sent (one statement, or on SQLite a batch
# of several) is counted against the request whose span it ran in
# (bench/statements.py; not counted: a transaction's BEGIN
# and COMMIT, which each writing request adds, and sqlx's one-off type lookups). On SQLite,
# then on a throwaway PostgreSQL (scripts/pg-cluster.sh).
#   bench/statements.sh            both engines, counts
#   bench/statements.sh -v         the statements too
#   bench/statements.sh -e         and the plans PostgreSQL ran them with (auto_explain:
#                                  EXPLAIN (ANALYZE, BUFFERS) of each, from the server log)
set -euo pipefail
cd "$(dirname "$0")/.."
VERBOSE=${1:-}
cargo build -q --profile server -p mall-api
MALL_BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/server/mall-api

# Runs the requests against the server on $1 (a database URL) and prints the counts.
measure() {
  local url=$1 dir port log pid
  dir=$(mktemp -d)
  port=$(( 20000 + RANDOM % 30000 ))
  log=$dir/server.log
  DATABASE_URL=$url PORT=$port LOG_FORMAT=json RUST_LOG='mall_api=info,sqlx::query=debug' \
    "$MALL_BIN" >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; rm -rf "$dir"' RETURN
  local up=""
  for _ in $(seq 600); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then up=1; break; fi
    sleep 0.1
  done
  [ -n "$up" ] || { echo "the server did not answer /healthz in 60 s:" >&2; tail -20 "$log" >&2; return 1; }
  local base="http://127.0.0.1:$port" jar=$dir/cookies
  curl -fs -c "$jar" -X POST "$base/api/session/demo" -H 'content-type: application/json' -d '{"member_id":2}' >/dev/null
  curl -fs -b "$jar" "$base/api/me" >/dev/null
  curl -fs -b "$jar" -X POST "$base/api/orders" -H 'content-type: application/json' -H 'idempotency-key: statements-1' \
    -d '{"item_id":3,"quantity":1}' >/dev/null
  curl -fs -b "$jar" -X POST "$base/api/checkins" -H 'idempotency-key: statements-2' >/dev/null
  local sale
  sale=$(curl -fs -b "$jar" "$base/api/sales" | python3 -c 'import json,sys
open_ = [s["id"] for s in json.load(sys.stdin)["sales"] if s["state"] == "live"]
print(open_[0] if open_ else "")')
  if [ -n "$sale" ]; then
    curl -fs -b "$jar" -X POST "$base/api/sales/$sale/grab" -H 'idempotency-key: statements-3' >/dev/null
  fi
  sleep 0.3
  python3 bench/statements.py count "$log" "$VERBOSE"
}
export -f measure
export MALL_BIN VERBOSE

echo "round trips per request on SQLite:"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure "sqlite://$tmp/mall.db"
echo "round trips per request on PostgreSQL:"
# shellcheck disable=SC2016 # expanded by the inner shell
scripts/pg-cluster.sh -- bash -c '
  if [ "$VERBOSE" = -e ]; then
    for setting in "session_preload_libraries = auto_explain" "auto_explain.log_min_duration = 0" \
      "auto_explain.log_analyze = on" "auto_explain.log_buffers = on"; do
      psql -q "$PG_ADMIN_URL" -c "ALTER DATABASE mall SET $setting"
    done
  fi
  measure "$DATABASE_URL"
  if [ "$VERBOSE" = -e ]; then python3 bench/statements.py plans "$PG_LOG"; fi
'
