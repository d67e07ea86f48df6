#!/usr/bin/env bash
# The production stack on this machine (make serve): gunicorn serving wushe with DJANGO_DEBUG=0,
# static files collected and served by WhiteNoise, and the task worker (manage.py db_worker),
# on PostgreSQL. Ctrl-C (or SIGTERM) stops both; if either stops, the other is stopped too.
#
# Local differences from a real deployment (docs/deploy.md), all through the environment: plain
# HTTP on 127.0.0.1 (no TLS proxy, so no HTTPS redirect and no Secure cookies) and two-factor
# sign-in optional (the demo accounts have no authenticator).
#   DATABASE_URL      default postgres://postgres@127.0.0.1:5432/wushe_serve (created if missing)
#   WUSHE_BIND        default 127.0.0.1:8000
#   WUSHE_SERVE_SEED  1 (default): seed the demo streets into an empty database; 0: do not
#   WUSHE_FIGURES_MAX_AGE  default 300, as in deploy/env.example (0: count every dashboard live)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

export DJANGO_DEBUG=0
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wushe_serve}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-0}
export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-0}
export WUSHE_2FA_REQUIRED=${WUSHE_2FA_REQUIRED:-0}
export WUSHE_REQUEST_LOG=${WUSHE_REQUEST_LOG:-1}
export WUSHE_BIND=${WUSHE_BIND:-127.0.0.1:8000}
export WUSHE_FIGURES_MAX_AGE=${WUSHE_FIGURES_MAX_AGE:-300}  # as deploy/env.example: dashboards counted ahead

"$PYTHON" - <<'PY'
import os
import dj_database_url
import psycopg

cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
if "postgresql" in cfg["ENGINE"]:
    admin = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )
    with admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")
PY
"$PYTHON" manage.py migrate --no-input
"$PYTHON" manage.py collectstatic --no-input --verbosity 0
if [ "${WUSHE_SERVE_SEED:-1}" = 1 ]; then "$PYTHON" manage.py seed_demo --if-empty; fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$(dirname "$PYTHON")/gunicorn" -c deploy/gunicorn.conf.py wushe.wsgi & pids+=($!)
"$PYTHON" manage.py db_worker & pids+=($!)
echo "wushe: serving on http://$WUSHE_BIND (health: /healthz); Ctrl-C stops the server and the worker"
# whichever ends first (a crash, or a signal), the other is stopped with it
wait -n
