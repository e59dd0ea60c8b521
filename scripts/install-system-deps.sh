#!/bin/sh
# Debian packages vanban needs beyond Python: Tesseract with its Vietnamese model (scanned
# PDFs) and antiword (legacy .doc).
exec sh "$(dirname "$0")/apt-install.sh" "scans and .doc files give error rows" tesseract-ocr tesseract-ocr-vie antiword
