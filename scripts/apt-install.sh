#!/bin/sh
# Install Debian packages once, only those missing: apt-install.sh WHAT PKG...
# WHAT says what goes without them. A machine without apt-get (or where the install fails)
# is told what to install and carries on: nothing here stops a build.
set -e
what="$1"; shift
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "vanban: please install:$missing ($what until then)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
echo "vanban: installing$missing" >&2
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || \
  echo "vanban: could not install$missing ($what)" >&2
