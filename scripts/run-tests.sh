#!/usr/bin/env bash
# The whole test suite: lint, then pytest on SQLite, then again on PostgreSQL when one is reachable.
# TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server; each run creates and
# drops its own database. REQUIRE_POSTGRES=1 (CI) fails when no PostgreSQL is reachable.
# Each pass runs on every core (pytest-xdist hands whole files to its workers; TEST_WORKERS=0 runs the tests in
# pytest's own process): each worker has its own database, file store, SMTP server and browser. Arguments pass
# through to pytest after these.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export PYTHONDONTWRITEBYTECODE=1

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run .venv/bin/ruff format ."; exit 1; }

parallel=(-n "${TEST_WORKERS:-auto}" --dist loadfile)

echo "==> tests on SQLite"
env -u TEST_DATABASE_URL .venv/bin/pytest "${parallel[@]}" "$@"

pg_url="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if .venv/bin/python - "$pg_url" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}")
    sys.exit(1)
PY
then
  echo "==> tests on PostgreSQL ($pg_url)"
  TEST_DATABASE_URL="$pg_url" .venv/bin/pytest "${parallel[@]}" "$@"
else
  if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "PostgreSQL is required here (REQUIRE_POSTGRES=1) but not reachable." >&2
    exit 1
  fi
  echo "==> SKIPPED the PostgreSQL run: no PostgreSQL is reachable. The suite passed on SQLite."
fi
