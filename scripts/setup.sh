#!/usr/bin/env bash
# All set-up on a fresh Debian/Ubuntu machine: system packages (as root, or through sudo) and the Python
# environment in .venv from the committed uv.lock. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng tesseract-ocr-osd fonts-dejavu-core
              python3 python3-venv ca-certificates)
# Test set-up only: the browser tests drive Debian's chromium through Playwright (no browser download), and
# the ledger tests also run against Debian's PostgreSQL (scripts/start-postgres.sh starts it).
if [ "${1:-}" = "--for-tests" ] || [ "${1:-}" = "--with-browser" ]; then
  APT_PACKAGES+=(chromium postgresql)
fi
UV_VERSION=0.13.9

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# uv: use the one on PATH, else install it once into a private venv (PyPI is reachable, its installer site is not).
UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/bukti-tools"
  if [ ! -x "$TOOLS/bin/uv" ]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q "uv==$UV_VERSION"
  fi
  UV="$TOOLS/bin/uv"
fi

# Never download a Python build: use the system's python3 (3.11 on Debian 12).
export UV_PYTHON_DOWNLOADS=never
"$UV" sync --frozen --python "$(command -v python3)" -q
echo "setup: ready (.venv, $(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))"
