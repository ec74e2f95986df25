#!/usr/bin/env bash
# Prints the size of a built bundle: raw, gzip and brotli bytes per file
# and in all, with the target for the whole app beside the brotli total.
# It only reports: a bundle over the target does not fail anything.
set -euo pipefail
dist=${1:-dist}
# The whole app, every file brotli-compressed, in kB (1000 bytes).
target_kb=250

if command -v brotli >/dev/null 2>&1; then
  brotli_size() { brotli -c -q 11 "$1" | wc -c; }
else
  echo "brotli is not installed (scripts/setup.sh installs it)" >&2
  brotli_size() { echo 0; }
fi

total_raw=0
total_gz=0
total_br=0
printf '%-44s %10s %10s %10s\n' "file" "raw" "gzip" "brotli"
for file in "$dist"/*; do
  [ -f "$file" ] || continue
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli_size "$file")
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  total_br=$((total_br + br))
  printf '%-44s %10d %10d %10d\n' "$(basename "$file")" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"
printf 'brotli total %d.%d kB; target: at most %d kB\n' \
  $((total_br / 1000)) $((total_br % 1000 / 100)) "$target_kb"
