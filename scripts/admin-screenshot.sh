#!/usr/bin/env bash
# Makes docs/admin-ui.png again: AdminPageBrowserTest starts three nodes in three regions, opens the
# operator's page at one of them in headless Chromium (Debian's chromium and chromium-driver), stops
# another node, drives about a minute of light traffic so that the rate charts have a shape, and
# saves a screenshot of the page. Takes about 1.5 minutes.
#   scripts/admin-screenshot.sh [output.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/admin-ui.png}")
./mvnw -B -q -pl tracker-node -am test -Dtest=AdminPageBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dadmin.screenshot="$out"
echo "screenshot: $out"
