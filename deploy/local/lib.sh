# shellcheck shell=bash
# What deploy/local/rabbitmq.sh, rabbitmq-cluster.sh and postgres.sh share (DESIGN.md §12-13): installing Debian's
# packages, the state folder under <repo>/.local, running tools as the service user, waiting for readiness, stopping a
# process, printing `env` lines, dispatching the command. Sourced, never run, right after `set -euo pipefail`:
#
#   source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
#
# Messages go to stderr as "<script name>: ...". The functions share these globals with the script:
#   SERVICE_USER  who runs the service: the package's system user when we are root, else whoever runs us
#                 (set by lib_service_user, which a script calls before anything else here)
#   STATE         the service's state folder (set by lib_state_dir / lib_state_path)
#   EPMD_PORT     (RabbitMQ functions only) the port of the epmd the nodes register with

LIB_NAME="${BASH_SOURCE[1]:-lib.sh}"
LIB_NAME="${LIB_NAME##*/}"
LIB_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly LIB_NAME LIB_ROOT
SERVICE_USER=""
STATE=""

# ---------------------------------------------------------------------------------------------
# Basics
# ---------------------------------------------------------------------------------------------

# The repository root (the folder that holds deploy/).
lib_root() { printf '%s\n' "$LIB_ROOT"; }

lib_say() { printf '%s: %s\n' "$LIB_NAME" "$*" >&2; }
lib_die() { lib_say "error: $*"; exit 1; }

# lib_check_port VALUE [WHAT]: dies with "invalid WHAT 'VALUE'" unless VALUE is a port number (1..65535).
lib_check_port() {
  local value="$1" what="${2:-port}"
  if [[ ! "$value" =~ ^[1-9][0-9]{0,4}$ ]] || ((value > 65535)); then lib_die "invalid $what '$value'"; fi
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
lib_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# lib_export NAME VALUE: prints `export NAME=VALUE` for eval, VALUE in double quotes when the shell would act on one
# of its characters (a connection string's ";").
lib_export() {
  local name="$1" value="$2" plain='^[A-Za-z0-9_@%+=:,./-]*$'
  if [[ "$value" =~ $plain ]]; then
    printf 'export %s=%s\n' "$name" "$value"
  else
    [[ "$value" != *[\"\$\`\\]* ]] || lib_die "the value of $name cannot go in double quotes"
    printf 'export %s="%s"\n' "$name" "$value"
  fi
}

# lib_usage USAGE: prints "usage: <script> USAGE" and exits 2.
lib_usage() { printf 'usage: %s %s\n' "$0" "$1" >&2; exit 2; }

# lib_main USAGE COMMAND [ARGS...]: runs the script's function cmd_COMMAND (a dash in COMMAND becomes "_") with ARGS;
# lib_usage USAGE when there is no such command. The script exits with what that function returns (set -e).
lib_main() {
  local usage="$1" command="${2:-}" function
  function="cmd_${command//-/_}"
  if [[ ! "$command" =~ ^[a-z]+(-[a-z]+)*$ || "$(type -t "$function")" != "function" ]]; then lib_usage "$usage"; fi
  shift 2
  "$function" "$@"
}

# ---------------------------------------------------------------------------------------------
# Root, users and packages
# ---------------------------------------------------------------------------------------------

# Runs a command as root: directly when we are root, else through passwordless sudo; dies when neither works.
lib_as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else lib_die "'$*' needs root (run as root or give passwordless sudo)"
  fi
}

# lib_service_user NAME: SERVICE_USER becomes NAME (the package's system user) when we are root, else ourselves.
lib_service_user() {
  if ((EUID == 0)); then SERVICE_USER="$1"; else SERVICE_USER="$(id -un)"; fi
}

# Dies when we are root and SERVICE_USER does not exist (otherwise it is us).
lib_require_service_user() {
  if ((EUID == 0)); then
    getent passwd "$SERVICE_USER" >/dev/null || lib_die "user '$SERVICE_USER' does not exist (the package normally creates it)"
  fi
}

# lib_run_as USER CMD...: runs CMD as USER when we are root (runuser), else as ourselves (then the service user is us).
lib_run_as() {
  local user="$1"
  shift
  if ((EUID == 0)); then runuser -u "$user" -- "$@"; else "$@"; fi
}

# lib_ensure_packages PKG...: installs those of the Debian packages PKG... that are not installed yet, with apt-get,
# non-interactively (DEBIAN_FRONTEND=noninteractive, no stdin, no recommended packages), as root (lib_as_root). The
# package index is refreshed first when a package has no install candidate, or else once after a failed install (an
# old index can name versions the mirror no longer has). A policy-rc.d that denies service starts is in place for the
# duration (unless one exists already), so that no system-wide instance (RabbitMQ, Debian's "main" cluster) starts.
lib_ensure_packages() {
  local package missing=() updated=0 rc=0
  for package in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]] || missing+=("$package")
  done
  ((${#missing[@]} > 0)) || return 0
  command -v apt-get >/dev/null 2>&1 || lib_die "apt-get not found: install ${missing[*]} yourself"
  export DEBIAN_FRONTEND=noninteractive
  for package in "${missing[@]}"; do
    # (no "| grep -q" here: with pipefail an early grep exit makes apt-cache die of SIGPIPE)
    [[ "$(apt-cache policy "$package" 2>/dev/null)" == *"Candidate: "[0-9]* ]] && continue
    lib_say "apt-get update"
    lib_as_root apt-get update -q </dev/null >&2
    updated=1
    break
  done
  local policy="/usr/sbin/policy-rc.d" added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | lib_as_root tee "$policy" >/dev/null
    lib_as_root chmod 755 "$policy"
    added_policy=1
  fi
  lib_say "apt-get install ${missing[*]}"
  lib_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 || rc=$?
  if ((rc != 0 && !updated)); then
    lib_say "apt-get install failed (exit $rc); apt-get update and once more"
    rc=0
    { lib_as_root apt-get update -q </dev/null >&2 \
        && lib_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; } || rc=$?
  fi
  if ((added_policy)); then lib_as_root rm -f "$policy"; fi
  ((rc == 0)) || lib_die "apt-get install ${missing[*]} failed (exit $rc)"
}

# ---------------------------------------------------------------------------------------------
# The state folder: <repo>/.local/NAME (ignored by git)
# ---------------------------------------------------------------------------------------------
# The service runs as SERVICE_USER, who may not reach the checkout (CI clones into /root, mode 700), and a unix socket
# path must stay short: then the state goes to a per-checkout folder
#   /var/tmp/gateway-local-<first 12 hex of sha256(repo path)>/NAME
# and .local/NAME becomes a symlink to it.

# lib_state_path NAME: sets STATE to NAME's state folder (following the symlink); creates nothing.
lib_state_path() {
  local link="$LIB_ROOT/.local/$1"
  if [[ -L "$link" ]]; then STATE="$(readlink -f "$link")"; else STATE="$link"; fi
}

# lib_state_dir NAME [--fallback-because REASON] [SUBDIR...]: creates NAME's state folder, owned by SERVICE_USER, mode
# 700, and SUBDIR... inside it; sets STATE. The folder goes to /var/tmp (see above) when SERVICE_USER cannot reach
# .local/NAME, when a non-empty REASON says so (it is logged), or when .local/NAME is that symlink already.
lib_state_dir() {
  local name="$1" reason="" link fallback subdir
  shift
  if [[ "${1:-}" == "--fallback-because" ]]; then reason="$2"; shift 2; fi
  link="$LIB_ROOT/.local/$name"
  fallback="/var/tmp/gateway-local-$(printf '%s' "$LIB_ROOT" | sha256sum | cut -c1-12)/$name"
  mkdir -p "$LIB_ROOT/.local"
  if [[ -L "$link" ]]; then
    lib_prepare_fallback "$fallback"
    ln -sfn "$fallback" "$link"
    STATE="$fallback"
  else
    mkdir -p "$link"
    if ((EUID == 0)); then chown "$SERVICE_USER:" "$link"; fi
    chmod 700 "$link"
    if ! lib_run_as "$SERVICE_USER" test -w "$link" -a -x "$link"; then reason="user '$SERVICE_USER' cannot reach $link"; fi
    if [[ -z "$reason" ]]; then
      STATE="$link"
    else
      lib_say "$reason; keeping the state in $fallback (symlinked)"
      rm -rf -- "$link"
      lib_prepare_fallback "$fallback"
      ln -s "$fallback" "$link"
      STATE="$fallback"
    fi
  fi
  for subdir in "$@"; do mkdir -p "$STATE/$subdir"; done
  if ((EUID == 0)); then chown "$SERVICE_USER:" "$STATE"; fi
  chmod 700 "$STATE"
}

# /var/tmp is world-writable: the fallback's parent must be a real directory owned by us, never something another
# user planted there. (The services of one checkout share that parent.)
lib_prepare_fallback() {
  local dir="$1" parent="${1%/*}"
  if [[ -e "$parent" || -L "$parent" ]]; then
    [[ -d "$parent" && ! -L "$parent" && "$(stat -c %u "$parent")" == "$EUID" ]] \
      || lib_die "$parent exists but is not a directory owned by $(id -un); refusing to use it"
  else
    mkdir -m 755 "$parent"
  fi
  chmod 755 "$parent"
  mkdir -p "$dir"
}

# lib_lock NAME SECONDS: holds <repo>/.local/NAME.lock (descriptor 9) until the script ends; dies when another run
# holds it for SECONDS.
lib_lock() {
  local file="$LIB_ROOT/.local/$1.lock"
  mkdir -p "$LIB_ROOT/.local"
  exec 9>"$file"
  flock -w "$2" 9 || lib_die "another $LIB_NAME holds $file"
}

# lib_service_run SECONDS CMD...: runs CMD as SERVICE_USER from inside STATE, killed after SECONDS (exit code 124).
# 9>&- : the lock descriptor must not leak into a server that CMD leaves running, or the server would hold the lock.
lib_service_run() {
  local seconds="$1"
  shift
  (cd "$STATE" && lib_run_as "$SERVICE_USER" timeout "$seconds" "$@" 9>&-)
}

# ---------------------------------------------------------------------------------------------
# Waiting and processes
# ---------------------------------------------------------------------------------------------

# lib_wait_until TIMEOUT INTERVAL WHAT CMD...: runs CMD every INTERVAL seconds until it succeeds (returns 0). Returns 1
# when TIMEOUT seconds have passed (saying "gave up waiting for WHAT ...", with CMD's last exit code unless that is a
# plain 1), or at once when CMD has called lib_give_up. CMD runs at least once; it runs in a condition, so set -e does
# not apply inside it.
lib_wait_until() {
  local timeout="$1" interval="$2" what="$3" deadline rc
  shift 3
  ((timeout > 0)) || timeout=0
  deadline=$((SECONDS + timeout))
  LIB_GAVE_UP=0
  while :; do
    rc=0
    "$@" || rc=$?
    ((rc != 0)) || return 0
    ((!LIB_GAVE_UP)) || return 1
    if ((SECONDS >= deadline)); then
      lib_say "gave up waiting for $what after ${timeout}s$( ((rc == 1)) || printf ' (last check exit code %s)' "$rc")"
      return 1
    fi
    sleep "$interval"
  done
}

# lib_give_up MESSAGE: from a check of lib_wait_until: says MESSAGE and makes the wait fail once the check returns.
lib_give_up() { lib_say "$*"; LIB_GAVE_UP=1; }

# lib_pid_from_file FILE PATTERN: prints the pid in FILE when that process is alive and its command line contains
# PATTERN (a pid file outlives its process, and the pid may be reused).
lib_pid_from_file() {
  local file="$1" pattern="$2" pid cmdline
  [[ -r "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]] || return 1
  printf '%s\n' "$pid"
}

lib_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# lib_end_process PID: after a polite stop request: waits up to 10 s for PID to exit, then sends SIGTERM and waits
# 10 s more, then sends SIGKILL.
lib_end_process() {
  local pid="$1"
  lib_wait_until 10 0.5 "pid $pid to exit" lib_pid_gone "$pid" && return 0
  lib_say "sending SIGTERM to pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  lib_wait_until 10 0.5 "pid $pid to exit on SIGTERM" lib_pid_gone "$pid" && return 0
  lib_say "sending SIGKILL to pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
}

# lib_log_tail FILE...: the last 40 lines of each FILE that exists, on stderr.
lib_log_tail() {
  local file
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    lib_say "---- last lines of $file ----"
    tail -n 40 "$file" >&2
  done
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ (rabbitmq.sh and rabbitmq-cluster.sh)
# ---------------------------------------------------------------------------------------------
# A node is given by three arguments, NODE DIR DIST: its name (RABBITMQ_NODENAME), the folder with its mnesia, logs,
# config, enabled plugins file and pid file, and its distribution port. All nodes of a script share HOME
# ($STATE/home, with the Erlang cookie) and the epmd on 127.0.0.1:$EPMD_PORT; everything listens on loopback only.

readonly LIB_RMQ_BIN="/usr/lib/rabbitmq/bin"
readonly LIB_RMQ_USER="gateway"
readonly LIB_RMQ_PASSWORD="gateway-dev"

lib_rmq_ensure_installed() {
  if [[ ! -x "$LIB_RMQ_BIN/rabbitmq-server" || ! -x "$LIB_RMQ_BIN/rabbitmqctl" ]]; then
    lib_ensure_packages rabbitmq-server
    [[ -x "$LIB_RMQ_BIN/rabbitmq-server" ]] || lib_die "rabbitmq-server is still missing in $LIB_RMQ_BIN after installation"
  fi
  lib_require_service_user
}

# lib_rmq_run SECONDS NODE DIR DIST TOOL ARGS...: runs a RabbitMQ tool (rabbitmq-server, rabbitmqctl) for the node with
# its environment, as the service user, from inside STATE, killed after SECONDS. The CLI needs the same node name, epmd
# port and HOME (cookie) as the server to reach it.
lib_rmq_run() {
  local seconds="$1" node="$2" dir="$3" dist="$4" tool="$5"
  shift 5
  lib_service_run "$seconds" env \
    "HOME=$STATE/home" \
    "LANG=C.UTF-8" \
    "LC_ALL=C.UTF-8" \
    "RABBITMQ_NODENAME=$node" \
    "RABBITMQ_MNESIA_BASE=$dir/mnesia" \
    "RABBITMQ_LOG_BASE=$dir/log" \
    "RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf" \
    "RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config" \
    "RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins" \
    "RABBITMQ_PID_FILE=$dir/rabbitmq.pid" \
    "RABBITMQ_DIST_PORT=$dist" \
    "ERL_EPMD_PORT=$EPMD_PORT" \
    "ERL_EPMD_ADDRESS=127.0.0.1" \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
    "$LIB_RMQ_BIN/$tool" "$@"
}

# lib_rmq_pid NODE DIR: prints the pid of the node's Erlang VM (from its pid file) if it is alive and really that node:
# a beam process whose environment names NODE (RabbitMQ 3.10 does not put the node name on the command line).
lib_rmq_pid() {
  local node="$1" dir="$2" pid environ
  [[ -n "$STATE" ]] || return 1
  pid="$(lib_pid_from_file "$dir/rabbitmq.pid" beam)" || return 1
  environ="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null)" || return 1
  [[ $'\n'"$environ"$'\n' == *$'\n'"RABBITMQ_NODENAME=$node"$'\n'* ]] || return 1
  printf '%s\n' "$pid"
}

# lib_rmq_write_config DIR PORT [LINE...]: writes the node's rabbitmq.conf (AMQP on 127.0.0.1:PORT; the gateway user
# instead of guest, created on first boot only; LINE... appended), an empty plugin list and env file, the shared Erlang
# cookie (once), and gives the state to the service user.
lib_rmq_write_config() {
  local dir="$1" port="$2" cookie="$STATE/home/.erlang.cookie"
  shift 2
  {
    cat <<EOF
# Written by deploy/local/$LIB_NAME on every start; edits are lost.
listeners.tcp.default = 127.0.0.1:$port
# Created on first boot only (instead of guest). A node that joins a cluster drops its own.
default_user = $LIB_RMQ_USER
default_pass = $LIB_RMQ_PASSWORD
default_vhost = /
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info
EOF
    if (($# > 0)); then printf '%s\n' "$@"; fi
  } >"$dir/rabbitmq.conf"
  printf '[].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  if [[ ! -s "$cookie" ]]; then
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -dc '0-9a-f' >"$cookie")
  fi
  chmod 400 "$cookie"
  if ((EUID == 0)); then chown -R "$SERVICE_USER:" "$STATE"; fi
}

# One check for lib_wait_until: the node has booted (rabbitmqctl await_startup exits 69 until the node has registered
# with epmd, DESIGN.md §13, so it is polled); gives up when the VM, alive before, has gone.
lib_rmq_booted() {
  local rc=0
  lib_rmq_run 30 "$@" rabbitmqctl -q await_startup --timeout 25 >/dev/null 2>&1 || rc=$?
  ((rc != 0)) || return 0
  if lib_rmq_pid "$1" "$2" >/dev/null; then LIB_RMQ_SEEN_PID=1
  elif ((LIB_RMQ_SEEN_PID)); then lib_give_up "node $1 exited during startup"
  fi
  return "$rc"
}

# lib_rmq_wait_booted TIMEOUT NODE DIR DIST: waits until the node has booted; on failure shows the end of its logs.
lib_rmq_wait_booted() {
  local timeout="$1"
  shift
  LIB_RMQ_SEEN_PID=0
  lib_wait_until "$timeout" 1 "node $1 to boot" lib_rmq_booted "$@" && return 0
  lib_log_tail "$2"/log/*.log
  return 1
}

# lib_rmq_ensure_account NODE DIR DIST: default_user only applies to a fresh database; repairs the gateway account if
# an older state lacks it. Users, vhosts and permissions are cluster-wide, so one node of a cluster is enough.
lib_rmq_ensure_account() {
  local ctl=(lib_rmq_run 60 "$@" rabbitmqctl -q)
  if "${ctl[@]}" authenticate_user "$LIB_RMQ_USER" "$LIB_RMQ_PASSWORD" >/dev/null 2>&1; then return 0; fi
  lib_say "creating user '$LIB_RMQ_USER'"
  "${ctl[@]}" add_user "$LIB_RMQ_USER" "$LIB_RMQ_PASSWORD" >/dev/null 2>&1 \
    || "${ctl[@]}" change_password "$LIB_RMQ_USER" "$LIB_RMQ_PASSWORD" >/dev/null
  "${ctl[@]}" set_user_tags "$LIB_RMQ_USER" administrator >/dev/null
  "${ctl[@]}" set_permissions -p / "$LIB_RMQ_USER" '.*' '.*' '.*' >/dev/null
}

# lib_rmq_stop NODE DIR DIST PID: rabbitmqctl stop (waits for the VM to exit), SIGTERM and SIGKILL as fallbacks;
# removes the pid file.
lib_rmq_stop() {
  local pid="$4"
  lib_say "stopping node $1 (pid $pid)"
  lib_rmq_run 90 "$1" "$2" "$3" rabbitmqctl -q stop "$2/rabbitmq.pid" >/dev/null 2>&1 || true
  lib_end_process "$pid"
  rm -f "$2/rabbitmq.pid"
}

# Stops the epmd on EPMD_PORT once no node is registered with it any more: rabbitmq.sh's node and the cluster's nodes
# share it, so the last one to stop ends it.
lib_rmq_stop_epmd() {
  local epmd names found
  if ! epmd="$(command -v epmd 2>/dev/null)"; then
    found=(/usr/lib/erlang/erts-*/bin/epmd)
    epmd="${found[-1]}"
  fi
  [[ -x "$epmd" ]] || return 0
  names="$(ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -names 2>/dev/null)" || return 0
  if ! grep -q '^name ' <<<"$names"; then
    ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -kill >/dev/null 2>&1 || true
  fi
}
