#!/usr/bin/env bash
# Converts .docx files to PDF and PNG pages with LibreOffice, to check a
# summary note the way people will see it.
#
#   scripts/render-docx.sh note.docx [more.docx …] [-o OUTDIR]
#
# For each note.docx this writes OUTDIR/note.pdf and OUTDIR/note-1.png,
# note-2.png, … (80 dpi), prints the PDF and page paths, and the page count.
# OUTDIR defaults to a new directory under /tmp.
#
# Needs: soffice (Debian: libreoffice-writer-nogui), pdftoppm (poppler-utils),
# and for faithful metrics fonts-liberation (Arial → Liberation Sans) and
# fonts-crosextra-carlito (Calibri → Carlito).
set -euo pipefail

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

outdir=""
files=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o|--outdir) [ $# -ge 2 ] || usage 2; outdir="$2"; shift 2 ;;
        -h|--help) usage 0 ;;
        -*) echo "unknown option: $1" >&2; usage 2 ;;
        *) files+=("$1"); shift ;;
    esac
done
[ ${#files[@]} -gt 0 ] || usage 2

for tool in soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool not found; install with:" >&2
        echo "  apt-get install -y libreoffice-writer-nogui poppler-utils fonts-liberation fonts-crosextra-carlito" >&2
        exit 1
    fi
done

if [ -z "$outdir" ]; then
    outdir="$(mktemp -d /tmp/render-docx.XXXXXX)"
fi
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"

# A private LibreOffice profile: a clean, repeatable conversion that does not
# collide with (or wait for) a LibreOffice the user already has open.
profile="$(mktemp -d /tmp/render-docx-profile.XXXXXX)"
trap 'rm -rf "$profile"' EXIT

for file in "${files[@]}"; do
    if [ ! -f "$file" ]; then
        echo "no such file: $file" >&2
        exit 1
    fi
    name="$(basename "${file%.*}")"
    soffice -env:UserInstallation="file://$profile" --headless --norestore \
        --convert-to pdf --outdir "$outdir" "$file" >/dev/null 2>&1
    pdf="$outdir/$name.pdf"
    if [ ! -s "$pdf" ]; then
        echo "LibreOffice did not convert $file" >&2
        exit 1
    fi
    rm -f "$outdir/$name"-*.png
    pdftoppm -png -r 80 "$pdf" "$outdir/$name"
    pages=("$outdir/$name"-*.png)
    echo "$file: ${#pages[@]} page(s)"
    echo "  $pdf"
    for page in "${pages[@]}"; do
        echo "  $page"
    done
done
