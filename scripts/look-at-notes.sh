#!/usr/bin/env bash
# Produces realistic summary notes through the API (the integration test that
# writes, approves and publishes one) and converts them to PDF and PNG pages with
# LibreOffice, to look at them the way people will see them.
#
#   scripts/look-at-notes.sh [OUTDIR]
#
# Writes OUTDIR/published-members.docx (a published version, as downloaded),
# OUTDIR/preview-secretariat.docx and OUTDIR/preview-public.docx (previews of
# the same note), then their .pdf and -N.png pages. OUTDIR defaults to
# /tmp/minutebook-notes.
set -euo pipefail
cd "$(dirname "$0")/.."
outdir="${1:-/tmp/minutebook-notes}"
rm -rf "$outdir"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
NOTE_DOCX_DIR="$outdir" cargo test --quiet --test api \
    notes::the_published_document_has_every_section_in_house_style >/dev/null
scripts/render-docx.sh "$outdir"/*.docx -o "$outdir"
