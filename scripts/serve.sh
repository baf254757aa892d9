#!/usr/bin/env bash
# `make run`'s two processes side by side: the web server and the Celery worker.
#
# Usage: scripts/serve.sh "WEB COMMAND" "WORKER COMMAND"
#
# Each runs in its own process group (set -m), so stopping one stops its
# children too (runserver's autoreloader, the embedded beat). Ctrl-C, or the
# web server ending, stops both. The worker ending does not stop the web
# server: the app keeps serving, and this says that background work (reminders)
# waits until `make run` is started again.
set -u
set -m

web_command=$1
worker_command=$2
web=
worker=

stop() {
    trap - INT TERM EXIT
    for pid in $web $worker; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

bash -c "$worker_command" &
worker=$!
bash -c "$web_command" &
web=$!

status=0
wait -n "$web" "$worker" || status=$?
if kill -0 "$web" 2>/dev/null; then
    worker=
    printf '\nWARNING: the Celery worker stopped (exit status %s). The web server keeps\n' "$status" >&2
    printf 'serving; reminders and other background work wait until you start\n' >&2
    printf '"make run" again.\n\n' >&2
    status=0
    wait "$web" || status=$?
fi
exit "$status"
