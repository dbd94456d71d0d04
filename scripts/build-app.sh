#!/usr/bin/env bash
# Builds the app into dist/, split by route:
#   1. the release wasm, linked with relocations kept (`--emit-relocs`), `split` feature on;
#   2. wasm-split-cli cuts it into the main module (Home + shell) and lazy chunks;
#   3. wasm-bindgen writes the JS glue for the main module (keeping the lld exports the
#      chunks link against);
#   4. wasm-opt -Oz on every module;
#   5. scripts/assemble-dist.mjs content-hashes every file, fills in index.html (inline
#      CSS, preloads) and writes brotli and gzip copies for the server to send as-is.
# Trunk 0.21 has no split step (trunk-rs/trunk#1022), so this script owns the wasm step.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

APP=mall-app
# Cargo's output directory: `$CARGO_TARGET_DIR` when set (a build cache shared by several
# checkouts), else `target/`. The intermediate modules stay in this checkout's `target/`.
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK=target/app-build
# The wasm features rustc 1.95 emits for wasm32-unknown-unknown; wasm-opt must accept them.
WASM_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

rm -rf "$WORK"
mkdir -p "$WORK/split" "$WORK/bindgen" "$WORK/opt"

# Size: the standard library is rebuilt for the app with panics as immediate aborts
# (release builds already abort on panic; this drops the panic messages, their source
# locations and the formatting they pull in): 16 kB less brotli in the main module,
# measured. `-Zfmt-debug=none` makes every `Debug` impl print nothing: serde's error
# messages (never shown: a failed decode is a failure state of its own) stop pulling
# float and string escaping into the main module, 3.3 kB less on the first visit,
# measured; the app never shows or keys anything by `{:?}`. These flags are unstable,
# so RUSTC_BOOTSTRAP lets the pinned stable toolchain take them for this one build;
# debug builds and tests do not use them.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none"
# Only the final crate relinks with --emit-relocs (what wasm-split needs).
cargo rustc --release --target wasm32-unknown-unknown --bin "$APP" --features split \
  -Zbuild-std=std,panic_abort -- -Clink-args=--emit-relocs
wasm-split-cli --out-name "$APP" "$TARGET_DIR/wasm32-unknown-unknown/release/$APP.wasm" "$WORK/split"
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$WORK/bindgen" --out-name "$APP" "$WORK/split/$APP.wasm"

# wasm-opt, two modules at a time (the machine has two cores).
export WORK
opt_all() {
  printf '%s\n' "$WORK/bindgen/${APP}_bg.wasm main.wasm"
  for f in "$WORK"/split/*.wasm; do
    [ "$(basename "$f")" = "$APP.wasm" ] || printf '%s\n' "$f $(basename "$f")"
  done
}
WASM_FEATURES_STR="${WASM_FEATURES[*]}"
export WASM_FEATURES_STR
opt_all | xargs -P 2 -L 1 bash -c 'wasm-opt -Oz $WASM_FEATURES_STR "$0" -o "$WORK/opt/$1" 2>/dev/null'

node scripts/assemble-dist.mjs "$WORK" dist
