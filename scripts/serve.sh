#!/usr/bin/env bash
# Sets up the tools, then builds and serves keymeter on
# http://127.0.0.1:8080 (press Ctrl-C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec trunk serve --offline --address 127.0.0.1 --port 8080 "$@"
