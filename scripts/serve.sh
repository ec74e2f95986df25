#!/usr/bin/env bash
# Sets up the build tools (not the browser the tests need), then builds
# keymeter optimized (as it ships) and serves it on http://127.0.0.1:8080
# (press Ctrl-C to stop). Further arguments go to `trunk serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only
exec trunk serve --release --offline --address 127.0.0.1 --port 8080 "$@"
