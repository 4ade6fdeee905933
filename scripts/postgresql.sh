#!/usr/bin/env bash
# Start (idempotently) PostgreSQL from Debian's packages on 127.0.0.1 and make
# sure the project's role and database exist.
#
#   scripts/postgresql.sh [start|stop|status]
#
# Prints nothing on stdout but, for `start`, the DATABASE_URL to use.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_PORT="${PG_PORT:-5432}"
PG_DB="${PG_DB:-klyngeportal}"
PG_USER="${PG_USER:-klyngeportal}"
PG_PASSWORD="${PG_PASSWORD:-klyngeportal}"
PG_CLUSTER="${PG_CLUSTER:-main}"

pg_version() {
    ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
}

psql_admin() {
    as_root runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtAX "$@"
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }

start() {
    # Everything but the URL goes to stderr: pg_ctlcluster, for one, prints
    # notes such as "Removed stale pid file." on stdout.
    start_server >&2
    echo "postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
}

start_server() {
    apt_install postgresql
    local version
    version="$(pg_version)"
    [ -n "$version" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*)"
    if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/$PG_CLUSTER"; then
        log "creating PostgreSQL cluster $version/$PG_CLUSTER"
        as_root pg_createcluster "$version" "$PG_CLUSTER" -p "$PG_PORT" >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v c="$PG_CLUSTER" -v v="$version" '$1==v && $2==c {print $4}' | grep -qx online; then
        log "starting PostgreSQL $version/$PG_CLUSTER on 127.0.0.1:$PG_PORT"
        as_root pg_ctlcluster "$version" "$PG_CLUSTER" start \
            -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT" \
            || die "PostgreSQL did not start (see /var/log/postgresql/)"
    fi
    wait_for "PostgreSQL" 60 pg_up || die "PostgreSQL did not answer on 127.0.0.1:$PG_PORT within 60 s"

    # CREATEDB lets the test runner create and drop its test database.
    if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
        psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
        psql_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\" ENCODING 'UTF8' TEMPLATE template0"
    fi
    log "$(psql_admin -c 'SHOW server_version' | sed 's/^/PostgreSQL /') running on 127.0.0.1:$PG_PORT"
}

stop() {
    local version
    version="$(pg_version)"
    [ -n "$version" ] && as_root pg_ctlcluster "$version" "$PG_CLUSTER" stop 2>/dev/null || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) pg_up ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac
