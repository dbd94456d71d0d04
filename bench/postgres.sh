#!/usr/bin/env bash
# The PostgreSQL benchmarks, on a throwaway cluster with fsync on (scripts/pg-cluster.sh,
# without PG_FAST): the read path and a redeem against a bare axum server doing the same
# I/O on the same database, then the 10,000-grab flash sale with one and with two
# application instances (replicas) on the one database. Each database starts empty.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --profile server -p mall-api --bench read_path --bench grab --no-run
fresh() { # a new database on the cluster, owned by the role of DATABASE_URL; prints its URL
  local name="bench_$1"
  psql -q "$DATABASE_URL" -c "CREATE DATABASE $name" >/dev/null
  echo "${DATABASE_URL%/*}/$name"
}
export -f fresh
exec scripts/pg-cluster.sh -- bash -c '
  set -e
  BENCH_DATABASE_URL=$(fresh read) cargo bench -q --profile server -p mall-api --bench read_path
  BENCH_DATABASE_URL=$(fresh grab1) BENCH_REPLICAS=1 cargo bench -q --profile server -p mall-api --bench grab
  BENCH_DATABASE_URL=$(fresh grab2) BENCH_REPLICAS=2 cargo bench -q --profile server -p mall-api --bench grab
'
