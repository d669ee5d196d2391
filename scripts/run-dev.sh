#!/usr/bin/env bash
# Migrate, load the demo data, then run the web server, a Celery worker and the beat scheduler together.
# Ctrl-C (or any of them stopping) stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in e-mails point at this server unless SITE_URL says otherwise.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py seed_demo

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
"$BIN/celery" -A partner_support worker --beat --queues celery,webhooks --loglevel INFO --concurrency 2 &
"$BIN/python" manage.py runserver "$HOST:$PORT" &
echo "Partner Support is starting at http://$HOST:$PORT (Ctrl-C stops the server, the worker and beat)"
wait -n
