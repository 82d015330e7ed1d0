#!/usr/bin/env bash
# Set up, then process the sample inbox (samples/inbox) and print what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BUKTI_HOME="${BUKTI_HOME:-data/sample}" BUKTI_STABLE_SECONDS="${BUKTI_STABLE_SECONDS:-0}"
.venv/bin/bukti run --inbox samples/inbox "$@"
