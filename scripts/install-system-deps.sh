#!/bin/sh
# Debian packages vanban needs beyond Python: Tesseract with its Vietnamese model (scanned
# PDFs) and antiword (legacy .doc). Installed once, only what is missing; a machine
# without apt-get is told what to install and carries on (those formats then give error rows).
set -e
PKGS="tesseract-ocr tesseract-ocr-vie antiword"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "vanban: please install:$missing (scans and .doc files will give error rows until then)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
echo "vanban: installing$missing" >&2
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
