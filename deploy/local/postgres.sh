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

readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

readonly PORT="${GATEWAY_POSTGRES_PORT:-5433}"
readonly DB_USER="gateway"
readonly DB_PASSWORD="gateway-dev"
readonly DB_NAME="gateway"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_POSTGRES_READY_TIMEOUT:-60}"
readonly LINK="$REPO_ROOT/.local/postgres"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "invalid port '$PORT'"

if ((EUID == 0)); then SERVICE_USER="postgres"; else SERVICE_USER="$(id -un)"; fi
STATE=""
BIN=""

as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "'$*' needs root (run as root or give passwordless sudo)"
  fi
}

# Installs Debian packages non-interactively; refreshes the package index only when a package
# has no install candidate. A policy-rc.d that denies service starts is put in place for the
# duration (unless one exists already) so that Debian's "main" cluster does not get started.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* yourself"
  export DEBIAN_FRONTEND=noninteractive
  local package need_update=0
  for package in "$@"; do
    # (no "| grep -q" here: with pipefail an early grep exit makes apt-cache die of SIGPIPE)
    [[ "$(apt-cache policy "$package" 2>/dev/null)" == *"Candidate: "[0-9]* ]] || need_update=1
  done
  if ((need_update)); then
    log "apt-get update"
    as_root apt-get update -q </dev/null >&2
  fi
  local policy="/usr/sbin/policy-rc.d" added_policy=0 rc=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    added_policy=1
  fi
  log "apt-get install $*"
  as_root apt-get install -y -q --no-install-recommends "$@" </dev/null >&2 || rc=$?
  if ((added_policy)); then as_root rm -f "$policy"; fi
  ((rc == 0)) || die "apt-get install $* failed (exit $rc)"
}

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
    apt_install postgresql
    find_bin || die "initdb/pg_ctl still missing under /usr/lib/postgresql/*/bin after installation"
  fi
  if ((EUID == 0)); then
    getent passwd "$SERVICE_USER" >/dev/null || die "user '$SERVICE_USER' does not exist (the package normally creates it)"
  fi
}

fallback_dir() {
  local hash
  hash="$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
  printf '/var/tmp/gateway-local-%s/postgres' "$hash"
}

# /var/tmp is world-writable: the parent must be a real directory owned by us, never something
# another user planted there.
prepare_fallback() {
  local dir="$1" parent="${1%/*}"
  if [[ -e "$parent" || -L "$parent" ]]; then
    [[ -d "$parent" && ! -L "$parent" && "$(stat -c %u "$parent")" == "$EUID" ]] \
      || die "$parent exists but is not a directory owned by $(id -un); refusing to use it"
  else
    mkdir -m 755 "$parent"
  fi
  chmod 755 "$parent"
  mkdir -p "$dir"
}

service_can_write() {
  if ((EUID == 0)); then runuser -u "$SERVICE_USER" -- test -w "$1" -a -x "$1"; else test -w "$1" -a -x "$1"; fi
}

# Sets STATE to the state folder (creating it when $1 is "create").
resolve_state() {
  local mode="${1:-}" fallback reason=""
  fallback="$(fallback_dir)"
  if [[ "$mode" != "create" ]]; then
    if [[ -L "$LINK" ]]; then STATE="$(readlink -f "$LINK")"; else STATE="$LINK"; fi
    return 0
  fi
  mkdir -p "$REPO_ROOT/.local"
  if [[ -L "$LINK" ]]; then
    prepare_fallback "$fallback"
    ln -sfn "$fallback" "$LINK"
    STATE="$fallback"
  else
    mkdir -p "$LINK"
    if ((EUID == 0)); then chown "$SERVICE_USER:" "$LINK"; fi
    chmod 700 "$LINK"
    local socket="$LINK/run/.s.PGSQL.$PORT"
    if ! service_can_write "$LINK"; then
      reason="user '$SERVICE_USER' cannot reach $LINK"
    elif ((${#socket} > 100)); then
      reason="the socket path $socket is too long for a unix socket"
    fi
    if [[ -z "$reason" ]]; then
      STATE="$LINK"
    else
      log "$reason; keeping the state in $fallback (symlinked)"
      rm -rf -- "$LINK"
      prepare_fallback "$fallback"
      ln -s "$fallback" "$LINK"
      STATE="$fallback"
    fi
  fi
  mkdir -p "$STATE/run" "$STATE/log"
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE" "$STATE/run" "$STATE/log"; fi
  chmod 700 "$STATE" "$STATE/run" "$STATE/log"
}

# Runs a PostgreSQL tool (with a time limit) as the service user, from inside the state folder.
# 9>&- : the lock descriptor must not leak into the server, or the server would hold the lock.
as_service() {
  local seconds="$1" tool="$2"
  shift 2
  local cmd=(env LC_ALL=C.UTF-8 "$BIN/$tool" "$@")
  if ((EUID == 0)); then cmd=(runuser -u "$SERVICE_USER" -- "${cmd[@]}"); fi
  (cd "$STATE" && timeout "$seconds" "${cmd[@]}" 9>&-)
}

is_running() {
  [[ -n "$STATE" && -f "$STATE/data/PG_VERSION" ]] || return 1
  as_service 30 pg_ctl -D "$STATE/data" status >/dev/null 2>&1
}

# Port the running server was started with (line 4 of postmaster.pid).
running_port() { sed -n '4p' "$STATE/data/postmaster.pid" 2>/dev/null || true; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log_tail() {
  local file="$STATE/log/postgres.log"
  [[ -f "$file" ]] || return 0
  log "---- last lines of $file ----"
  tail -n 40 "$file" >&2
}

init_cluster() {
  [[ -f "$STATE/data/PG_VERSION" ]] && return 0
  log "initdb into $STATE/data"
  rm -rf -- "$STATE/data"
  as_service 120 initdb -D "$STATE/data" -U "$SERVICE_USER" -E UTF8 --no-locale \
    --auth-local=peer --auth-host=scram-sha-256 >"$STATE/log/initdb.log" 2>&1 \
    || { tail -n 40 "$STATE/log/initdb.log" >&2; die "initdb failed"; }
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

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until as_service 10 pg_isready -q -h 127.0.0.1 -p "$PORT" -d postgres; do
    if ! is_running; then log "the server is not running"; log_tail; return 1; fi
    if ((SECONDS >= deadline)); then log "not ready after ${READY_TIMEOUT_SECONDS}s"; log_tail; return 1; fi
    sleep 0.5
  done
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

lock() {
  mkdir -p "$REPO_ROOT/.local"
  exec 9>"$REPO_ROOT/.local/postgres.lock"
  flock -w 180 9 || die "another postgres.sh holds $REPO_ROOT/.local/postgres.lock"
}

cmd_start() {
  ensure_installed
  lock
  resolve_state create
  if is_running; then
    local running
    running="$(running_port)"
    [[ "$running" == "$PORT" ]] || die "our instance already runs on port $running, not $PORT; run '$0 stop' first"
    log "already running (port $PORT, state $STATE)"
    wait_ready || die "our instance runs but does not accept connections; try: $0 stop && $0 start"
    ensure_account || die "could not create role/database"
    log "ready on 127.0.0.1:$PORT"
    return 0
  fi
  if port_in_use "$PORT"; then die "127.0.0.1:$PORT is already taken by another process; set GATEWAY_POSTGRES_PORT"; fi
  init_cluster
  write_config
  log "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, state in $STATE"
  as_service 90 pg_ctl -D "$STATE/data" -l "$STATE/log/postgres.log" -w -t 60 start >/dev/null 2>&1 \
    || { log_tail; die "pg_ctl start failed"; }
  wait_ready || die "PostgreSQL did not start"
  ensure_account || die "could not create role/database"
  log "ready on 127.0.0.1:$PORT"
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then log "not running (no state in $LINK)"; return 0; fi
  ensure_installed
  lock
  resolve_state
  if ! is_running; then log "not running"; return 0; fi
  log "stopping (pg_ctl stop -m fast)"
  if ! as_service 90 pg_ctl -D "$STATE/data" -m fast -w -t 60 stop >/dev/null 2>&1; then
    log "fast shutdown failed; trying immediate"
    as_service 60 pg_ctl -D "$STATE/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || { log_tail; die "could not stop PostgreSQL"; }
  fi
  log "stopped"
}

cmd_status() {
  resolve_state
  if find_bin && is_running; then
    printf 'postgres: running (127.0.0.1:%s, state %s)\n' "$(running_port)" "$STATE"
    return 0
  fi
  printf 'postgres: not running\n'
  return 3
}

cmd_env() {
  printf 'export POSTGRES_CONNECTION="Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s"\n' \
    "$PORT" "$DB_USER" "$DB_PASSWORD" "$DB_NAME"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) printf 'usage: %s start|stop|status|env\n' "$0" >&2; exit 2 ;;
esac
