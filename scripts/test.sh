#!/usr/bin/env bash
# Runs the whole suite. Uses DATABASE_URL / REDIS_URL when set; otherwise PostgreSQL and Redis on 127.0.0.1 when
# they answer; otherwise SQLite, with the tests that need the missing service skipped and one loud line about it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

answers() { # host port
  "$PY" - "$1" "$2" <<'PYEOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PYEOF
}

if [ -z "${DATABASE_URL:-}" ] && answers 127.0.0.1 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/solitaire"
fi
if [ -z "${REDIS_URL:-}" ] && answers 127.0.0.1 6379; then
  export REDIS_URL="redis://127.0.0.1:6379/0"
fi
echo "test database: ${DATABASE_URL:-SQLite (no PostgreSQL answered on 127.0.0.1:5432)}"
echo "redis:         ${REDIS_URL:-none (no Redis answered on 127.0.0.1:6379)}"

# Ruff first: a lint failure is a test failure.
"$(dirname "$PY")/ruff" check .
"$(dirname "$PY")/ruff" format --check .

export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop in the test thread
exec "$PY" -m pytest "$@"
