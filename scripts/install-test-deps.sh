#!/bin/sh
# Debian packages the tests need beyond vanban's own: headless Chromium, which opens the
# HTML report as a reader would and takes its screenshot.
exec sh "$(dirname "$0")/apt-install.sh" "the report's browser test is skipped" chromium
