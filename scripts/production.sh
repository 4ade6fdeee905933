#!/usr/bin/env bash
# The production topology on 127.0.0.1, from the repository's own
# dependencies and Debian's packages (docs/operations.md):
#
#   PostgreSQL          127.0.0.1:5432, database klyngeportal_prod
#   Elasticsearch       three nodes, HTTP 9201-9203, transport 9301-9303
#   Redis               127.0.0.1:6380, the cache every process shares
#   two app servers     gunicorn on 127.0.0.1:8101 and :8102
#   Varnish             127.0.0.1:6081: the page cache (purged on publish)
#                       and the app servers' load balancer
#   the task worker     manage.py db_worker
#   the scheduler       deploy/crontab, run by scripts/scheduler.py
#   nginx               127.0.0.1:8080, the front door: static files,
#                       checked documents (X-Accel-Redirect), the rest to
#                       Varnish
#
#   scripts/production.sh up       start what is not running (idempotent)
#   scripts/production.sh down     stop everything but PostgreSQL
#   scripts/production.sh status   what runs; non-zero if anything is down
#   scripts/production.sh start|stop NAME   one process: es-1..es-3, redis,
#                                  app-1, app-2, worker, scheduler, varnish,
#                                  proxy (nginx)
#   scripts/production.sh env      the environment file the processes use
#
# State (data, logs, pid files, the environment file with the generated
# SECRET_KEY) lives in var/production/. As root, the app servers, the
# worker and the scheduler run as the system user klynge-app, the
# Elasticsearch nodes as klynge-es, Redis as redis, Varnish's cache process
# as vcache and nginx's workers as www-data. PostgreSQL is shared with development and left running by `down`.
ORIGINAL_HOME="${HOME:-}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PROD_DIR="$VAR_DIR/production"
RUN_DIR="$PROD_DIR/run"
LOG_DIR="$PROD_DIR/logs"
ENV_FILE="$PROD_DIR/env"

PROD_DB="${PROD_DB:-klyngeportal_prod}"
PROXY_PORT="${PROXY_PORT:-8080}"
APP_PORTS=(${APP_PORTS:-8101 8102})
APP_WORKERS="${APP_WORKERS:-2}"
APP_THREADS="${APP_THREADS:-4}"
REDIS_PORT="${REDIS_PORT:-6380}"
VARNISH_PORT="${VARNISH_PORT:-6081}"
ES_VERSION="${ES_VERSION:-8.19.21}"
ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
ES_NODES=(1 2 3)
ES_HEAP="${PROD_ES_HEAP:-384m}"
ES_USER="${ES_USER:-klynge-es}"
APP_USER="${APP_USER:-klynge-app}"
PROXY_CACHE_SECONDS="${PROXY_CACHE_SECONDS:-300}"
# The processes' own environment, from uv.lock without the development tools,
# on an interpreter every user may run (Debian's python3 by default: a
# development environment's interpreter may live in a home directory the
# system users cannot enter).
PROD_VENV="$PROD_DIR/venv"
PROD_PYTHON="${PROD_PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3)}"
SENDFILE_URL="/_beskyttet/"

es_http_port() { echo $((9200 + $1)); }
es_transport_port() { echo $((9300 + $1)); }
es_url() { echo "http://127.0.0.1:$(es_http_port "$1")"; }
es_urls() {
    local urls=() n
    for n in "${ES_NODES[@]}"; do urls+=("$(es_url "$n")"); done
    (IFS=,; echo "${urls[*]}")
}
proxy_url() { echo "http://127.0.0.1:$PROXY_PORT"; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Replace this (sub)shell by a command run as `user` when root, as ourselves
# otherwise: started in the background, $! is the process itself.
exec_as() {
    local user="$1"
    shift
    if is_root; then
        exec setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@"
    fi
    exec "$@"
}

system_user() {
    is_root || return 0
    id "$1" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$1"
}

own() {
    local user="$1"
    shift
    if is_root; then chown -R "$user" "$@"; fi
}

pid_file() {
    case "$1" in
        es-*) echo "$PROD_DIR/$1/es.pid" ;;
        redis) echo "$PROD_DIR/redis/redis.pid" ;;
        varnish) echo "$PROD_DIR/varnish/varnish.pid" ;;
        *) echo "$RUN_DIR/$1.pid" ;;
    esac
}
pid_of() { cat "$(pid_file "$1")" 2>/dev/null || true; }
alive() {
    local pid
    pid="$(pid_of "$1")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# stop_pid NAME: SIGTERM, then SIGKILL after 30 s.
stop_pid() {
    local name="$1" pid waited=0
    pid="$(pid_of "$name")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do
            if [ "$waited" -ge 30 ]; then
                log "$name did not stop within 30 s; killing it"
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            sleep 1
            waited=$((waited + 1))
        done
        log "$name stopped"
    fi
    rm -f "$(pid_file "$name")"
}

# --- Installation -------------------------------------------------------------

install_packages() {
    # nginx, Varnish, Redis, and what the app and the Elasticsearch nodes
    # need (hunspell-da, curl, unzip via elasticsearch.sh).
    apt_install nginx varnish redis-server curl util-linux gettext
    make -s -C "$REPO_ROOT" install assets messages >&2
    log "the app's environment: $PROD_VENV ($("$PROD_PYTHON" --version))"
    (cd "$REPO_ROOT" && UV_PROJECT_ENVIRONMENT="$PROD_VENV" UV_PYTHON_DOWNLOADS=never \
        "$(uv_bin)" sync --frozen --no-dev --python "$PROD_PYTHON" --quiet) \
        || die "could not build $PROD_VENV from uv.lock"
    "$REPO_ROOT/scripts/elasticsearch.sh" install
    system_user "$ES_USER"
    system_user "$APP_USER"
    mkdir -p "$RUN_DIR" "$LOG_DIR" "$PROD_DIR/media" "$PROD_DIR/static" "$PROD_DIR/home"
    own "$APP_USER" "$RUN_DIR" "$LOG_DIR" "$PROD_DIR/media" "$PROD_DIR/static" "$PROD_DIR/home"
}

write_env() {
    mkdir -p "$PROD_DIR"
    local secret_file="$PROD_DIR/secret_key"
    if [ ! -s "$secret_file" ]; then
        (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$secret_file")
    fi
    local database_url
    database_url="$(PG_DB="$PROD_DB" "$REPO_ROOT/scripts/postgresql.sh" start)"
    local upstreams=() port
    for port in "${APP_PORTS[@]}"; do upstreams+=("127.0.0.1:$port"); done
    (
        umask 077
        cat >"$ENV_FILE" <<ENV
DJANGO_SETTINGS_MODULE=klyngeportal_site.settings.production
SECRET_KEY=$(cat "$secret_file")
DATABASE_URL=$database_url
DATABASE_CONN_MAX_AGE=60
ELASTICSEARCH_URL=$(es_urls)
SEARCH_INDEX_PREFIX=klyngeportal
SEARCH_INDEX_REPLICAS=1
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
TASKS_BACKEND=database
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=$(proxy_url),http://localhost:$PROXY_PORT
WAGTAILADMIN_BASE_URL=$(proxy_url)
TRUSTED_PROXY_COUNT=2
PROXY_CACHE_SECONDS=$PROXY_CACHE_SECONDS
PROXY_PURGE_URL=http://127.0.0.1:$VARNISH_PORT
SENDFILE_URL=$SENDFILE_URL
STATIC_ROOT=$PROD_DIR/static
MEDIA_ROOT=$PROD_DIR/media
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
SECURE_SSL_REDIRECT=false
SECURE_HSTS_SECONDS=0
HOME=$PROD_DIR/home
PYTHONDONTWRITEBYTECODE=1
ENV
    )
    # Where everything listens, for the fault tests and the benchmark.
    cat >"$PROD_DIR/topology.json" <<JSON
{"proxy": "$(proxy_url)", "varnish": "http://127.0.0.1:$VARNISH_PORT",
 "app_servers": [$(printf '"http://%s",' "${upstreams[@]}" | sed 's/,$//')],
 "elasticsearch": [$(es_urls | sed 's/[^,]*/"&"/g')],
 "redis": "redis://127.0.0.1:$REDIS_PORT/0",
 "run_dir": "$RUN_DIR", "log_dir": "$LOG_DIR", "varnish_dir": "$PROD_DIR/varnish",
 "env_file": "$ENV_FILE"}
JSON
    # The app's processes read it; nobody else.
    own "$APP_USER" "$ENV_FILE" "$secret_file"
}

# Run a command with the environment file, as the app's user, in a subshell
# that the command replaces.
with_env() {
    (
        set -a
        # shellcheck disable=SC1090
        . "$ENV_FILE"
        set +a
        cd "$REPO_ROOT"
        exec_as "$APP_USER" "$@"
    )
}

manage() { with_env "$PROD_VENV/bin/python" manage.py "$@"; }

# start_bg NAME COMMAND...: a long-running process of the app, in the
# background, in a session of its own (an interrupt of this script does not
# reach it), its output appended to logs/NAME.log. The pid file is written by
# the subshell that then becomes the process (exec all the way down).
start_bg() {
    local name="$1"
    shift
    (
        set -a
        # shellcheck disable=SC1090
        . "$ENV_FILE"
        set +a
        cd "$REPO_ROOT"
        echo "$BASHPID" >"$(pid_file "$name")"
        exec_as "$APP_USER" setsid "$@"
    ) >>"$LOG_DIR/$name.log" 2>&1 &
}

uv_bin() { command -v uv 2>/dev/null || echo "$REPO_ROOT/.cache/uv/bin/uv"; }

# --- Elasticsearch ------------------------------------------------------------

es_node_up() { curl -fsS "$(es_url "$1")/_cluster/health?timeout=1s" >/dev/null 2>&1; }

es_cluster_ready() {
    curl -fsS "$(es_url "$1")/_cluster/health?wait_for_nodes=${#ES_NODES[@]}&wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

es_configure_node() {
    local n="$1" dir="$PROD_DIR/es-$n"
    mkdir -p "$dir/config" "$dir/data" "$dir/logs"
    # The distribution's JVM options and logging; the dictionary from
    # Debian's hunspell-da, as on every node (docs/operations.md).
    cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$dir/config/"
    mkdir -p "$dir/config/jvm.options.d" "$dir/config/hunspell/da_DK"
    cp /usr/share/hunspell/da_DK.aff /usr/share/hunspell/da_DK.dic "$dir/config/hunspell/da_DK/"
    local seeds=() masters=() m
    for m in "${ES_NODES[@]}"; do
        seeds+=("\"127.0.0.1:$(es_transport_port "$m")\"")
        masters+=("klyngeportal-prod-$m")
    done
    cat >"$dir/config/elasticsearch.yml" <<YML
cluster.name: klyngeportal-production
node.name: klyngeportal-prod-$n
network.host: 127.0.0.1
http.port: $(es_http_port "$n")
transport.port: $(es_transport_port "$n")
discovery.seed_hosts: [$(IFS=,; echo "${seeds[*]}")]
cluster.initial_master_nodes: [$(IFS=,; echo "${masters[*]}")]
path.data: $dir/data
path.logs: $dir/logs
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
YML
    own "$ES_USER" "$dir"
}

java_home() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

start_es() {
    local n="$1" name="es-$1"
    if alive "$name" && es_node_up "$n"; then return 0; fi
    es_configure_node "$n"
    local dir="$PROD_DIR/es-$n"
    log "starting Elasticsearch node $n on $(es_url "$n") (heap $ES_HEAP)"
    # The node writes its pid file itself; -d detaches it.
    rm -f "$dir/es.pid"
    (exec_as "$ES_USER" env ES_PATH_CONF="$dir/config" ES_JAVA_HOME="$(java_home)" \
        ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
        "$ES_HOME/bin/elasticsearch" -d -p "$dir/es.pid") >"$dir/logs/stdout.log" 2>&1 \
        || { tail -n 40 "$dir/logs/stdout.log" >&2; die "Elasticsearch node $n did not start"; }
}

wait_es() {
    local n="$1"
    wait_for "Elasticsearch node $n" 180 es_node_up "$n" \
        || { tail -n 40 "$PROD_DIR/es-$n/logs/klyngeportal-production.log" >&2 || true
             die "Elasticsearch node $n did not answer within 180 s"; }
}

# --- Redis --------------------------------------------------------------------

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
    if alive redis && redis_up; then return 0; fi
    local dir="$PROD_DIR/redis"
    mkdir -p "$dir"
    # A cache: no persistence; the least recently used keys go when full.
    cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $dir/redis.pid
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
dir $dir
logfile $LOG_DIR/redis.log
CONF
    own redis "$dir"
    is_root && touch "$LOG_DIR/redis.log" && chown redis "$LOG_DIR/redis.log"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    (exec_as redis redis-server "$dir/redis.conf") || die "Redis did not start (see $LOG_DIR/redis.log)"
    wait_for "Redis" 30 redis_up || die "Redis did not answer on 127.0.0.1:$REDIS_PORT"
}

# --- The app ------------------------------------------------------------------

# One Django start for all of it (each start costs seconds on a small machine).
SETUP_DJANGO='
import sys
from django.core.management import call_command
from klyngeportal_site.models import HomePage
from klynge_search import connection, indices

call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
if not HomePage.objects.exists():
    # Demo content, without the accounts, in a database that has no site yet.
    print("loading the demo content (no accounts)", file=sys.stderr)
    call_command("load_demo", no_accounts=True, verbosity=0)
client = connection.get_client()
if indices.current_index(client) is None:
    print("building the search index", file=sys.stderr)
    call_command("search_index", "rebuild", no_progress=True)
else:
    # An index built for one node gets its replica; waiting changes go in.
    client.indices.put_settings(
        index=indices.alias_name(),
        settings={"number_of_replicas": indices.replicas()},
    )
    call_command("search_index", "sync", no_progress=True)
'

setup_django() {
    log "migrating $PROD_DB, collecting static files, preparing the search index"
    manage shell -c "$SETUP_DJANGO" >"$LOG_DIR/setup.log" 2>&1 \
        || { tail -n 40 "$LOG_DIR/setup.log" >&2; die "setting up Django failed"; }
    sed 's/^/  /' "$LOG_DIR/setup.log" >&2
}

app_up() { curl -fsS -o /dev/null "http://127.0.0.1:$1/sundhed/" 2>/dev/null; }

start_app() {
    local n="$1" name="app-$1" port="${APP_PORTS[$(($1 - 1))]}"
    if alive "$name" && app_up "$port"; then return 0; fi
    log "starting app server $n (gunicorn) on 127.0.0.1:$port"
    # gunicorn writes the same pid (its master's) to the pid file itself.
    start_bg "$name" env GUNICORN_WORKERS="$APP_WORKERS" GUNICORN_THREADS="$APP_THREADS" \
        "$PROD_VENV/bin/gunicorn" -c deploy/gunicorn.conf.py \
        --bind "127.0.0.1:$port" --pid "$RUN_DIR/$name.pid"
    wait_for "app server $n" 60 app_up "$port" \
        || { tail -n 40 "$LOG_DIR/$name.log" >&2; die "app server $n did not answer on port $port"; }
}

start_worker() {
    if alive worker; then return 0; fi
    log "starting the task worker (db_worker)"
    # Polls the queue every half second: purges queued for later and the
    # search index's replays start within that.
    start_bg worker "$PROD_VENV/bin/python" manage.py db_worker --backend worker \
        --interval 0.5 --worker-id "worker-$(hostname)-$$"
}

start_scheduler() {
    if alive scheduler; then return 0; fi
    log "starting the scheduler (deploy/crontab)"
    start_bg scheduler "$PROD_PYTHON" scripts/scheduler.py deploy/crontab \
        --set KLYNGE_HOME="$REPO_ROOT" --set KLYNGE_ENV="$ENV_FILE" \
        --set KLYNGE_LOCK_DIR="$RUN_DIR" --set KLYNGE_PYTHON="$PROD_VENV/bin/python"
}

# --- Varnish and nginx --------------------------------------------------------

# fill_in TEMPLATE OUTPUT: the @NAME@ placeholders from the environment.
fill_in() {
    python3 - "$1" "$2" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r"@([A-Z_]+)@", lambda match: os.environ[match[1]], text)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
}

varnish_up() { curl -fsS -o /dev/null "http://127.0.0.1:$VARNISH_PORT/sundhed/" 2>/dev/null; }

start_varnish() {
    if alive varnish && varnish_up; then return 0; fi
    local dir="$PROD_DIR/varnish" backends="" director="" n=0 port
    mkdir -p "$dir"
    for port in "${APP_PORTS[@]}"; do
        n=$((n + 1))
        # Each app server is probed every second at /sundhed/; two failures
        # in the last three take it out of the rotation, two successes
        # bring it back.
        backends+="backend app$n {
    .host = \"127.0.0.1\";
    .port = \"$port\";
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
    .probe = {
        .url = \"/sundhed/\";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}
"
        director+="    app.add_backend(app$n);"$'\n'
    done
    BACKENDS="$backends" PURGERS='    "127.0.0.1";' DIRECTOR_BACKENDS="${director%$'\n'}" \
        fill_in "$REPO_ROOT/deploy/varnish.vcl" "$dir/default.vcl"
    # As root, varnishd's cache process runs as Debian's vcache user;
    # otherwise as ourselves (no jail).
    local jail=(-j none)
    is_root && jail=(-j unix,user=vcache)
    log "starting Varnish on 127.0.0.1:$VARNISH_PORT"
    varnishd -a "127.0.0.1:$VARNISH_PORT" -T none -f "$dir/default.vcl" \
        -n "$dir/work" -P "$dir/varnish.pid" -s malloc,256m "${jail[@]}" \
        >"$LOG_DIR/varnish.log" 2>&1 \
        || { tail -n 40 "$LOG_DIR/varnish.log" >&2; die "Varnish did not start"; }
    wait_for "Varnish" 30 varnish_up || die "Varnish did not answer on 127.0.0.1:$VARNISH_PORT"
}

# --- nginx --------------------------------------------------------------------

proxy_up() { curl -fsS -o /dev/null "$(proxy_url)/static/dkfds/css/dkfds.min.css" 2>/dev/null; }

write_nginx_conf() {
    local conf_dir="$PROD_DIR/nginx"
    mkdir -p "$conf_dir"
    local user_directive=""
    if is_root; then user_directive="user www-data;"; fi
    cp "$REPO_ROOT/deploy/proxy_params.conf" "$conf_dir/proxy_params.conf"
    # Fill in the @NAME@ placeholders from the environment.
    USER_DIRECTIVE="$user_directive" RUN_DIR="$RUN_DIR" LOG_DIR="$LOG_DIR" \
    CONF_DIR="$conf_dir" LISTEN="127.0.0.1:$PROXY_PORT" STATIC_ROOT="$PROD_DIR/static" \
    MEDIA_ROOT="$PROD_DIR/media" SENDFILE_URL="$SENDFILE_URL" \
    VARNISH="127.0.0.1:$VARNISH_PORT" \
    fill_in "$REPO_ROOT/deploy/nginx.conf" "$conf_dir/nginx.conf"
    nginx -t -q -c "$conf_dir/nginx.conf" -e "$LOG_DIR/nginx-error.log" \
        || die "nginx refuses $conf_dir/nginx.conf"
}

start_proxy() {
    write_nginx_conf
    if alive nginx; then
        nginx -c "$PROD_DIR/nginx/nginx.conf" -e "$LOG_DIR/nginx-error.log" -s reload
        return 0
    fi
    log "starting nginx on $(proxy_url)"
    nginx -c "$PROD_DIR/nginx/nginx.conf" -e "$LOG_DIR/nginx-error.log" \
        || die "nginx did not start (see $LOG_DIR/nginx-error.log)"
    wait_for "nginx" 30 proxy_up || die "nginx did not answer at $(proxy_url)"
}

# --- Commands -----------------------------------------------------------------

start_one() {
    case "$1" in
        es-[1-3]) start_es "${1#es-}"; wait_es "${1#es-}" ;;
        redis) start_redis ;;
        app-[1-9]) start_app "${1#app-}" ;;
        worker) start_worker ;;
        scheduler) start_scheduler ;;
        varnish) start_varnish ;;
        proxy|nginx) start_proxy ;;
        *) die "unknown process $1 (es-1..es-3, redis, app-1, app-2, worker, scheduler, varnish, proxy)" ;;
    esac
}

stop_one() {
    case "$1" in
        proxy|nginx)
            if alive nginx; then
                nginx -c "$PROD_DIR/nginx/nginx.conf" -e "$LOG_DIR/nginx-error.log" -s quit || true
                stop_pid nginx
            fi ;;
        es-[1-3]) stop_pid "$1"; rm -f "$PROD_DIR/$1/es.pid" ;;
        redis|varnish|app-[1-9]|worker|scheduler) stop_pid "$1" ;;
        *) die "unknown process $1" ;;
    esac
}

up() {
    local started_at=$SECONDS n pids=()
    install_packages
    write_env
    # The nodes start side by side (each `elasticsearch -d` returns once its
    # node runs), Redis meanwhile.
    for n in "${ES_NODES[@]}"; do
        start_es "$n" &
        pids+=($!)
    done
    for n in "${pids[@]}"; do
        wait "$n" || die "an Elasticsearch node did not start"
    done
    start_redis
    for n in "${ES_NODES[@]}"; do wait_es "$n"; done
    wait_for "the Elasticsearch cluster (${#ES_NODES[@]} nodes)" 120 es_cluster_ready 1 \
        || die "the Elasticsearch nodes did not form one cluster"
    setup_django
    for n in "${!APP_PORTS[@]}"; do start_app $((n + 1)); done
    start_worker
    start_scheduler
    start_varnish
    start_proxy
    status
    log "up in $((SECONDS - started_at)) s; the site: $(proxy_url)/ (admin: $(proxy_url)/admin/; environment: $ENV_FILE)"
}

down() {
    local n
    stop_one proxy
    stop_pid varnish
    stop_pid scheduler
    stop_pid worker
    for n in "${!APP_PORTS[@]}"; do stop_pid "app-$((n + 1))"; done
    stop_pid redis
    for n in "${ES_NODES[@]}"; do stop_one "es-$n"; done
}

status() {
    local bad=0 n port line
    report() { printf '%-10s %-8s %s\n' "$1" "$2" "$3"; }
    for n in "${ES_NODES[@]}"; do
        if es_node_up "$n"; then report "es-$n" up "$(es_url "$n")"; else report "es-$n" down ""; bad=1; fi
    done
    if redis_up; then report redis up "127.0.0.1:$REDIS_PORT"; else report redis down ""; bad=1; fi
    for n in "${!APP_PORTS[@]}"; do
        port="${APP_PORTS[$n]}"
        if app_up "$port"; then report "app-$((n + 1))" up "127.0.0.1:$port"; else report "app-$((n + 1))" down ""; bad=1; fi
    done
    for line in worker scheduler; do
        if alive "$line"; then report "$line" up "pid $(pid_of "$line")"; else report "$line" down ""; bad=1; fi
    done
    if varnish_up; then report varnish up "127.0.0.1:$VARNISH_PORT"; else report varnish down ""; bad=1; fi
    if proxy_up; then report proxy up "$(proxy_url)"; else report proxy down ""; bad=1; fi
    return "$bad"
}

# The fault tests (tests/production/) against the running topology, with its
# environment and database, from the development environment (pytest).
run_tests() {
    status >/dev/null || { status >&2; die "the topology is not up (scripts/production.sh up)"; }
    (
        set -a
        # shellcheck disable=SC1090
        . "$ENV_FILE"
        set +a
        cd "$REPO_ROOT"
        export KLYNGE_TOPOLOGY="$PROD_DIR/topology.json"
        # The tests' own process must not take the app user's home.
        export HOME="${ORIGINAL_HOME:-$HOME}"
        exec "$REPO_ROOT/.venv/bin/python" -m pytest tests/production \
            --ds=klyngeportal_site.settings.production -p no:cacheprovider "$@"
    )
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    start) [ -n "${2:-}" ] || die "usage: $0 start NAME"; write_env; start_one "$2" ;;
    stop) [ -n "${2:-}" ] || die "usage: $0 stop NAME"; stop_one "$2" ;;
    env) cat "$ENV_FILE" ;;
    test) shift; run_tests "$@" ;;
    *) die "usage: $0 up|down|status|start NAME|stop NAME|env|test [PYTEST ARGS]" ;;
esac
