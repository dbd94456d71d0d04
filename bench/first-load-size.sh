#!/usr/bin/env bash
# The first visit to Home as a phone's Chromium downloads it (transferred bytes, headers
# included, of every same-origin response but /api/, lazy chunks and images included),
# per file, and what opening each other route adds. Needs `make app api`.
# Usage: bench/first-load-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
[ -f dist/index.html ] || { echo "dist/ is missing: run make app first" >&2; exit 1; }
[ -x target/server/mall-api ] || { echo "the API is missing: run make api first" >&2; exit 1; }
exec node bench/first-load-size.mjs
