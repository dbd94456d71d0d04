#!/usr/bin/env bash
# Flash-sale load benchmark: starts the real API server (over real HTTP on loopback) and
# fires 10,000 grab attempts by 2,000 members at a sale of 100, then checks the books.
# Prints attempts/s, p50/p99 latency and their ratios to the targets. The code lives in
# api/benches/grab.rs; this is the entry point next to the other benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --profile server -p mall-api --bench grab "$@"
