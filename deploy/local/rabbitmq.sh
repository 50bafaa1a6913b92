#!/usr/bin/env bash
# Local RabbitMQ for the test suite (DESIGN.md §12-13): Debian's rabbitmq-server, no Docker, no systemd.
#
#   deploy/local/rabbitmq.sh start    install if needed, start (idempotent), wait until ready
#   deploy/local/rabbitmq.sh env      print: export RABBITMQ_URI=...
#   deploy/local/rabbitmq.sh status   exit 0 if our instance runs, 3 if not
#   deploy/local/rabbitmq.sh stop     stop our instance (idempotent)
#
# The broker listens on loopback only, on non-default ports, so it never collides with a
# system-wide instance (5672/4369/25672, node rabbit@host, cookie in /var/lib/rabbitmq):
#   AMQP         127.0.0.1:${GATEWAY_RABBITMQ_PORT:-5673}
#   epmd         127.0.0.1:${GATEWAY_RABBITMQ_EPMD_PORT:-4370} (an epmd of its own)
#   distribution 127.0.0.1:${GATEWAY_RABBITMQ_DIST_PORT:-AMQP port + 20000}
#   node         ${GATEWAY_RABBITMQ_NODENAME:-gateway-test@localhost}
#   user         gateway / gateway-dev, vhost "/", full permissions; no guest user.
#
# All state (mnesia, logs, config, enabled plugins file, pid file, HOME with the Erlang cookie)
# lives in <repo>/.local/rabbitmq (ignored by git). The broker runs as the `rabbitmq` user when
# this script runs as root. A checkout may sit where that user cannot reach it (CI clones into
# /root, mode 700): then the state goes to a per-checkout folder
#   /var/tmp/gateway-local-<first 12 hex of sha256(repo path)>/rabbitmq
# and .local/rabbitmq becomes a symlink to it. Run as a non-root user, the broker runs as that
# user and the state always stays in the checkout.
set -euo pipefail

readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

readonly PORT="${GATEWAY_RABBITMQ_PORT:-5673}"
readonly EPMD_PORT="${GATEWAY_RABBITMQ_EPMD_PORT:-4370}"
readonly NODE="${GATEWAY_RABBITMQ_NODENAME:-gateway-test@localhost}"
readonly AMQP_USER="gateway"
readonly AMQP_PASSWORD="gateway-dev"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_RABBITMQ_READY_TIMEOUT:-60}"
readonly RMQ_BIN="/usr/lib/rabbitmq/bin"
readonly LINK="$REPO_ROOT/.local/rabbitmq"

log() { printf 'rabbitmq.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for value in "$PORT" "$EPMD_PORT"; do
  [[ "$value" =~ ^[0-9]+$ ]] && ((value > 0 && value < 65536)) || die "invalid port '$value'"
done
readonly DIST_PORT="${GATEWAY_RABBITMQ_DIST_PORT:-$((PORT + 20000))}"
[[ "$DIST_PORT" =~ ^[0-9]+$ ]] && ((DIST_PORT > 0 && DIST_PORT < 65536)) || die "invalid distribution port '$DIST_PORT'"

if ((EUID == 0)); then SERVICE_USER="rabbitmq"; else SERVICE_USER="$(id -un)"; fi
STATE=""

as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "'$*' needs root (run as root or give passwordless sudo)"
  fi
}

# Installs Debian packages non-interactively; refreshes the package index only when a package
# has no install candidate. A policy-rc.d that denies service starts is put in place for the
# duration (unless one exists already) so that no system-wide instance gets started.
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

ensure_installed() {
  if [[ ! -x "$RMQ_BIN/rabbitmq-server" || ! -x "$RMQ_BIN/rabbitmqctl" ]]; then
    apt_install rabbitmq-server
    [[ -x "$RMQ_BIN/rabbitmq-server" ]] || die "rabbitmq-server is still missing in $RMQ_BIN after installation"
  fi
  if ((EUID == 0)); then
    getent passwd "$SERVICE_USER" >/dev/null || die "user '$SERVICE_USER' does not exist (the package normally creates it)"
  fi
}

# The per-checkout fallback folder under /var/tmp (world-writable): its parent must be a real
# directory owned by us, never something another user planted there.
fallback_dir() {
  local hash
  hash="$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
  printf '/var/tmp/gateway-local-%s/rabbitmq' "$hash"
}

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
  local mode="${1:-}" fallback
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
    if service_can_write "$LINK"; then
      STATE="$LINK"
    else
      log "user '$SERVICE_USER' cannot reach $LINK; keeping the state in $fallback (symlinked)"
      rm -rf -- "$LINK"
      prepare_fallback "$fallback"
      ln -s "$fallback" "$LINK"
      STATE="$fallback"
    fi
  fi
  mkdir -p "$STATE/home" "$STATE/mnesia" "$STATE/log"
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE"; fi
  chmod 700 "$STATE"
}

rmq_env() {
  RMQ_ENV=(
    "HOME=$STATE/home"
    "LANG=C.UTF-8"
    "LC_ALL=C.UTF-8"
    "RABBITMQ_NODENAME=$NODE"
    "RABBITMQ_MNESIA_BASE=$STATE/mnesia"
    "RABBITMQ_LOG_BASE=$STATE/log"
    "RABBITMQ_CONFIG_FILE=$STATE/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$STATE/advanced.config"
    "RABBITMQ_CONF_ENV_FILE=$STATE/rabbitmq-env.conf"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$STATE/enabled_plugins"
    "RABBITMQ_PID_FILE=$STATE/rabbitmq.pid"
    "RABBITMQ_DIST_PORT=$DIST_PORT"
    "ERL_EPMD_PORT=$EPMD_PORT"
    "ERL_EPMD_ADDRESS=127.0.0.1"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

# Runs a RabbitMQ tool (with a time limit) as the service user with our environment, from inside
# the state folder.
as_service() {
  local seconds="$1" tool="$2"
  shift 2
  rmq_env
  local cmd=(env "${RMQ_ENV[@]}" "$RMQ_BIN/$tool" "$@")
  if ((EUID == 0)); then cmd=(runuser -u "$SERVICE_USER" -- "${cmd[@]}"); fi
  # 9>&- : the lock descriptor must not leak into the detached broker, or it would hold the lock.
  (cd "$STATE" && timeout "$seconds" "${cmd[@]}" 9>&-)
}

ctl() { as_service 60 rabbitmqctl "$@"; }

# Pid of our broker (from our pid file), if it is alive and really a beam process.
our_pid() {
  local pid_file="$STATE/rabbitmq.pid" pid
  [[ -n "$STATE" && -r "$pid_file" ]] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *beam* ]] || return 1
  printf '%s\n' "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  cat >"$STATE/rabbitmq.conf" <<EOF
# Written by deploy/local/rabbitmq.sh on every start; edits are lost.
listeners.tcp.default = 127.0.0.1:$PORT
# Created on first boot only (instead of guest).
default_user = $AMQP_USER
default_pass = $AMQP_PASSWORD
default_vhost = /
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info
EOF
  printf '[].\n' >"$STATE/enabled_plugins"
  : >"$STATE/rabbitmq-env.conf"
  local cookie="$STATE/home/.erlang.cookie"
  if [[ ! -s "$cookie" ]]; then
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -dc '0-9a-f' >"$cookie")
  fi
  chmod 400 "$cookie"
  if ((EUID == 0)); then chown -R "$SERVICE_USER:" "$STATE"; fi
}

log_tail() {
  local file
  for file in "$STATE"/log/*.log; do
    [[ -f "$file" ]] || continue
    log "---- last lines of $file ----"
    tail -n 40 "$file" >&2
  done
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) rc seen_pid=0
  while :; do
    rc=0
    as_service 30 rabbitmqctl -q await_startup --timeout 25 >/dev/null 2>&1 || rc=$?
    ((rc == 0)) && return 0
    if our_pid >/dev/null; then seen_pid=1
    elif ((seen_pid)); then
      log "the broker exited during startup"; log_tail; return 1
    fi
    if ((SECONDS >= deadline)); then
      log "not ready after ${READY_TIMEOUT_SECONDS}s (last rabbitmqctl await_startup exit code $rc)"; log_tail; return 1
    fi
    sleep 1
  done
}

# default_user only applies to a fresh database; repair the account if an older state lacks it.
ensure_account() {
  if ctl -q authenticate_user "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null 2>&1; then return 0; fi
  log "creating user '$AMQP_USER'"
  ctl -q add_user "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null 2>&1 || ctl -q change_password "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null
  ctl -q set_user_tags "$AMQP_USER" administrator >/dev/null
  ctl -q set_permissions -p / "$AMQP_USER" '.*' '.*' '.*' >/dev/null
}

lock() {
  mkdir -p "$REPO_ROOT/.local"
  exec 9>"$REPO_ROOT/.local/rabbitmq.lock"
  flock -w 180 9 || die "another rabbitmq.sh holds $REPO_ROOT/.local/rabbitmq.lock"
}

cmd_start() {
  ensure_installed
  lock
  resolve_state create
  local pid
  if pid="$(our_pid)"; then
    log "already running (pid $pid, node $NODE, state $STATE)"
    wait_ready || die "our instance (pid $pid) runs but does not become ready; try: $0 stop && $0 start"
    ensure_account
    log "ready on 127.0.0.1:$PORT"
    return 0
  fi
  if port_in_use "$PORT"; then die "127.0.0.1:$PORT is already taken by another process; set GATEWAY_RABBITMQ_PORT"; fi
  if port_in_use "$DIST_PORT"; then die "127.0.0.1:$DIST_PORT (distribution) is already taken; set GATEWAY_RABBITMQ_DIST_PORT"; fi
  write_config
  rm -f "$STATE/rabbitmq.pid"
  log "starting node $NODE on 127.0.0.1:$PORT (epmd $EPMD_PORT, distribution $DIST_PORT), state in $STATE"
  as_service 60 rabbitmq-server -detached >/dev/null 2>&1 || { log_tail; die "rabbitmq-server -detached failed"; }
  wait_ready || die "RabbitMQ did not start"
  ensure_account
  log "ready on 127.0.0.1:$PORT (pid $(our_pid || echo '?'))"
}

# Our epmd (on our port) is stopped once no node is registered with it any more.
stop_epmd() {
  local epmd
  epmd="$(command -v epmd 2>/dev/null || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | tail -n 1 || true)"
  [[ -n "$epmd" && -x "$epmd" ]] || return 0
  local names
  names="$(ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -names 2>/dev/null)" || return 0
  if ! grep -q '^name ' <<<"$names"; then
    ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -kill >/dev/null 2>&1 || true
  fi
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then log "not running (no state in $LINK)"; stop_epmd; return 0; fi
  ensure_installed
  lock
  resolve_state
  local pid
  if ! pid="$(our_pid)"; then
    log "not running"
    stop_epmd
    return 0
  fi
  log "stopping node $NODE (pid $pid)"
  as_service 90 rabbitmqctl -q stop "$STATE/rabbitmq.pid" >/dev/null 2>&1 || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    log "rabbitmqctl stop did not end pid $pid; sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do sleep 0.5; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$STATE/rabbitmq.pid"
  stop_epmd
  log "stopped"
}

cmd_status() {
  resolve_state
  local pid
  if pid="$(our_pid)"; then
    printf 'rabbitmq: running (pid %s, node %s, amqp 127.0.0.1:%s, state %s)\n' "$pid" "$NODE" "$PORT" "$STATE"
    return 0
  fi
  printf 'rabbitmq: not running\n'
  return 3
}

cmd_env() {
  printf 'export RABBITMQ_URI=amqp://%s:%s@127.0.0.1:%s/\n' "$AMQP_USER" "$AMQP_PASSWORD" "$PORT"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) printf 'usage: %s start|stop|status|env\n' "$0" >&2; exit 2 ;;
esac
