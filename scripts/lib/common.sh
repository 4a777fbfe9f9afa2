# Shared by scripts/*: installs what the project needs and starts a private PostgreSQL cluster.
# Source it; it defines functions only.

# Debian packages the build, the tests and the demo need. Installed only when missing.
# chromium, chromium-driver and python3-venv: the dashboard's browser test (Selenium in .venv/browser).
PROVISIONER_APT_PACKAGES=(libpq-dev libqrencode-dev zlib1g-dev postgresql zbar-tools librsvg2-bin openssl python3-yaml systemd wrk procps time curl
    chromium chromium-driver python3-venv)

log() { printf '==> %s\n' "$*" >&2; }

ensure_packages() {
    local missing=()
    for pkg in "${PROVISIONER_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    ensure_browser_python
}

# A Python with Selenium for the dashboard's browser test, in .venv/browser (gitignored), made only when missing.
# Exports PROVISIONER_BROWSER_PYTHON, which the test requires (it fails, never skips, without it).
ensure_browser_python() {
    local root venv
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    venv="$root/.venv/browser"
    if ! "$venv/bin/python" -c 'import selenium' >/dev/null 2>&1; then
        log "installing Selenium into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q selenium >&2
    fi
    export PROVISIONER_BROWSER_PYTHON="$venv/bin/python"
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$dir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
    echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root (initdb refuses root), else ourselves.
as_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pg_start DIR: initdb into DIR/data (if new) and start it on a free loopback port, sockets in DIR.
# Exports PGHOST PGPORT PGUSER PGDATABASE, PROVISIONER_PG_DIR and PROVISIONER_PG_CTL (for restart tests).
pg_start() {
    local dir=$1 bindir port
    bindir=$(pg_bindir)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    port=$(free_port)
    as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    export PROVISIONER_PG_DIR=$dir
    export PROVISIONER_PG_CTL="$bindir/pg_ctl -D $dir/data -l $dir/server.log"
    log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $dir/data)"
}

pg_stop() {
    local dir=${1:-${PROVISIONER_PG_DIR:-}} bindir
    [ -n "$dir" ] && [ -f "$dir/data/postmaster.pid" ] || return 0
    bindir=$(pg_bindir)
    as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
