#!/usr/bin/env bash
# Set up, then run the whole test suite, slow tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --for-tests
# The services the tests need: PostgreSQL (the ledger, the pass lock). Tests that need it fail, not skip, in CI.
BUKTI_TEST_PG_URL=$(bash scripts/start-postgres.sh)
export BUKTI_TEST_PG_URL
.venv/bin/python -m pytest "$@"
