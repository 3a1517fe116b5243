#!/usr/bin/env bash
# The Debian/Ubuntu packages abc-mdt needs beyond Python 3.11+ and make, chosen per release and per purpose.
#
#   tools/install-system-deps.sh [run|test|dist ...] [--dry-run] [--os-release FILE] [--python X.Y]
#
#   run   the venv module of the Python that make uses, Qt's runtime libraries for a real X11 window (xcb)
#         and offscreen; nothing else (this is what `make run` asks for)
#   test  run + what the test suite calls (poppler-utils: pdfsig, pdftoppm; Xvfb, xdotool and openbox for the
#         real-X11 smoke test of the desktop app)
#   dist  run + what `make dist` needs (binutils: PyInstaller reads shared libraries with objdump)
#
# Supported: Debian 12/13, Ubuntu 22.04/24.04 (read from /etc/os-release, or FILE). Package names differ by
# release: the 64-bit time_t transition renamed libglib2.0-0 to libglib2.0-0t64 on Debian 13 and Ubuntu 24.04,
# and each release ships its own Python (3.11, 3.13, 3.10 + 3.11 from universe, 3.12).
# --dry-run prints the full package list for the release, one per line, and changes nothing
# (tests/test_install_system_deps.py runs it for each release). Otherwise it installs what is missing as
# root; as any other user it prints the one `sudo apt-get install ...` line and exits 1, so that
# `make` stops before creating a venv that could not work (and never creates a root-owned one for you).
set -euo pipefail

purposes=()
dry_run=0
os_release=/etc/os-release
python_version=""
while [ $# -gt 0 ]; do
  case "$1" in
    run|test|dist) purposes+=("$1") ;;
    --dry-run) dry_run=1 ;;
    --os-release) os_release="$2"; shift ;;
    --python) python_version="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-system-deps.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#purposes[@]} -gt 0 ] || purposes=(run)

if [ ! -r "$os_release" ]; then
  echo "install-system-deps.sh: $os_release not found: not a Debian/Ubuntu system; install Qt's xcb" \
       "runtime libraries and poppler yourself (docs/install.md)" >&2
  exit 0
fi
# shellcheck disable=SC1090
ID="" VERSION_ID="" ID_LIKE=""
. "$os_release"
release="${ID}-${VERSION_ID}"

# The Python make will build the venv with (PYTHON from the Makefile), else the release's default.
case "$release" in
  debian-12)    default_python=3.11 ;;
  debian-13)    default_python=3.13 ;;
  ubuntu-22.04) default_python=3.11 ;;   # the system python3 is 3.10: too old; python3.11 is in universe
  ubuntu-24.04) default_python=3.12 ;;
  *)
    if [ "$dry_run" -eq 1 ]; then
      echo "install-system-deps.sh: unsupported release '$release' (Debian 12/13, Ubuntu 22.04/24.04)" >&2
      exit 2
    fi
    echo "install-system-deps.sh: note: '$release' is not a tested release; using Debian 12's package names" >&2
    default_python=3.11 ;;
esac
if [ -z "$python_version" ] && [ "$dry_run" -eq 0 ] && [ -n "${PYTHON:-}" ] && command -v "$PYTHON" >/dev/null; then
  python_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
fi
case "$python_version" in 3.[0-9]|3.10) python_version="" ;; esac   # too old for abc-mdt: make uses another
python_version="${python_version:-$default_python}"

case "$release" in
  debian-13|ubuntu-24.04) glib=libglib2.0-0t64 ;;
  *) glib=libglib2.0-0 ;;
esac

packages=()
# The venv module (Debian splits ensurepip out of python3.X); on Ubuntu 22.04 Python 3.11 itself too.
if [ "$release" = ubuntu-22.04 ] && [ "$python_version" = 3.11 ]; then
  packages+=(python3.11)
fi
packages+=("python${python_version}-venv")
# Qt 6 (PySide6 wheels): GL/EGL, fonts, D-Bus, GLib, and the xcb platform plugin's libraries (Qt >= 6.5
# needs libxcb-cursor0; the others are what libqxcb.so and libQt6XcbQpa.so link to).
packages+=(libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 "$glib" libxkbcommon0 libxkbcommon-x11-0
           libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
           libxcb-render-util0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1)
for purpose in "${purposes[@]}"; do
  case "$purpose" in
    test) packages+=(poppler-utils xvfb xdotool openbox) ;;   # openbox: tests/gui/test_xvfb_smoke.py needs a WM
  esac
  case "$purpose" in   # postgresql: initdb/pg_ctl for the throwaway server of tests/pg_server.py (issue 18)
    test) packages+=(postgresql) ;;
    dist) packages+=(binutils) ;;
  esac
done

if [ "$dry_run" -eq 1 ]; then
  printf '%s\n' "${packages[@]}" | awk '!seen[$0]++'
  exit 0
fi

if ! command -v dpkg-query >/dev/null; then
  echo "install-system-deps.sh: no dpkg here; make sure these are installed: ${packages[*]}" >&2
  exit 0
fi
needed=()
for pkg in $(printf '%s\n' "${packages[@]}" | awk '!seen[$0]++'); do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "abc-mdt needs these system packages first; run this once, then make again:" >&2
  echo "sudo apt-get install ${needed[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps.sh: installing ${needed[*]}" >&2
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
