#!/usr/bin/env bash
# Set up a fresh Debian machine (Python 3.11) to build and test the book:
# system libraries WeasyPrint and EPUBCheck need, then a virtual environment in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Pango for WeasyPrint, HarfBuzz's subsetter for fast font subsetting,
# a Java runtime for EPUBCheck (tests). Installed only when missing.
need=()
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# Ghostscript: the tests measure the print files' inks from its CMYK separations.
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
# poppler's pdftotext: book check and the tests read the PDF's text as Evince and Okular do.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The accessibility checker (DAISY Ace) drives Debian's Chromium; BOOK_NO_CHECK_TOOLS=1 skips both.
if [ -z "${BOOK_NO_CHECK_TOOLS:-}" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The CMYK profile for PDF/X print files: ISO Coated v2 300% (basICColor GmbH, zlib licence;
# the FOGRA39 condition), shipped by Debian's scribus-data. Only the profile and its licence
# are kept, in tools/icc (book/print_spec.py looks there).
profile=ISOcoated_v2_300_bas
if [ ! -f "tools/icc/$profile.icc" ]; then
  mkdir -p tools/icc
  if [ -f "/usr/share/scribus/profiles/$profile.icc" ]; then
    cp "/usr/share/scribus/profiles/$profile".{icc,txt} tools/icc/
  else
    scratch=$(mktemp -d)
    (cd "$scratch" && { apt-get download scribus-data >/dev/null 2>&1 \
      || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; $sudo apt-get update -qq && apt-get download scribus-data >/dev/null 2>&1; }; })
    dpkg-deb -x "$scratch"/scribus-data_*.deb "$scratch/files"
    cp "$scratch/files/usr/share/scribus/profiles/$profile".{icc,txt} tools/icc/
    rm -rf "$scratch"
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

if [ -z "${BOOK_NO_CHECK_TOOLS:-}" ]; then
  # Ace from the npm registry, using the system Chromium instead of downloading its own.
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix tools --no-audit --no-fund --loglevel=error >/dev/null
fi
