#!/usr/bin/env bash
# Start (idempotently) a single-node Elasticsearch on 127.0.0.1 for development
# and CI: the core-only test distribution from Maven Central, run on the
# machine's JDK, with the Danish Hunspell dictionary from Debian's hunspell-da.
#
#   scripts/elasticsearch.sh [start|stop|status|install]
#
# `install` fetches and configures the distribution without starting it
# (scripts/production.sh runs its own nodes from it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
ES_DATA="$VAR_DIR/elasticsearch"
ES_URL="http://127.0.0.1:$ES_PORT"
# Elasticsearch refuses to run as root; on machines where we are root, it
# runs as this system user.
ES_USER="${ES_USER:-klynge-es}"

es_up() { curl -fsS "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s"; }

fetch() {
    [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
    command -v mvn >/dev/null || die "Maven (mvn) is required to fetch Elasticsearch"
    mkdir -p "$CACHE_DIR"
    log "fetching $ES_ARTIFACT with Maven"
    if ! mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$CACHE_DIR" -Dmdep.overWriteIfNewer=true; then
        die "Maven could not fetch $ES_ARTIFACT"
    fi
    apt_install unzip
    rm -rf "$ES_HOME.tmp" && mkdir -p "$ES_HOME.tmp"
    unzip -q "$CACHE_DIR/elasticsearch-$ES_VERSION.zip" -d "$ES_HOME.tmp"
    mv "$ES_HOME.tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$ES_HOME.tmp"
}

configure() {
    apt_install hunspell-da
    # The Danish analysis (search/analysis.py) uses the `hunspell` token filter
    # with locale da_DK, read from config/hunspell/da_DK/ on every node.
    mkdir -p "$ES_HOME/config/hunspell/da_DK"
    cp /usr/share/hunspell/da_DK.aff /usr/share/hunspell/da_DK.dic "$ES_HOME/config/hunspell/da_DK/"
    cat >"$ES_HOME/config/elasticsearch.yml" <<YML
cluster.name: klyngeportal
node.name: klyngeportal-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
path.data: $ES_DATA/data
path.logs: $ES_DATA/logs
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
YML
    mkdir -p "$ES_DATA/data" "$ES_DATA/logs"
    if [ "$(id -u)" -eq 0 ]; then
        id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
        chown -R "$ES_USER" "$ES_HOME" "$ES_DATA"
    fi
}

java_home() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
    command -v java >/dev/null || die "a JDK (java) is required to run Elasticsearch"
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

start() {
    if es_up >/dev/null 2>&1; then
        log "Elasticsearch already running at $ES_URL"
    else
        apt_install curl
        fetch
        configure
        log "starting Elasticsearch $ES_VERSION on $ES_URL (heap $ES_HEAP)"
        local run=(env ES_JAVA_HOME="$(java_home)" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP"
            "$ES_HOME/bin/elasticsearch" -d -p "$ES_DATA/elasticsearch.pid")
        if [ "$(id -u)" -eq 0 ]; then
            # The node must be able to traverse to its files.
            runuser -u "$ES_USER" -- "${run[@]}" >"$ES_DATA/logs/stdout.log" 2>&1 \
                || { tail -n 40 "$ES_DATA/logs/stdout.log" >&2; die "Elasticsearch did not start"; }
        else
            "${run[@]}" >"$ES_DATA/logs/stdout.log" 2>&1 \
                || { tail -n 40 "$ES_DATA/logs/stdout.log" >&2; die "Elasticsearch did not start"; }
        fi
        if ! wait_for "Elasticsearch" 120 es_up; then
            tail -n 40 "$ES_DATA/logs/klyngeportal.log" >&2 || true
            die "Elasticsearch did not answer at $ES_URL within 120 s"
        fi
    fi
    local version
    # The test distribution has no rest-root module, so `GET /` is not there.
    version="$(curl -fsS "$ES_URL/_cat/nodes?h=version" | head -n 1)"
    log "Elasticsearch $version running at $ES_URL"
}

stop() {
    if [ -f "$ES_DATA/elasticsearch.pid" ]; then
        kill "$(cat "$ES_DATA/elasticsearch.pid")" 2>/dev/null || true
        rm -f "$ES_DATA/elasticsearch.pid"
        log "Elasticsearch stopped"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) es_up && echo ;;
    install) apt_install curl; fetch; configure ;;
    *) die "usage: $0 [start|stop|status|install]" ;;
esac
