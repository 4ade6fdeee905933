#!/usr/bin/env bash
# The apps on a stranger's site: build the wheel and sdist, make a clean
# virtualenv, install the wheel into it (its dependencies pinned by uv.lock),
# create a fresh site with `wagtail start`, apply the README's installation
# steps to it exactly as written (scripts/plugin_smoke.py reads them from
# README.md), migrate, and then, over HTTP through the admin: the superuser
# creates the cluster index and a cluster and three users in the groups
# these bring (editor, secretariat, approver); the editor creates a meeting
# with its agenda and the minutes and sends them to sign-off; the
# secretariat reviews, the cluster's approver signs off (neither may publish
# by themselves); the minutes are then on the public page and in the public
# search (database engine), and were in neither before.
#
#   scripts/plugin_smoke.sh            # from a checkout; a CI stage
#   KEEP_SMOKE=1 scripts/plugin_smoke.sh   # keep the work folder
#
# Needs python3 (3.11) and uv (from the PATH, or .cache/uv as `make install`
# puts it there); reaches only PyPI. Fails at the first step that fails,
# saying which; the whole run is bounded by SMOKE_TIMEOUT seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
uv="${UV:-$(command -v uv || echo "$root/.cache/uv/bin/uv")}"
[ -x "$uv" ] || { echo "plugin smoke: uv not found (run make install)" >&2; exit 1; }
export UV_PYTHON_DOWNLOADS=never
python="${PYTHON:-python3}"
# A port nobody listens on (other servers may run on this machine).
port="${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
deadline=$((SECONDS + ${SMOKE_TIMEOUT:-600}))

work="$(mktemp -d "${TMPDIR:-/tmp}/klyngeportal-smoke.XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "${KEEP_SMOKE:-}" ]; then
        echo "plugin smoke: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

step() { printf -- '--- %s (%ss)\n' "$*" "$SECONDS"; }
fail() {
    echo "plugin smoke: FAILED: $*" >&2
    exit 1
}
# Run a step with its output in a log, shown only when it fails.
run() {
    local name="$1" left=$((deadline - SECONDS))
    shift
    [ "$left" -gt 0 ] || fail "out of time before: $name"
    if ! timeout "$left" "$@" >"$work/$name.log" 2>&1; then
        tail -n 60 "$work/$name.log" >&2
        fail "$name"
    fi
}

step "Build the wheel and the sdist"
run build "$uv" build --out-dir "$work/dist" "$root"
python3 scripts/plugin_smoke.py check-dist "$work/dist"

step "A clean virtualenv with the wheel (dependencies pinned by uv.lock)"
run export "$uv" export --frozen --all-groups --no-emit-project --no-hashes \
    --output-file "$work/constraints.txt"
run venv "$uv" venv --python "$python" "$work/venv"
run install "$uv" pip install --python "$work/venv/bin/python" \
    --constraint "$work/constraints.txt" "$work"/dist/klyngeportal-*.whl
"$work/venv/bin/python" -c "import klynge_pages, klynge_search" \
    || fail "the installed wheel does not import"

step "A fresh site: wagtail start"
mkdir "$work/site"
run wagtail-start "$work/venv/bin/wagtail" start smokesite "$work/site"
site="$work/site"
[ -d "$site/search" ] || fail "wagtail start made no app 'search' (the clash this proves absent)"

step "The README's installation steps"
python3 scripts/plugin_smoke.py apply-readme README.md \
    "$site/smokesite/settings/base.py" "$site/smokesite/urls.py"

# manage.py of the fresh site, with nothing of this repository's environment.
manage="$work/manage"
cat >"$manage" <<SCRIPT
#!/bin/sh
cd "$site" && exec env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL -u ELASTICSEARCH_URL \\
    "$work/venv/bin/python" manage.py "\$@"
SCRIPT
chmod +x "$manage"

step "migrate, check"
run migrate "$manage" migrate --noinput
run check "$manage" check --fail-level WARNING
run superuser env DJANGO_SUPERUSER_PASSWORD=smoke-admin-2026 \
    DJANGO_SUPERUSER_EMAIL=admin@example.invalid \
    "$manage" createsuperuser --noinput --username smoke-admin

step "Serve the site on 127.0.0.1:$port"
"$manage" runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/admin/login/" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server did not start"; }
    sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/admin/login/" \
    || { cat "$work/server.log" >&2; fail "the server does not answer"; }
kill -0 "$server_pid" 2>/dev/null \
    || { cat "$work/server.log" >&2; fail "another server answers on port $port"; }

step "Through the admin over HTTP: cluster, meeting, minutes, sign-off, public page, search"
left=$((deadline - SECONDS))
if ! timeout "$left" python3 scripts/plugin_smoke.py journey \
    "http://127.0.0.1:$port" smoke-admin smoke-admin-2026; then
    echo "--- server log" >&2
    tail -n 80 "$work/server.log" >&2
    fail "the journey through the admin"
fi

step "Done: the wheel works on a fresh wagtail start site"
