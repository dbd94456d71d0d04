#!/usr/bin/env bash
# Lighthouse 12 (mobile: simulated slow 4G, 4x CPU slowdown) on Home with a demo member's
# session, three runs against the real server and the built app, and the median.
# Not part of `make test` (timings vary); needs `make app api`. Installs Lighthouse into
# target/lighthouse on first use (npm), and uses Debian's Chromium.
# Usage: bench/lighthouse.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "dist/ is missing: run make app first" >&2; exit 1; }
[ -x target/server/mall-api ] || { echo "the API is missing: run make api first" >&2; exit 1; }
if [ ! -x target/lighthouse/node_modules/.bin/lighthouse ]; then
  echo "installing lighthouse@12 into target/lighthouse" >&2
  npm install --prefix target/lighthouse --no-audit --no-fund --loglevel=error lighthouse@12 >&2
fi
exec node bench/lighthouse.mjs "${1:-3}"
