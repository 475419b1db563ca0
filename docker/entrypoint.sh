#!/bin/sh
# Container entrypoint: wait for the database (bounded), migrate and set up the editors' groups and
# workflow (setup_workflows), then run the command given (the Granian server by default; see the
# Dockerfile's CMD). `docker/entrypoint.sh true` runs the steps only.
#
#   DB_WAIT_ATTEMPTS   tries, about a second apart, before giving up (default 30)
#   MIGRATE_ON_START   "false" skips both (compose runs them once, in the `migrate` service)
set -eu

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

attempts="${DB_WAIT_ATTEMPTS:-30}"
i=1
until "$PYTHON" manage.py shell --no-imports -c \
    "from django.db import connection; connection.ensure_connection()" >/dev/null 2>&1; do
    if [ "$i" -ge "$attempts" ]; then
        echo "entrypoint: the database did not answer after $attempts attempts" >&2
        # Once more, showing why.
        "$PYTHON" manage.py shell --no-imports -c \
            "from django.db import connection; connection.ensure_connection()" >&2 || true
        exit 1
    fi
    echo "entrypoint: waiting for the database ($i/$attempts)" >&2
    i=$((i + 1))
    sleep 1
done

case "${MIGRATE_ON_START:-true}" in
    0 | false | False | no | off) echo "entrypoint: MIGRATE_ON_START=${MIGRATE_ON_START}, not migrating" >&2 ;;
    *)
        "$PYTHON" manage.py migrate --noinput
        "$PYTHON" manage.py setup_workflows
        ;;
esac

exec "$@"
