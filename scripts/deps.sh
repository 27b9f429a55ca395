#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Installs the system packages the build needs when they are missing:
# libxml2's headers and pkg-config, for the XJustiz schema validator
# (package xjustiz/xsd links libxml2 through cgo), and poppler-utils, whose
# pdftotext reads the text layer of PDFs (search index, anonymization) and
# whose pdftoppm renders pages for redaction, qpdf, which the tests use to
# make an encrypted PDF, and chromium,
# the headless browser of the browser tests (package browsertest drives it
# over the DevTools protocol; chromium-driver is not needed). Debian/Ubuntu
# only; runs apt-get update only when the package lists are empty.
set -euo pipefail

need=()
if ! command -v pkg-config >/dev/null 2>&1; then
  need+=(pkg-config)
fi
if [ ! -f /usr/include/libxml2/libxml/xmlschemas.h ] && ! pkg-config --exists libxml-2.0 2>/dev/null; then
  need+=(libxml2-dev)
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  need+=(poppler-utils) # the text layer of PDFs; pages rendered for redaction
fi
if ! command -v qpdf >/dev/null 2>&1; then
  need+=(qpdf) # tests: an encrypted PDF must be refused with a clear message
fi
if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium) # the browser tests (about 300 MB, once)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: please install ${need[*]}" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing ${need[*]}"
if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
