#!/usr/bin/env bash
# Local PostgreSQL for the test suite (DESIGN.md §12-13): Debian's postgresql, no Docker, no systemd.
#
#   deploy/local/postgres.sh start    install if needed, initdb once, start (idempotent), wait until ready
#   deploy/local/postgres.sh env      print: export POSTGRES_CONNECTION="..."
#   deploy/local/postgres.sh status   exit 0 if our instance runs, 3 if not
#   deploy/local/postgres.sh stop     pg_ctl stop -m fast (idempotent)
#
# The server listens on 127.0.0.1:${GATEWAY_POSTGRES_PORT:-5433} only (never the default 5432, so
# Debian's own "main" cluster, if started, does not collide) and on a unix socket inside the
# state folder. Role gateway / gateway-dev (LOGIN CREATEDB) owns database gateway.
#
# The cluster (data/, run/ for the socket, log/) lives in <repo>/.local/postgres (ignored by git).
# It runs as the `postgres` user when this script runs as root. A checkout may sit where that
# user cannot reach it (CI clones into /root, mode 700), and a unix socket path must stay under
# 108 bytes: in either case the state goes to a per-checkout folder
#   /var/tmp/gateway-local-<first 12 hex of sha256(repo path)>/postgres
# and .local/postgres becomes a symlink to it. Run as a non-root user, the server runs as that user.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

readonly PORT="${GATEWAY_POSTGRES_PORT:-5433}"
readonly DB_USER="gateway"
readonly DB_PASSWORD="gateway-dev"
readonly DB_NAME="gateway"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_POSTGRES_READY_TIMEOUT:-60}"
LINK="$(lib_root)/.local/postgres"
readonly LINK

lib_check_port "$PORT"
lib_service_user postgres
BIN=""

# Sets BIN to the newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl.
find_bin() {
  local dir version best=-1
  BIN=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
    version="${dir#/usr/lib/postgresql/}"
    version="${version%%/*}"
    version="${version%%.*}"
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if ((version > best)); then best="$version"; BIN="$dir"; fi
  done
  [[ -n "$BIN" ]]
}

ensure_installed() {
  if ! find_bin; then
    lib_ensure_packages postgresql
    find_bin || lib_die "initdb/pg_ctl still missing under /usr/lib/postgresql/*/bin after installation"
  fi
  lib_require_service_user
}

# Creates the state folder with run/ (the socket) and log/; initdb makes data/. A unix socket path
# must stay under 108 bytes: a longer one moves the state to /var/tmp as well.
create_state() {
  local socket="$LINK/run/.s.PGSQL.$PORT" reason=""
  if ((${#socket} > 100)); then reason="the socket path $socket is too long for a unix socket"; fi
  lib_state_dir postgres --fallback-because "$reason" run log
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE/run" "$STATE/log"; fi
  chmod 700 "$STATE/run" "$STATE/log"
}

# as_service SECONDS TOOL ARGS...: runs a PostgreSQL tool as the service user, from inside the state
# folder, with a time limit.
as_service() { lib_service_run "$1" env LC_ALL=C.UTF-8 "$BIN/$2" "${@:3}"; }

is_running() {
  [[ -n "$STATE" && -f "$STATE/data/PG_VERSION" ]] || return 1
  as_service 30 pg_ctl -D "$STATE/data" status >/dev/null 2>&1
}

# Port the running server was started with (line 4 of postmaster.pid).
running_port() { sed -n '4p' "$STATE/data/postmaster.pid" 2>/dev/null || true; }

init_cluster() {
  [[ -f "$STATE/data/PG_VERSION" ]] && return 0
  lib_say "initdb into $STATE/data"
  rm -rf -- "$STATE/data"
  as_service 120 initdb -D "$STATE/data" -U "$SERVICE_USER" -E UTF8 --no-locale \
    --auth-local=peer --auth-host=scram-sha-256 >"$STATE/log/initdb.log" 2>&1 \
    || { lib_log_tail "$STATE/log/initdb.log"; lib_die "initdb failed"; }
  printf "\n# Added by deploy/local/postgres.sh\ninclude_if_exists = 'gateway-local.conf'\n" >>"$STATE/data/postgresql.conf"
}

write_config() {
  cat >"$STATE/data/gateway-local.conf" <<EOF
# Written by deploy/local/postgres.sh on every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$STATE/run'
unix_socket_permissions = 0700
max_connections = 200
# Test-only speed: this throwaway cluster does not survive an OS crash or power loss intact
# (no fsync, no full-page writes, asynchronous commit). Never copy these settings elsewhere.
fsync = off
full_page_writes = off
synchronous_commit = off
EOF
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE/data/gateway-local.conf"; fi
  chmod 600 "$STATE/data/gateway-local.conf"
}

# One check for lib_wait_until: the server accepts connections; gives up when it no longer runs.
accepts_connections() {
  local rc=0
  as_service 10 pg_isready -q -h 127.0.0.1 -p "$PORT" -d postgres || rc=$?
  ((rc != 0)) || return 0
  if ! is_running; then lib_give_up "the server is not running"; fi
  return "$rc"
}

wait_ready() {
  lib_wait_until "$READY_TIMEOUT_SECONDS" 0.5 "PostgreSQL to accept connections on 127.0.0.1:$PORT" accepts_connections && return 0
  lib_log_tail "$STATE/log/postgres.log"
  return 1
}

# Creates (or repairs) role and database; runs as the superuser over the unix socket (peer auth).
ensure_account() {
  as_service 60 psql -X -q -v ON_ERROR_STOP=1 -h "$STATE/run" -p "$PORT" -U "$SERVICE_USER" -d postgres >/dev/null <<SQL
SELECT format('CREATE ROLE %I LOGIN', '$DB_USER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') \\gexec
ALTER ROLE "$DB_USER" WITH LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$DB_NAME', '$DB_USER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_NAME') \\gexec
SQL
}

cmd_start() {
  ensure_installed
  lib_lock postgres 180
  create_state
  if is_running; then
    local running
    running="$(running_port)"
    [[ "$running" == "$PORT" ]] || lib_die "our instance already runs on port $running, not $PORT; run '$0 stop' first"
    lib_say "already running (port $PORT, state $STATE)"
    wait_ready || lib_die "our instance runs but does not accept connections; try: $0 stop && $0 start"
    ensure_account || lib_die "could not create role/database"
    lib_say "ready on 127.0.0.1:$PORT"
    return 0
  fi
  if lib_port_in_use "$PORT"; then lib_die "127.0.0.1:$PORT is already taken by another process; set GATEWAY_POSTGRES_PORT"; fi
  init_cluster
  write_config
  lib_say "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, state in $STATE"
  as_service 90 pg_ctl -D "$STATE/data" -l "$STATE/log/postgres.log" -w -t 60 start >/dev/null 2>&1 \
    || { lib_log_tail "$STATE/log/postgres.log"; lib_die "pg_ctl start failed"; }
  wait_ready || lib_die "PostgreSQL did not start"
  ensure_account || lib_die "could not create role/database"
  lib_say "ready on 127.0.0.1:$PORT"
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then lib_say "not running (no state in $LINK)"; return 0; fi
  ensure_installed
  lib_lock postgres 180
  lib_state_path postgres
  if ! is_running; then lib_say "not running"; return 0; fi
  lib_say "stopping (pg_ctl stop -m fast)"
  if ! as_service 90 pg_ctl -D "$STATE/data" -m fast -w -t 60 stop >/dev/null 2>&1; then
    lib_say "fast shutdown failed; trying immediate"
    as_service 60 pg_ctl -D "$STATE/data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
      || { lib_log_tail "$STATE/log/postgres.log"; lib_die "could not stop PostgreSQL"; }
  fi
  lib_say "stopped"
}

cmd_status() {
  lib_state_path postgres
  if find_bin && is_running; then
    printf 'postgres: running (127.0.0.1:%s, state %s)\n' "$(running_port)" "$STATE"
    return 0
  fi
  printf 'postgres: not running\n'
  return 3
}

cmd_env() {
  lib_export POSTGRES_CONNECTION "Host=127.0.0.1;Port=$PORT;Username=$DB_USER;Password=$DB_PASSWORD;Database=$DB_NAME"
}

lib_main "start|stop|status|env" "$@"
