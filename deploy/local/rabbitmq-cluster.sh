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
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

readonly NODE_COUNT=3
readonly BASE_PORT="${GATEWAY_RABBITMQ_CLUSTER_BASE_PORT:-5680}"
readonly EPMD_PORT="${GATEWAY_RABBITMQ_EPMD_PORT:-4370}"
readonly NAME_PREFIX="${GATEWAY_RABBITMQ_CLUSTER_NAME_PREFIX:-gwc}"
# Short node names (-sname) on "localhost": resolves to 127.0.0.1 everywhere, unlike the host name.
readonly NODE_HOST="localhost"
readonly READY_TIMEOUT_SECONDS="${GATEWAY_RABBITMQ_CLUSTER_READY_TIMEOUT:-120}"
LINK="$(lib_root)/.local/rabbitmq-cluster"
readonly LINK
readonly USAGE="start|stop|status|env|kill-node N|start-node N   (N = 1..$NODE_COUNT)"

lib_check_port "$BASE_PORT"
lib_check_port "$EPMD_PORT"
((BASE_PORT + NODE_COUNT + 20000 < 65536)) || lib_die "GATEWAY_RABBITMQ_CLUSTER_BASE_PORT $BASE_PORT is too high (distribution ports are AMQP + 20000)"
[[ "$NAME_PREFIX" =~ ^[a-z][a-z0-9_-]*$ ]] || lib_die "invalid node name prefix '$NAME_PREFIX'"
lib_service_user rabbitmq

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

# Node I for the lib_rmq_* functions: NODE DIR DIST (set in the array SPEC).
spec() { SPEC=("$(node_name "$1")" "$(node_dir "$1")" "$(dist_port "$1")"); }

# Creates the state folder: home/ and one folder per node.
create_state() {
  local i dirs=(home)
  for i in $(all_nodes); do dirs+=("$(node_short "$i")/mnesia" "$(node_short "$i")/log"); done
  lib_state_dir rabbitmq-cluster "${dirs[@]}"
}

# ---------------------------------------------------------------------------------------------
# Running RabbitMQ tools, per node
# ---------------------------------------------------------------------------------------------

# as_node I SECONDS TOOL ARGS...: runs a RabbitMQ tool for node I (lib_rmq_run).
as_node() { local SPEC; spec "$1"; lib_rmq_run "$2" "${SPEC[@]}" "${@:3}"; }

# ctl I ARGS...: rabbitmqctl against node I.
ctl() { local i="$1"; shift; as_node "$i" 60 rabbitmqctl "$@"; }

# Pid of node I, if its VM is alive: the pid file stays behind after kill -9 and its pid may be reused.
node_pid() { lib_rmq_pid "$(node_name "$1")" "$(node_dir "$1")"; }

# RSS of a process in MiB (for status and the start summary).
rss_mib() { ps -o rss= -p "$1" 2>/dev/null | awk '{ printf "%d", $1 / 1024 }'; }

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
  if lib_port_in_use "$port"; then lib_die "127.0.0.1:$port is already taken by another process; set GATEWAY_RABBITMQ_CLUSTER_BASE_PORT"; fi
  if lib_port_in_use "$dist"; then lib_die "127.0.0.1:$dist (distribution) is already taken; set GATEWAY_RABBITMQ_CLUSTER_BASE_PORT"; fi
  # A node killed and restarted quickly can be seen as a partition; heal it by itself rather than
  # leave a test cluster split until someone intervenes.
  lib_rmq_write_config "$(node_dir "$i")" "$port" "cluster_partition_handling = autoheal"
  rm -f "$(node_dir "$i")/rabbitmq.pid"
  lib_say "starting node $(node_name "$i") on 127.0.0.1:$port (epmd $EPMD_PORT, distribution $dist)"
  as_node "$i" 60 rabbitmq-server -detached >/dev/null 2>&1 \
    || { lib_log_tail "$(node_dir "$i")"/log/*.log; lib_die "rabbitmq-server -detached failed for $(node_name "$i")"; }
}

# Seconds left until the absolute deadline $1 (a value of SECONDS).
left() { printf '%s' "$(($1 - SECONDS))"; }

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
  lib_say "joining $(node_name "$i") to $target"
  out="$(ctl "$i" -q stop_app 2>&1)" || lib_die "stop_app on $(node_name "$i") failed: $out"
  # (the CLI prints the node's log lines on stderr: keep them for when a step really fails)
  if ! out="$(ctl "$i" -q join_cluster "$target" 2>&1)"; then
    out="${out//$'\n'/ }"
    lib_say "join_cluster refused:${out##*Error:}"
    lib_say "forgetting the old $(node_name "$i") on $target, resetting it and joining again"
    ctl "$anchor" -q forget_cluster_node "$(node_name "$i")" >/dev/null 2>&1 || true
    out="$(ctl "$i" -q reset 2>&1)" || lib_die "reset of $(node_name "$i") failed: $out"
    out="$(ctl "$i" -q join_cluster "$target" 2>&1)" || lib_die "join_cluster failed again: $out"
  fi
  out="$(ctl "$i" -q start_app 2>&1)" || lib_die "start_app on $(node_name "$i") failed: $out"
}

# Number of nodes whose VM is alive.
alive_count() {
  local i n=0
  for i in $(all_nodes); do if node_pid "$i" >/dev/null; then n=$((n + 1)); fi; done
  printf '%s\n' "$n"
}

# One check for lib_wait_until: every live node runs and sees all live nodes running: after `start`
# that is all three; after start-node while another node is down on purpose, the others. LAST_VIEW
# says what failed.
cluster_complete() {
  local i view expected
  expected="$(alive_count)"
  if ((expected == 0)); then LAST_VIEW="no node alive"; return 1; fi
  for i in $(all_nodes); do
    node_pid "$i" >/dev/null || continue
    view="$(node_view "$i")" || view="unreachable"
    if [[ "$view" != "running:$expected" ]]; then
      LAST_VIEW="node $(node_name "$i"): $view, $expected nodes alive"
      return 1
    fi
  done
}

# wait_clustered DEADLINE: waits until the cluster is complete (cluster_complete).
wait_clustered() {
  LAST_VIEW=""
  lib_wait_until "$(left "$1")" 1 "the cluster to be complete" cluster_complete && return 0
  lib_say "last check: $LAST_VIEW"
  return 1
}

# Boots the given (just launched) nodes, joins those that are not members yet, and waits until
# the cluster runs. Members are checked against an anchor: a node that was already running (its
# data is the cluster's), or node 1 when all were launched now. Never the other way round, so a
# node restarted with lost state can never make the running ones reset.
bring_up() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) i anchor=1 launched=" $* " SPEC
  for i in $(all_nodes); do
    if [[ "$launched" != *" $i "* ]] && node_pid "$i" >/dev/null; then anchor="$i"; break; fi
  done
  for i in "$@"; do
    spec "$i"
    lib_rmq_wait_booted "$(left "$deadline")" "${SPEC[@]}" || lib_die "node $(node_name "$i") did not start"
  done
  # Joins go one at a time: concurrent schema changes on the anchor are asking for trouble.
  for i in "$@"; do
    ((i == anchor)) && continue
    is_member "$i" "$anchor" || join_node "$i" "$anchor"
  done
  wait_clustered "$deadline" || lib_die "the cluster did not form; see $STATE/*/log"
}

# The gateway account (cluster-wide: `start` runs all nodes, so node 1 is enough).
ensure_account() { local SPEC; spec 1; lib_rmq_ensure_account "${SPEC[@]}"; }

summary() {
  local i pid
  for i in $(all_nodes); do
    pid="$(node_pid "$i" || echo '?')"
    lib_say "  $(node_name "$i")  amqp 127.0.0.1:$(amqp_port "$i")  pid $pid  rss $(if [[ "$pid" == '?' ]]; then echo '?'; else rss_mib "$pid"; fi) MiB"
  done
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

cmd_start() {
  local started=$SECONDS
  lib_rmq_ensure_installed
  lib_lock rabbitmq-cluster 300
  create_state
  local i down=()
  for i in $(all_nodes); do node_pid "$i" >/dev/null || down+=("$i"); done
  if ((${#down[@]} == 0)); then
    if wait_clustered $((SECONDS + READY_TIMEOUT_SECONDS)); then
      ensure_account
      lib_say "already running ($NODE_COUNT nodes clustered, state $STATE)"
      summary
      return 0
    fi
    lib_die "all nodes run but the cluster is not complete; try: $0 stop && $0 start"
  fi
  lib_say "state in $STATE"
  for i in "${down[@]}"; do launch_node "$i"; done
  bring_up "${down[@]}"
  ensure_account
  lib_say "ready: $NODE_COUNT nodes clustered in $((SECONDS - started))s"
  summary
}

cmd_start_node() {
  valid_index "${1:-}" || lib_usage "$USAGE"
  local i="$1" started=$SECONDS
  lib_rmq_ensure_installed
  lib_lock rabbitmq-cluster 300
  create_state
  local pid
  if pid="$(node_pid "$i")"; then
    lib_say "node $(node_name "$i") already runs (pid $pid)"
  else
    # Alone, a clustered node that was not the last to stop waits minutes for its peers' tables.
    local j peer=0
    for j in $(all_nodes); do ((j != i)) && node_pid "$j" >/dev/null && peer=1; done
    ((peer)) || lib_die "no other node of the cluster runs; start the whole cluster with: $0 start"
    launch_node "$i"
  fi
  bring_up "$i"
  lib_say "node $(node_name "$i") is back in the cluster after $((SECONDS - started))s"
  summary
}

cmd_kill_node() {
  valid_index "${1:-}" || lib_usage "$USAGE"
  local i="$1" pid
  lib_lock rabbitmq-cluster 300
  lib_state_path rabbitmq-cluster
  pid="$(node_pid "$i")" || { lib_say "node $(node_name "$i") is not running"; return 0; }
  lib_say "kill -9 node $(node_name "$i") (pid $pid)"
  kill -KILL "$pid"
  lib_wait_until 5 0.1 "pid $pid to exit" lib_pid_gone "$pid" || lib_die "pid $pid is still alive after kill -9"
  # The pid file stays on purpose (as after a real crash); node_pid ignores it since the pid is dead.
  lib_say "killed"
}

cmd_stop() {
  if [[ ! -e "$LINK" ]]; then lib_say "not running (no state in $LINK)"; lib_rmq_stop_epmd; return 0; fi
  lib_rmq_ensure_installed
  lib_lock rabbitmq-cluster 300
  lib_state_path rabbitmq-cluster
  local i pid any=0 SPEC
  # Highest first, so node 1 is the last to stop and can boot first next time.
  for i in $(all_nodes | sort -rn); do
    if pid="$(node_pid "$i")"; then
      any=1
      spec "$i"
      lib_rmq_stop "${SPEC[@]}" "$pid"
    fi
  done
  lib_rmq_stop_epmd
  if ((any)); then lib_say "stopped"; else lib_say "not running"; fi
}

cmd_status() {
  lib_state_path rabbitmq-cluster
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
  lib_export RABBITMQ_URI "amqp://$LIB_RMQ_USER:$LIB_RMQ_PASSWORD@127.0.0.1:$(amqp_port 1)/"
  lib_export RABBITMQ_CLUSTER_NODES "$(IFS=,; echo "${nodes[*]}")"
}

lib_main "$USAGE" "$@"
