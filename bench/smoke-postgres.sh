#!/usr/bin/env bash
# The PostgreSQL benchmarks (bench/postgres.sh) once each in their smoke size, in the test
# profile, for `make test`: the read path, and the flash sale with one and with two
# application instances. Run inside scripts/pg-cluster.sh (it gives DATABASE_URL); each
# bench gets a new database of its own. The figures mean nothing; the checks (every
# answer, the sale's books) fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run inside scripts/pg-cluster.sh}"
fresh() { # a new database on the cluster, owned by the role of DATABASE_URL; prints its URL
  local name="smoke_$1"
  psql -q "$DATABASE_URL" -c "CREATE DATABASE $name" >/dev/null
  echo "${DATABASE_URL%/*}/$name"
}
export BENCH_SMOKE=1
BENCH_DATABASE_URL=$(fresh read) cargo test -q -p mall-api --bench read_path
BENCH_DATABASE_URL=$(fresh grab1) BENCH_REPLICAS=1 cargo test -q -p mall-api --bench grab
BENCH_DATABASE_URL=$(fresh grab2) BENCH_REPLICAS=2 cargo test -q -p mall-api --bench grab
