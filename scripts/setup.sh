#!/usr/bin/env bash
# Installs every tool the mall needs to build and test, skipping what is already there.
# Idempotent: safe to run on every `make run` / `make test`.
#   scripts/setup.sh          everything (build + tests)
#   scripts/setup.sh build    only what `make run` needs
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-all}"
WASM_SPLIT_VERSION="0.2.3"
BINARYEN_VERSION="132"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# The wasm-bindgen version pinned in Cargo.lock: the CLI must match it exactly.
lock_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# 1. The wasm32 standard library.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The standard library's source: the release app rebuilds std (scripts/build-app.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "rustup component add rust-src"
  rustup component add rust-src
fi

# 2. wasm-split-cli: cuts the linked wasm into the main module and lazy route chunks
#    (the crates.io crate named `wasm-split-cli` is a different tool).
if ! { have wasm-split-cli && cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; }; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION"
  cargo install --locked "wasm_split_cli_support@$WASM_SPLIT_VERSION" --features build-binary --force
fi

# 3. wasm-bindgen-cli at exactly the lock file's version (no --locked: its own lock
#    names a dependency version the registry no longer serves).
WB="$(lock_wasm_bindgen)"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB"; then
  log "cargo install wasm-bindgen-cli $WB"
  cargo install wasm-bindgen-cli --version "$WB" --force
fi

# 4. npm packages: wasm-opt (binaryen), terser and esbuild (JS and CSS minifiers) and, for
#    tests, the Playwright driver and axe-core; again whenever the lock file changed.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] \
  || [ ! -d node_modules/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! have npm; then apt_install nodejs npm; fi
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 5. brotli for precompressed assets and size reports.
have brotli || apt_install brotli

if [ "$want" = "all" ]; then
  # 6. Chromium and its driver for component and end-to-end tests; CJK fonts so
  #    screenshots show Chinese text.
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || apt_install chromium chromium-driver
  apt_install fonts-noto-cjk
  # 7. PostgreSQL for the API suite's second run and the benchmarks (scripts/pg-cluster.sh
  #    starts a throwaway cluster from it; nothing runs as a service).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || apt_install postgresql
fi
log "tools ready"
