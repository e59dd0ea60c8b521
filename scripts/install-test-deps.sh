#!/bin/sh
# Debian packages the tests need beyond vanban's own: headless Chromium, which opens the
# HTML report as a reader would and takes its screenshot. Installed once, only what is
# missing; without apt-get the report's browser test is skipped and nothing else changes.
set -e
PKGS="chromium"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "vanban: tests: please install:$missing (the report's browser test is skipped until then)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
echo "vanban: tests: installing$missing" >&2
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || \
  echo "vanban: tests: could not install$missing (the report's browser test is skipped)" >&2
