#!/usr/bin/env bash
# Local three-node RabbitMQ cluster for failover tests (DESIGN.md §12-13): Debian's rabbitmq-server,
# no Docker, no systemd. It lives next to the single node of rabbitmq.sh (AMQP 5673) and never
# touches that node; the two only share epmd.
#
#   deploy/local/rabbitmq-cluster.sh start          install if needed, start the three nodes, cluster
#                                                   them, wait until all run (idempotent)
#   deploy/local/rabbitmq-cluster.sh stop           stop all three nodes (idempotent)
#   deploy/local/rabbitmq-cluster.sh status         one line per node; exit 0 if all three run
#                                                   clustered, 3 if not
#   deploy/local/rabbitmq-cluster.sh env            print: export RABBITMQ_URI=... RABBITMQ_CLUSTER_NODES=...
#   deploy/local/rabbitmq-cluster.sh kill-node N    kill -9 the Erlang VM of node N (1..3)
#   deploy/local/rabbitmq-cluster.sh start-node N   start node N again, wait until it has rejoined
#                                                   (needs another node running; else use start)
#
# `start` also (re)starts whichever nodes are down, so after kill-node it works like start-node.
# A status line says "running, clustered (3/3 members running)", "running, sees 2/3 members
# running", "down (crashed or killed)" (pid file left behind) or "stopped".
#
# Node i (1..3), all on loopback only:
#   name          ${GATEWAY_RABBITMQ_CLUSTER_NAME_PREFIX:-gwc}i@localhost       gwc1@localhost ...
#   AMQP          127.0.0.1:(${GATEWAY_RABBITMQ_CLUSTER_BASE_PORT:-5680} + i)    5681, 5682, 5683
#   distribution  127.0.0.1:(AMQP port + 20000)                                 25681, 25682, 25683
#   epmd          127.0.0.1:${GATEWAY_RABBITMQ_EPMD_PORT:-4370}, the same epmd as rabbitmq.sh's node
#   user          gateway / gateway-dev, vhost "/", full permissions; no guest user (as rabbitmq.sh).
# Default queue type stays classic; quorum queues (x-queue-type=quorum) get 3 replicas
# (RabbitMQ's default quorum_cluster_size is 3).
#
# State: <repo>/.local/rabbitmq-cluster/ holds home/ (HOME, with the Erlang cookie all three nodes
# and rabbitmqctl share) and one folder per node (gwc1/ ...) with its mnesia, logs, config, enabled
# plugins file and pid file. As in rabbitmq.sh: when run as root the nodes run as the `rabbitmq`
# user, and when that user cannot reach the checkout (CI clones into /root, mode 700) the state goes
# to /var/tmp/gateway-local-<first 12 hex of sha256(repo path)>/rabbitmq-cluster, symlinked from
# .local/rabbitmq-cluster.
set -euo pipefail

readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

readonly NODE_COUNT=3
readonly BASE_PORT="${GATEWAY_RABBITMQ_CLUSTER_BASE_PORT:-5680}"
readonly EPMD_PORT="${GATEWAY_RABBITMQ_EPMD_PORT:-4370}"
readonly NAME_PREFIX="${GATEWAY_RABBITMQ_CLUSTER_NAME_PREFIX:-gwc}"
# Short node names (-sname) on "localhost": resolves to 127.0.0.1 everywhere, unlike the host name.
readonly NODE_HOST="localhost"
readonly AMQP_USER="gateway"
readonly AMQP_PASSWORD="gateway-dev"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_RABBITMQ_CLUSTER_READY_TIMEOUT:-120}"
readonly RMQ_BIN="/usr/lib/rabbitmq/bin"
readonly LINK="$REPO_ROOT/.local/rabbitmq-cluster"
readonly LOCK_FILE="$REPO_ROOT/.local/rabbitmq-cluster.lock"

log() { printf 'rabbitmq-cluster.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for value in "$BASE_PORT" "$EPMD_PORT"; do
  [[ "$value" =~ ^[0-9]+$ ]] && ((value > 0 && value < 65536)) || die "invalid port '$value'"
done
((BASE_PORT + NODE_COUNT + 20000 < 65536)) || die "GATEWAY_RABBITMQ_CLUSTER_BASE_PORT $BASE_PORT is too high (distribution ports are AMQP + 20000)"
[[ "$NAME_PREFIX" =~ ^[a-z][a-z0-9_-]*$ ]] || die "invalid node name prefix '$NAME_PREFIX'"

if ((EUID == 0)); then SERVICE_USER="rabbitmq"; else SERVICE_USER="$(id -un)"; fi
STATE=""

# ---------------------------------------------------------------------------------------------
# Node naming and layout
# ---------------------------------------------------------------------------------------------

node_short() { printf '%s%s' "$NAME_PREFIX" "$1"; }
node_name() { printf '%s%s@%s' "$NAME_PREFIX" "$1" "$NODE_HOST"; }
amqp_port() { printf '%s' "$((BASE_PORT + $1))"; }
dist_port() { printf '%s' "$((BASE_PORT + $1 + 20000))"; }
node_dir() { printf '%s/%s' "$STATE" "$(node_short "$1")"; }
all_nodes() { seq 1 "$NODE_COUNT"; }

valid_index() { [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] && (($1 <= NODE_COUNT)); }

# ---------------------------------------------------------------------------------------------
# Installation (same approach as rabbitmq.sh)
# ---------------------------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------------------------
# State folder (same fallback logic as rabbitmq.sh)
# ---------------------------------------------------------------------------------------------

# The per-checkout fallback folder under /var/tmp (world-writable): its parent must be a real
# directory owned by us, never something another user planted there. The parent is shared with
# rabbitmq.sh's fallback (same hash), which applies the same checks.
fallback_dir() {
  local hash
  hash="$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
  printf '/var/tmp/gateway-local-%s/rabbitmq-cluster' "$hash"
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

# Sets STATE to the state folder (creating it and the per-node folders when $1 is "create").
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
  local i
  mkdir -p "$STATE/home"
  for i in $(all_nodes); do mkdir -p "$(node_dir "$i")/mnesia" "$(node_dir "$i")/log"; done
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE"; fi
  chmod 700 "$STATE"
}

# ---------------------------------------------------------------------------------------------
# Running RabbitMQ tools as the service user, per node
# ---------------------------------------------------------------------------------------------

# Environment of node $1, for rabbitmq-server and for the CLI tools alike: the CLI needs the same
# node name, epmd port and HOME (cookie) to reach the node.
node_env() {
  local i="$1" dir
  dir="$(node_dir "$i")"
  RMQ_ENV=(
    "HOME=$STATE/home"
    "LANG=C.UTF-8"
    "LC_ALL=C.UTF-8"
    "RABBITMQ_NODENAME=$(node_name "$i")"
    "RABBITMQ_MNESIA_BASE=$dir/mnesia"
    "RABBITMQ_LOG_BASE=$dir/log"
    "RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config"
    "RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins"
    "RABBITMQ_PID_FILE=$dir/rabbitmq.pid"
    "RABBITMQ_DIST_PORT=$(dist_port "$i")"
    "ERL_EPMD_PORT=$EPMD_PORT"
    "ERL_EPMD_ADDRESS=127.0.0.1"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

# as_node I SECONDS TOOL ARGS...: runs a RabbitMQ tool for node I (with a time limit) as the service
# user, from inside the state folder.
as_node() {
  local i="$1" seconds="$2" tool="$3"
  shift 3
  node_env "$i"
  local cmd=(env "${RMQ_ENV[@]}" "$RMQ_BIN/$tool" "$@")
  if ((EUID == 0)); then cmd=(runuser -u "$SERVICE_USER" -- "${cmd[@]}"); fi
  # 9>&- : the lock descriptor must not leak into a detached node, or it would hold the lock.
  (cd "$STATE" && timeout "$seconds" "${cmd[@]}" 9>&-)
}

# ctl I ARGS...: rabbitmqctl against node I.
ctl() { local i="$1"; shift; as_node "$i" 60 rabbitmqctl "$@"; }

# Pid of node I (from its pid file), if it is alive and really that node's beam process: the pid
# file stays behind after kill -9 and its pid may be reused. RabbitMQ 3.10 does not put the node
# name on the beam command line (it names the node at boot from RABBITMQ_NODENAME), so the
# process environment identifies the node.
node_pid() {
  local i="$1" pid_file pid cmdline environ
  [[ -n "$STATE" ]] || return 1
  pid_file="$(node_dir "$i")/rabbitmq.pid"
  [[ -r "$pid_file" ]] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *beam* ]] || return 1
  environ="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null)" || return 1
  [[ $'\n'"$environ"$'\n' == *$'\n'"RABBITMQ_NODENAME=$(node_name "$i")"$'\n'* ]] || return 1
  printf '%s\n' "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# RSS of a process in MiB (for status and the start summary).
rss_mib() { ps -o rss= -p "$1" 2>/dev/null | awk '{ printf "%d", $1 / 1024 }'; }

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------

# The cookie is shared by all three nodes and the CLI through the common HOME.
ensure_cookie() {
  local cookie="$STATE/home/.erlang.cookie"
  if [[ ! -s "$cookie" ]]; then
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -dc '0-9a-f' >"$cookie")
  fi
  chmod 400 "$cookie"
}

write_config() {
  local i="$1" dir
  dir="$(node_dir "$i")"
  cat >"$dir/rabbitmq.conf" <<EOF
# Written by deploy/local/rabbitmq-cluster.sh on every start of this node; edits are lost.
listeners.tcp.default = 127.0.0.1:$(amqp_port "$i")
# Created on first boot only (instead of guest). Nodes 2 and 3 drop theirs when they join node 1.
default_user = $AMQP_USER
default_pass = $AMQP_PASSWORD
default_vhost = /
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
# A node killed and restarted quickly can be seen as a partition; heal it by itself rather than
# leave a test cluster split until someone intervenes.
cluster_partition_handling = autoheal
log.console = false
log.file.level = info
EOF
  printf '[].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  ensure_cookie
  if ((EUID == 0)); then chown -R "$SERVICE_USER:" "$STATE"; fi
}

log_tail() {
  local i="$1" file
  for file in "$(node_dir "$i")"/log/*.log; do
    [[ -f "$file" ]] || continue
    log "---- last lines of $file ----"
    tail -n 40 "$file" >&2
  done
}

# ---------------------------------------------------------------------------------------------
# Starting, joining and waiting
# ---------------------------------------------------------------------------------------------

# Starts node I in the background (rabbitmq-server -detached returns at once). Nodes are started
# together rather than one after the other: a clustered node that was not the last to stop waits
# at boot for the tables of its peers, so starting them one by one could wait for minutes.
launch_node() {
  local i="$1" port dist
  port="$(amqp_port "$i")"
  dist="$(dist_port "$i")"
  if port_in_use "$port"; then die "127.0.0.1:$port is already taken by another process; set GATEWAY_RABBITMQ_CLUSTER_BASE_PORT"; fi
  if port_in_use "$dist"; then die "127.0.0.1:$dist (distribution) is already taken; set GATEWAY_RABBITMQ_CLUSTER_BASE_PORT"; fi
  write_config "$i"
  rm -f "$(node_dir "$i")/rabbitmq.pid"
  log "starting node $(node_name "$i") on 127.0.0.1:$port (epmd $EPMD_PORT, distribution $dist)"
  as_node "$i" 60 rabbitmq-server -detached >/dev/null 2>&1 || { log_tail "$i"; die "rabbitmq-server -detached failed for $(node_name "$i")"; }
}

# Waits until the rabbit application of node I has booted. await_startup exits 69 until the node
# has registered with epmd (DESIGN.md §13), so loop on it, and give up early if the VM died.
wait_node_booted() {
  local i="$1" deadline="$2" rc seen_pid=0
  while :; do
    rc=0
    as_node "$i" 30 rabbitmqctl -q await_startup --timeout 25 >/dev/null 2>&1 || rc=$?
    ((rc == 0)) && return 0
    if node_pid "$i" >/dev/null; then seen_pid=1
    elif ((seen_pid)); then
      log "node $(node_name "$i") exited during startup"; log_tail "$i"; return 1
    fi
    if ((SECONDS >= deadline)); then
      log "node $(node_name "$i") not booted after ${READY_TIMEOUT_SECONDS}s (last await_startup exit code $rc)"
      log_tail "$i"
      return 1
    fi
    sleep 1
  done
}

# Prints what node I says about itself: "running:<number of cluster members whose database runs>"
# or "booting". rabbit_nodes:all_running() is mnesia's view, which is what "clustered" means here;
# eval gives a plain term rather than cluster_status's human-oriented text.
node_view() {
  local out
  out="$(ctl "$1" -q eval 'case rabbit:is_running() of true -> {running, length(rabbit_nodes:all_running())}; false -> booting end.' 2>/dev/null)" || return 1
  case "$out" in
    "{running,"*"}") out="${out#\{running,}"; printf 'running:%s\n' "${out%\}}" ;;
    booting) printf 'booting\n' ;;
    *) return 1 ;;
  esac
}

# True when node I and node ANCHOR each list the other as a cluster member (running or not).
# Both sides: a node whose state was lost is still listed by the anchor but lists only itself.
is_member() {
  local i="$1" anchor="$2" out
  out="$(ctl "$anchor" -q eval "lists:member('$(node_name "$i")', rabbit_nodes:all())." 2>/dev/null)" || return 1
  [[ "$out" == "true" ]] || return 1
  out="$(ctl "$i" -q eval "lists:member('$(node_name "$anchor")', rabbit_nodes:all())." 2>/dev/null)" || return 1
  [[ "$out" == "true" ]]
}

# Makes node I a member of node ANCHOR's cluster. join_cluster needs the app stopped and resets the
# node first (a fresh node only loses its own default user). It is refused as an "inconsistent
# cluster" when the two disagree about membership (one side's state was deleted): then the anchor
# forgets the old incarnation of node I, node I is reset, and the join is tried once more.
join_node() {
  local i="$1" anchor="$2" target out
  target="$(node_name "$anchor")"
  log "joining $(node_name "$i") to $target"
  out="$(ctl "$i" -q stop_app 2>&1)" || die "stop_app on $(node_name "$i") failed: $out"
  # (the CLI prints the node's log lines on stderr: keep them for when a step really fails)
  if ! out="$(ctl "$i" -q join_cluster "$target" 2>&1)"; then
    out="${out//$'\n'/ }"
    log "join_cluster refused:${out##*Error:}"
    log "forgetting the old $(node_name "$i") on $target, resetting it and joining again"
    ctl "$anchor" -q forget_cluster_node "$(node_name "$i")" >/dev/null 2>&1 || true
    out="$(ctl "$i" -q reset 2>&1)" || die "reset of $(node_name "$i") failed: $out"
    out="$(ctl "$i" -q join_cluster "$target" 2>&1)" || die "join_cluster failed again: $out"
  fi
  out="$(ctl "$i" -q start_app 2>&1)" || die "start_app on $(node_name "$i") failed: $out"
}

# Number of nodes whose VM is alive.
alive_count() {
  local i n=0
  for i in $(all_nodes); do if node_pid "$i" >/dev/null; then n=$((n + 1)); fi; done
  printf '%s\n' "$n"
}

# Waits until every live node runs and sees all live nodes running: after `start` that is all
# three; after start-node while another node is down on purpose, the others.
wait_clustered() {
  local deadline="$1" i view ok expected
  while :; do
    ok=1
    expected="$(alive_count)"
    for i in $(all_nodes); do
      node_pid "$i" >/dev/null || continue
      view="$(node_view "$i")" || view="unreachable"
      if [[ "$view" != "running:$expected" ]]; then ok=0; break; fi
    done
    ((ok && expected > 0)) && return 0
    if ((SECONDS >= deadline)); then
      log "cluster not complete after ${READY_TIMEOUT_SECONDS}s (node $(node_name "$i"): $view, $expected nodes alive)"
      return 1
    fi
    sleep 1
  done
}

# Boots the given (just launched) nodes, joins those that are not members yet, and waits until
# the cluster runs. Members are checked against an anchor: a node that was already running (its
# data is the cluster's), or node 1 when all were launched now. Never the other way round, so a
# node restarted with lost state can never make the running ones reset.
bring_up() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) i anchor=1 launched=" $* "
  for i in $(all_nodes); do
    if [[ "$launched" != *" $i "* ]] && node_pid "$i" >/dev/null; then anchor="$i"; break; fi
  done
  for i in "$@"; do
    wait_node_booted "$i" "$deadline" || die "node $(node_name "$i") did not start"
  done
  # Joins go one at a time: concurrent schema changes on the anchor are asking for trouble.
  for i in "$@"; do
    ((i == anchor)) && continue
    is_member "$i" "$anchor" || join_node "$i" "$anchor"
  done
  wait_clustered "$deadline" || die "the cluster did not form; see $STATE/*/log"
}

# default_user only applies to a fresh database; repair the account if an older state lacks it.
# Users, vhosts and permissions are cluster-wide, so node 1 is enough (`start` runs all nodes).
ensure_account() {
  if ctl 1 -q authenticate_user "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null 2>&1; then return 0; fi
  log "creating user '$AMQP_USER'"
  ctl 1 -q add_user "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null 2>&1 || ctl 1 -q change_password "$AMQP_USER" "$AMQP_PASSWORD" >/dev/null
  ctl 1 -q set_user_tags "$AMQP_USER" administrator >/dev/null
  ctl 1 -q set_permissions -p / "$AMQP_USER" '.*' '.*' '.*' >/dev/null
}

lock() {
  mkdir -p "$REPO_ROOT/.local"
  exec 9>"$LOCK_FILE"
  flock -w 300 9 || die "another rabbitmq-cluster.sh holds $LOCK_FILE"
}

summary() {
  local i pid
  for i in $(all_nodes); do
    pid="$(node_pid "$i" || echo '?')"
    log "  $(node_name "$i")  amqp 127.0.0.1:$(amqp_port "$i")  pid $pid  rss $( [[ "$pid" == '?' ]] && echo '?' || rss_mib "$pid") MiB"
  done
}

# ---------------------------------------------------------------------------------------------
# Stopping
# ---------------------------------------------------------------------------------------------

# Stops node I: rabbitmqctl stop (waits for the VM to exit), then SIGTERM and SIGKILL as fallbacks.
stop_node() {
  local i="$1" pid waited
  pid="$(node_pid "$i")" || return 0
  log "stopping node $(node_name "$i") (pid $pid)"
  as_node "$i" 90 rabbitmqctl -q stop "$(node_dir "$i")/rabbitmq.pid" >/dev/null 2>&1 || true
  waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    log "rabbitmqctl stop did not end pid $pid; sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do sleep 0.5; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$(node_dir "$i")/rabbitmq.pid"
}

# epmd (on the port shared with rabbitmq.sh) is stopped only once no node at all is registered
# with it, so the single node of rabbitmq.sh keeps its epmd. rabbitmq.sh does the same for us.
stop_epmd() {
  local epmd names
  epmd="$(command -v epmd 2>/dev/null || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | tail -n 1 || true)"
  [[ -n "$epmd" && -x "$epmd" ]] || return 0
  names="$(ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -names 2>/dev/null)" || return 0
  if ! grep -q '^name ' <<<"$names"; then
    ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -kill >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

cmd_start() {
  local started=$SECONDS
  ensure_installed
  lock
  resolve_state create
  local i down=()
  for i in $(all_nodes); do node_pid "$i" >/dev/null || down+=("$i"); done
  if ((${#down[@]} == 0)); then
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    if wait_clustered "$deadline"; then
      ensure_account
      log "already running ($NODE_COUNT nodes clustered, state $STATE)"
      summary
      return 0
    fi
    die "all nodes run but the cluster is not complete; try: $0 stop && $0 start"
  fi
  log "state in $STATE"
  for i in "${down[@]}"; do launch_node "$i"; done
  bring_up "${down[@]}"
  ensure_account
  log "ready: $NODE_COUNT nodes clustered in $((SECONDS - started))s"
  summary
}

cmd_start_node() {
  local i="$1" started=$SECONDS
  ensure_installed
  lock
  resolve_state create
  local pid
  if pid="$(node_pid "$i")"; then
    log "node $(node_name "$i") already runs (pid $pid)"
  else
    # Alone, a clustered node that was not the last to stop waits minutes for its peers' tables.
    local j peer=0
    for j in $(all_nodes); do ((j != i)) && node_pid "$j" >/dev/null && peer=1; done
    ((peer)) || die "no other node of the cluster runs; start the whole cluster with: $0 start"
    launch_node "$i"
  fi
  bring_up "$i"
  log "node $(node_name "$i") is back in the cluster after $((SECONDS - started))s"
  summary
}

cmd_kill_node() {
  local i="$1" pid waited=0
  lock
  resolve_state
  pid="$(node_pid "$i")" || { log "node $(node_name "$i") is not running"; return 0; }
  log "kill -9 node $(node_name "$i") (pid $pid)"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  kill -0 "$pid" 2>/dev/null && die "pid $pid is still alive after kill -9"
  # The pid file stays on purpose (as after a real crash); node_pid ignores it since the pid is dead.
  log "killed"
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then log "not running (no state in $LINK)"; stop_epmd; return 0; fi
  ensure_installed
  lock
  resolve_state
  local i any=0
  # Highest first, so node 1 is the last to stop and can boot first next time.
  for i in $(all_nodes | sort -rn); do
    if node_pid "$i" >/dev/null; then any=1; stop_node "$i"; fi
  done
  stop_epmd
  if ((any)); then log "stopped"; else log "not running"; fi
}

cmd_status() {
  resolve_state
  local i pid view all_ok=1
  for i in $(all_nodes); do
    if pid="$(node_pid "$i")"; then
      view="$(node_view "$i")" || view="not answering"
      case "$view" in
        "running:$NODE_COUNT") view="running, clustered ($NODE_COUNT/$NODE_COUNT members running)" ;;
        running:*) view="running, sees ${view#running:}/$NODE_COUNT members running"; all_ok=0 ;;
        *) all_ok=0 ;;
      esac
      printf '%s: %s (pid %s, rss %s MiB, amqp 127.0.0.1:%s)\n' "$(node_name "$i")" "$view" "$pid" "$(rss_mib "$pid")" "$(amqp_port "$i")"
    else
      # A pid file without its process is what kill-node (or a crash) leaves; stop removes it.
      if [[ -e "$(node_dir "$i")/rabbitmq.pid" ]]; then view="down (crashed or killed)"; else view="stopped"; fi
      printf '%s: %s (amqp 127.0.0.1:%s)\n' "$(node_name "$i")" "$view" "$(amqp_port "$i")"
      all_ok=0
    fi
  done
  ((all_ok)) || return 3
}

cmd_env() {
  local i nodes=()
  for i in $(all_nodes); do nodes+=("127.0.0.1:$(amqp_port "$i")"); done
  printf 'export RABBITMQ_URI=amqp://%s:%s@127.0.0.1:%s/\n' "$AMQP_USER" "$AMQP_PASSWORD" "$(amqp_port 1)"
  printf 'export RABBITMQ_CLUSTER_NODES=%s\n' "$(IFS=,; echo "${nodes[*]}")"
}

usage() { printf 'usage: %s start|stop|status|env|kill-node N|start-node N   (N = 1..%s)\n' "$0" "$NODE_COUNT" >&2; exit 2; }

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  kill-node) valid_index "${2:-}" || usage; cmd_kill_node "$2" ;;
  start-node) valid_index "${2:-}" || usage; cmd_start_node "$2" ;;
  *) usage ;;
esac
