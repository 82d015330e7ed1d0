#!/usr/bin/env bash
# Start Debian's PostgreSQL for the tests (the ledger runs against SQLite and PostgreSQL) and print the URL of a
# test database. Safe to run again: it reuses the cluster, the role and the database when they exist.
set -euo pipefail
# Only the URL goes to stdout, which the caller captures. Everything else (pg_ctlcluster prints "Removed stale
# pid file.") goes to stderr; so does the server's inherited stdout, or the capture would wait for the server.
{
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $4}' | grep -qx online; then
    $SUDO pg_ctlcluster "$version" main start
  fi
  as_postgres() { $SUDO runuser -u postgres -- "$@"; }
  for _ in $(seq 1 30); do as_postgres pg_isready -q && break; sleep 1; done
  as_postgres psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname='bukti'" | grep -q 1 ||
    as_postgres psql -qc "CREATE ROLE bukti LOGIN PASSWORD 'bukti'"
  as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname='bukti_test'" | grep -q 1 ||
    as_postgres psql -qc "CREATE DATABASE bukti_test OWNER bukti"
  port=$(pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $3}')
} >&2
echo "postgresql+psycopg://bukti:bukti@127.0.0.1:${port}/bukti_test"

