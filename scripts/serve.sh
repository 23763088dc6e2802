#!/usr/bin/env bash
# Serve the app with gunicorn and run the task worker beside it; Ctrl-C stops both.
set -euo pipefail
PORT=${1:-8000}
GC=.venv/bin/greencommunity
$GC db_worker --interval 1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
$GC demo_accounts || true
echo "GreenCommunity: http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
exec_gunicorn() {
  .venv/bin/gunicorn greencommunity.wsgi:application \
    --bind "127.0.0.1:${PORT}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile - --log-level warning
}
exec_gunicorn
