#!/usr/bin/env bash
# Debian libraries that Qt's X11 (xcb) platform plugin links to and a desktop usually has, but a build
# machine may not. PyInstaller bundles the libraries it finds on the build machine, so installing them
# here makes dist/abc-mdt start on a minimal X11 desktop too. Missing ones are not fatal: the build still
# works, and the bundled app then uses the target machine's copies (docs/install.md). (Wayland's client
# libraries are never bundled by PyInstaller — they belong to the graphics stack — so they are not here.)
set -uo pipefail
needed=()
for lib in libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0; do
  dpkg -s "$lib" >/dev/null 2>&1 || needed+=("$lib")
done
if [ ${#needed[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: ${needed[*]} not installed; the bundle will use the target machine's copies" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq "${needed[@]}"; } >/dev/null 2>&1 \
  || echo "note: could not install ${needed[*]}; the bundle will use the target machine's copies" >&2
exit 0
