#!/usr/bin/env bash
# Statements per request: the real server (`make api`'s binary) on a demo database, with
# sqlx's statement log on (`RUST_LOG=sqlx::query=debug`, JSON lines), answers a signed-in
# member's `GET /api/me`, a redeem of a voucher (`POST /api/orders`), a check-in and a
# grab of the demo's open flash sale; each statement the database ran is counted against
# the request whose span it ran in (transaction BEGIN/COMMIT are not logged: add 2 for a
# request that writes). On SQLite, then on a throwaway PostgreSQL (scripts/pg-cluster.sh).
#   bench/statements.sh            both engines, counts
#   bench/statements.sh -v         the statements too
set -euo pipefail
cd "$(dirname "$0")/.."
VERBOSE=${1:-}
cargo build -q --profile server -p mall-api
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/server/mall-api

# Runs the requests against the server on $1 (a database URL) and prints the counts.
measure() {
  local url=$1 dir port log pid
  dir=$(mktemp -d)
  port=$(( 20000 + RANDOM % 30000 ))
  log=$dir/server.log
  DATABASE_URL=$url PORT=$port LOG_FORMAT=json RUST_LOG='mall_api=info,sqlx::query=debug' \
    "$BIN" >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; rm -rf "$dir"' RETURN
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
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
  python3 - "$log" "$VERBOSE" <<'EOF'
import json, sys
counts, lists = {}, {}
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    span = e.get("span") or {}
    sql = e.get("fields", {}).get("db.statement")
    if sql is None or span.get("name") != "request":
        continue
    key = f'{span.get("method")} {span.get("path")}'
    counts[key] = counts.get(key, 0) + 1
    lists.setdefault(key, []).append(" ".join(sql.split())[:110])
for key in ("GET /api/me", "POST /api/orders", "POST /api/checkins"):
    print(f"  {key:<28} {counts.get(key, 0):>3} statements")
for key in counts:
    if "/grab" in key:
        print(f"  {'POST /api/sales/{id}/grab':<28} {counts[key]:>3} statements")
if sys.argv[2] == "-v":
    for key, stmts in lists.items():
        print(f"\n  {key}:")
        for s in stmts:
            print(f"    {s}")
EOF
}
export -f measure
export BIN VERBOSE

echo "statements per request on SQLite (BEGIN/COMMIT not counted):"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure "sqlite://$tmp/mall.db"
echo "statements per request on PostgreSQL (BEGIN/COMMIT not counted):"
scripts/pg-cluster.sh -- bash -c 'measure "$DATABASE_URL"'
