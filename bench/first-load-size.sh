#!/usr/bin/env bash
# Prints the raw, gzip and brotli sizes of everything a first visit to Home downloads:
# the HTML, the JS glue, the wasm, the CSS, the favicon and logo, and the product images
# above the fold (Home's first four "popular" items, read from the demo seed).
# Usage: bench/first-load-size.sh   (after `make app`)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "dist/ is missing: run make app first" >&2; exit 1; }
command -v brotli >/dev/null || { echo "brotli is missing: run scripts/setup.sh" >&2; exit 1; }

files=(dist/index.html)
files+=($(ls dist/*.js dist/*_bg.wasm dist/*.css))
files+=(dist/favicon.svg dist/img/logo.svg)
while read -r img; do files+=("dist$img"); done < <(python3 -c '
import json
items = json.load(open("api/seed/demo.json"))["items"]
for i in sorted(items, key=lambda i: (-i["redeemed"], -i["id"]))[:4]:
    print(i["image"])
')

size() { wc -c < "$1" | tr -d " "; }
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
t_raw=0; t_gz=0; t_br=0
for f in "${files[@]}"; do
  raw=$(size "$f")
  gz=$( [ -f "$f.gz" ] && size "$f.gz" || gzip -9 -n -c "$f" | wc -c | tr -d " ")
  br=$( [ -f "$f.br" ] && size "$f.br" || brotli -q 11 -c "$f" | wc -c | tr -d " ")
  printf '%-48s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
  t_raw=$((t_raw + raw)); t_gz=$((t_gz + gz)); t_br=$((t_br + br))
done
printf '%-48s %10d %10d %10d\n' TOTAL "$t_raw" "$t_gz" "$t_br"
budget=$((200 * 1024))
printf 'brotli total / 200 kB budget = %s\n' "$(python3 -c "print(f'{$t_br/$budget:.2f}')")"
