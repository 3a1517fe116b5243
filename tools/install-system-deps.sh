#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need on a fresh machine: Qt's runtime libraries
# for the offscreen/xcb platforms and poppler-utils (pdfsig, pdftoppm). Skips what is already present.
set -euo pipefail
needed=()
dpkg -s poppler-utils >/dev/null 2>&1 || needed+=(poppler-utils)
for lib in libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0; do
  dpkg -s "$lib" >/dev/null 2>&1 || needed+=("$lib")
done
if [ ${#needed[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${needed[*]} (run: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${needed[@]}" >/dev/null
