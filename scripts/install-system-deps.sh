#!/usr/bin/env bash
# Installs the system packages the test suite needs, if they are missing:
# Debian's chromium for the browser tests (Playwright drives this system browser; no test tool
# downloads a browser of its own); gdal-bin for ogrinfo, the independent GDAL (Debian 12: 3.6)
# that the tests open every download and the OGC API with; libgdal-dev, the headers GDAL's
# Python bindings (the `ogcapi` extra, pygeoapi's OGR provider) build against.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v fc-match >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
command -v gdal-config >/dev/null 2>&1 || missing+=(libgdal-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "Missing system packages: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
else
  SUDO=
fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
