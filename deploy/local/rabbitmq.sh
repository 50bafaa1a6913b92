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
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

readonly PORT="${GATEWAY_RABBITMQ_PORT:-5673}"
readonly EPMD_PORT="${GATEWAY_RABBITMQ_EPMD_PORT:-4370}"
readonly NODE="${GATEWAY_RABBITMQ_NODENAME:-gateway-test@localhost}"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_RABBITMQ_READY_TIMEOUT:-60}"
LINK="$(lib_root)/.local/rabbitmq"
readonly LINK

lib_check_port "$PORT"
lib_check_port "$EPMD_PORT"
readonly DIST_PORT="${GATEWAY_RABBITMQ_DIST_PORT:-$((PORT + 20000))}"
lib_check_port "$DIST_PORT" "distribution port"
lib_service_user rabbitmq

# Our node for the lib_rmq_* functions: NODE DIR DIST (DIR is the state folder itself).
as_service() { lib_rmq_run "$1" "$NODE" "$STATE" "$DIST_PORT" "${@:2}"; }
our_pid() { lib_rmq_pid "$NODE" "$STATE"; }
wait_ready() { lib_rmq_wait_booted "$READY_TIMEOUT_SECONDS" "$NODE" "$STATE" "$DIST_PORT"; }
ensure_account() { lib_rmq_ensure_account "$NODE" "$STATE" "$DIST_PORT"; }

cmd_start() {
  lib_rmq_ensure_installed
  lib_lock rabbitmq 180
  lib_state_dir rabbitmq home mnesia log
  local pid
  if pid="$(our_pid)"; then
    lib_say "already running (pid $pid, node $NODE, state $STATE)"
    wait_ready || lib_die "our instance (pid $pid) runs but does not become ready; try: $0 stop && $0 start"
    ensure_account
    lib_say "ready on 127.0.0.1:$PORT"
    return 0
  fi
  if lib_port_in_use "$PORT"; then lib_die "127.0.0.1:$PORT is already taken by another process; set GATEWAY_RABBITMQ_PORT"; fi
  if lib_port_in_use "$DIST_PORT"; then lib_die "127.0.0.1:$DIST_PORT (distribution) is already taken; set GATEWAY_RABBITMQ_DIST_PORT"; fi
  lib_rmq_write_config "$STATE" "$PORT"
  rm -f "$STATE/rabbitmq.pid"
  lib_say "starting node $NODE on 127.0.0.1:$PORT (epmd $EPMD_PORT, distribution $DIST_PORT), state in $STATE"
  as_service 60 rabbitmq-server -detached >/dev/null 2>&1 || { lib_log_tail "$STATE"/log/*.log; lib_die "rabbitmq-server -detached failed"; }
  wait_ready || lib_die "RabbitMQ did not start"
  ensure_account
  lib_say "ready on 127.0.0.1:$PORT (pid $(our_pid || echo '?'))"
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then lib_say "not running (no state in $LINK)"; lib_rmq_stop_epmd; return 0; fi
  lib_rmq_ensure_installed
  lib_lock rabbitmq 180
  lib_state_path rabbitmq
  local pid
  if ! pid="$(our_pid)"; then
    lib_say "not running"
    lib_rmq_stop_epmd
    return 0
  fi
  lib_rmq_stop "$NODE" "$STATE" "$DIST_PORT" "$pid"
  lib_rmq_stop_epmd
  lib_say "stopped"
}

cmd_status() {
  lib_state_path rabbitmq
  local pid
  if pid="$(our_pid)"; then
    printf 'rabbitmq: running (pid %s, node %s, amqp 127.0.0.1:%s, state %s)\n' "$pid" "$NODE" "$PORT" "$STATE"
    return 0
  fi
  printf 'rabbitmq: not running\n'
  return 3
}

cmd_env() { lib_export RABBITMQ_URI "amqp://$LIB_RMQ_USER:$LIB_RMQ_PASSWORD@127.0.0.1:$PORT/"; }

lib_main "start|stop|status|env" "$@"
