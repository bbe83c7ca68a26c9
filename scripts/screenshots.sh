#!/usr/bin/env bash
# Takes screenshots of every web page at phone (375 px) and desktop (1280 px)
# width in headless Chromium, against a fresh seeded application.
#
#   scripts/screenshots.sh [OUTDIR]        (default /tmp/minutebook-screenshots)
#
# Needs Debian's chromium and chromium-driver (/usr/bin/chromium,
# /usr/bin/chromedriver). Writes NN-page-phone.png and NN-page-desktop.png.
set -euo pipefail
out="${1:-/tmp/minutebook-screenshots}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$(dirname "$0")/.."
MINUTEBOOK_SCREENSHOTS="$out" MINUTEBOOK_REQUIRE_BROWSER=1 \
    cargo test --test browser _page_at_phone_and_desktop_width -- --ignored --nocapture
ls -1 "$out"/*.png
