#!/usr/bin/env bash
# Installs every tool keymeter's build and tests need, skipping what is
# already installed at the right version: a warm machine pays nothing.
# With --build-only, the browser and its driver (needed by tests only) are
# skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print }' \
    Cargo.lock
)

say() { printf '==> %s\n' "$*"; }
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true

apt_missing=()
if ! $build_only; then
  command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || apt_missing+=(chromium-driver)
fi
command -v npm >/dev/null 2>&1 || apt_missing+=(nodejs npm)
# scripts/size.sh reports brotli sizes beside gzip ones.
command -v brotli >/dev/null 2>&1 || apt_missing+=(brotli)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing ${apt_missing[*]} from Debian"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! has_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
# Its own lockfile pins a crate the registry no longer serves, so no --locked.
if ! has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Debian's binaryen is older than the wasm features rustc emits.
if ! has_version wasm-opt "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) from npm"
  npm install -g "binaryen@$BINARYEN_VERSION"
fi

say "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
