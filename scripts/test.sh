#!/usr/bin/env bash
# Sets up the tools, then runs every check and test: formatting and
# lints, native tests, storage tests in headless Chromium, and end-to-end
# journeys driving Chromium against the release bundle and the mock API.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/scripts/webdriver.json
export KEYMETER_DIST=$PWD/target/e2e-dist
step() { printf '\n==> %s\n' "$*"; }

all_checks() {

step "formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p keymeter --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests"
cargo test -p keymeter

step "storage and browser-API tests in headless Chromium"
cargo test -p keymeter --target wasm32-unknown-unknown --test browser --test glue

step "release bundle, served under /keymeter/ as on GitHub Pages"
trunk build --release --offline --public-url /keymeter/ --dist "$KEYMETER_DIST"
scripts/size.sh "$KEYMETER_DIST"

step "mock API and end-to-end journeys"
cargo test -p keymeter-harness -- --test-threads=1
}

# Every runner's own summary is kept, then one line for the whole run.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
all_checks 2>&1 | tee "$log"
count() {
  grep -E '^test result: ' "$log" \
    | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'
}
printf '\n%s passed, %s failed\n' "$(count passed)" "$(count failed)"
