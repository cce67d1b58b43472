#!/usr/bin/env bash
# Installs the system packages the test suite needs, if they are missing:
# Debian's chromium for the browser tests (Playwright drives this system browser; no test tool
# downloads a browser of its own).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v fc-match >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
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
