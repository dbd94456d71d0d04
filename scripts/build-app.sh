#!/usr/bin/env bash
# Builds the app into dist/ (release: opt-level z, LTO, wasm-opt -Oz) and writes
# brotli and gzip copies of every text and wasm file for the server to send as-is.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
TRUNK_OFFLINE=true trunk build --release --offline
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) |
  while read -r f; do
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 -n "$f"
  done
