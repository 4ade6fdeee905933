#!/usr/bin/env bash
# One scheduled job (deploy/crontab): `manage.py ARGS…` with the production
# environment file, never twice at once (a run still going is skipped).
#
#   KLYNGE_ENV=/etc/klyngeportal/env scripts/job.sh publish_scheduled
#
# KLYNGE_PYTHON: the environment's interpreter (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

env_file="${KLYNGE_ENV:-var/production/env}"
[ -r "$env_file" ] || { echo "job.sh: no environment file $env_file" >&2; exit 1; }
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a

lock_dir="${KLYNGE_LOCK_DIR:-${TMPDIR:-/tmp}}"
lock="$lock_dir/klyngeportal-job-$(id -u)-$1.lock"
exec 9>"$lock"
if ! flock --nonblock 9; then
    echo "job.sh: $1 is still running; this run is skipped" >&2
    exit 0
fi
# The lock stays held by the command (fd 9 is inherited).
exec "${KLYNGE_PYTHON:-.venv/bin/python}" manage.py "$@"
