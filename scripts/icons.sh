#!/usr/bin/env bash
# Renders the PNG icons of the web app manifest from static/icon.svg with
# headless Chromium, so the PNGs in the repository can always be made
# again from the drawing. Run it after changing the drawing.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM:-chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

render() { # svg, size, output
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --default-background-color=00000000 --window-size="$2,$2" \
    --screenshot="$work/shot.png" "file://$1" >/dev/null 2>&1
  mv "$work/shot.png" "$3"
}

cp static/icon.svg "$work/icon.svg"
# A maskable icon is cropped to a shape of the platform's choosing, so its
# background must reach every edge: the same drawing without round corners.
sed 's/ rx="96"//' static/icon.svg >"$work/maskable.svg"

render "$work/icon.svg" 192 static/icon-192.png
render "$work/icon.svg" 512 static/icon-512.png
render "$work/maskable.svg" 512 static/icon-maskable-512.png
# The service worker caches the icons on every first visit: store them
# as small as the same pixels allow.
python3 scripts/png-shrink.py static/icon-192.png static/icon-512.png \
  static/icon-maskable-512.png
ls -l static/*.png
