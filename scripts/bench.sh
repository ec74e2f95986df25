#!/usr/bin/env bash
# Prints keymeter's speed and memory figures (nothing is asserted): a sync
# against the mock API with 100 ms per reply, a cold start with a year of
# 50 keys' usage stored beside a plain JavaScript getAll of it, storing
# 100,000 usage results beside a plain JavaScript bulk put, adding up
# 1,000,000 stored rows for the overview, one key and the comparison
# beside the same sums in plain JavaScript, and the memory of 1,000,000
# stored rows loaded for analytics. Sets up the tools and the bundle
# first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/scripts/webdriver.json
export WASM_BINDGEN_TEST_TIMEOUT=600
export KEYMETER_DIST=$PWD/target/e2e-dist

trunk build --release --offline --public-url /keymeter/ --dist "$KEYMETER_DIST"
cargo bench -p keymeter-harness --bench sync
cargo bench -p keymeter-harness --bench start
cargo test -p keymeter --release --target wasm32-unknown-unknown \
  --test store_bench -- --nocapture 2>&1 | grep -E '^store |test result'
cargo test -p keymeter --release --target wasm32-unknown-unknown \
  --test analytics_bench -- --nocapture 2>&1 | grep -E '^analytics |test result'
# Precise heap sizes need a browser flag the tests go without.
WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/scripts/webdriver-memory.json \
  cargo test -p keymeter --release --target wasm32-unknown-unknown \
  --test memory_bench -- --nocapture 2>&1 | grep -E '^memory |test result'
