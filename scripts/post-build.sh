#!/usr/bin/env bash
# trunk's post_build hook (see Trunk.toml), run once every file of the
# build is in trunk's staging folder and before it becomes the dist folder:
#
# - stamps the service worker with this build's id and the files of its
#   app shell, so a new deploy installs a new worker that replaces the old
#   copy of the app cleanly;
# - writes the site's public URL into 404.html, which GitHub Pages serves
#   at any depth and so cannot use relative links.
set -euo pipefail
staging=${TRUNK_STAGING_DIR:?run this as trunk post_build hook}
base=${TRUNK_PUBLIC_URL:-/}
cd "$staging"

# Every file of the app (wasm-bindgen's snippets/ folder too, should a
# crate bring one), named relative to the app's address. The page itself
# is cached as the app's address rather than as index.html; the worker
# and the 404 page are not part of the app.
shell=()
while IFS= read -r file; do
  case $file in
    index.html | 404.html | not-found.js | sw.js) ;;
    *) shell+=("$file") ;;
  esac
done < <(find . -type f | sed 's|^\./||' | LC_ALL=C sort)

# The page names the hashed files, so the id follows every file it loads.
build=$(cat index.html "${shell[@]}" | sha256sum | cut -c1-16)
list=$(printf '"%s", ' "${shell[@]}")
list=${list%, }

stamp() { # file, placeholder line, replacement line
  grep -qxF "$2" "$1" || { echo "post-build: no '$2' in $1" >&2; exit 1; }
  awk -v old="$2" -v new="$3" '$0 == old { $0 = new } { print }' "$1" >"$1.new"
  mv "$1.new" "$1"
}
stamp sw.js 'const BUILD = "unstamped";' "const BUILD = \"$build\";"
stamp sw.js 'const SHELL = [];' "const SHELL = [$list];"

grep -qF __KEYMETER_BASE__ 404.html || {
  echo "post-build: no __KEYMETER_BASE__ in 404.html" >&2
  exit 1
}
sed -i "s|__KEYMETER_BASE__|$base|g" 404.html
echo "post-build: service worker stamped for build $build (${#shell[@]} files)"
