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

# Never download a Python build: use the system's python3 (3.11 on Debian 12). By its real path: uv compares the
# request with the environment's interpreter, and a launcher or shim (pyenv's) never matches, so .venv would be
# deleted and made again on every call (and any other process using it would break meanwhile).
export UV_PYTHON_DOWNLOADS=never
PYTHON="$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')"
"$UV" sync --frozen --python "$PYTHON" -q

# Compile the environment's bytecode once per lock file. uv installs none, and where PYTHONDONTWRITEBYTECODE is
# set (CI images, containers) Python never writes it: every process then compiles what it imports, which
# doubles the start-up of `bukti run`, of each OCR worker pool and of the test suite's subprocesses (importing
# Prefect, scikit-learn and pdfplumber: 4.4 s without bytecode, 1.9 s with it). `uv sync --compile-bytecode`
# would recompile everything (12 s) on every call of this script.
stamp=".venv/.bukti-bytecode"
want="$(sha256sum uv.lock | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m compileall -q -j 0 .venv/lib/python3*/site-packages pipeline flows >/dev/null 2>&1 || true
  echo "$want" > "$stamp"
fi
echo "setup: ready (.venv, $(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))"
