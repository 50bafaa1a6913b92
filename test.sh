#!/usr/bin/env bash
# The one command that runs the whole test suite, also on a fresh Debian machine with only the
# .NET SDK (CI=true, no stdin is fine):
#
#   ./test.sh                                   everything
#   ./test.sh --filter Category=Crypto          extra arguments go to `dotnet test`
#
# 1. Starts RabbitMQ and PostgreSQL with deploy/local/{rabbitmq,postgres}.sh (loopback, ports 5673
#    and 5433, state in .local/) unless the caller already set RABBITMQ_URI / POSTGRES_CONNECTION,
#    and exports those variables for the tests (DESIGN.md §12).
# 2. Installs openssl and chromium from Debian's packages if they are missing (tests call openssl, and
#    the dashboard's browser tests drive chromium), and docker-compose, python3-yaml and systemd
#    (systemd-analyze) for deploy/check-deployment.sh, which the Deployment tests run.
# 3. Runs `dotnet test Gateway.sln -c Release` with a TRX logger into a clean TestResults/ and a
#    hang timeout, then stops whatever it started (also on failure or Ctrl-C).
# 4. Prints, as its very last line, "N passed, N failed" summed over the TRX files, and exits with
#    dotnet test's exit code; it exits non-zero as well when no test ran at all.
set -uo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")" || exit 1
ROOT="$(pwd -P)"
readonly ROOT
readonly RESULTS="$ROOT/TestResults"
readonly HANG_TIMEOUT="${GATEWAY_TEST_HANG_TIMEOUT:-5m}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ -z "${HOME:-}" ]]; then HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"; export HOME; fi

say() { printf 'test.sh: %s\n' "$*" >&2; }

STARTED=()

stop_started() {
  local service
  for service in "${STARTED[@]}"; do
    bash "$ROOT/deploy/local/$service.sh" stop || say "could not stop $service"
  done
  STARTED=()
}

# Prints "N passed, N failed" from the TRX files and exits: with $1, or 1 if no test ran.
finish() {
  local rc="$1" totals passed failed executed files
  trap - INT TERM HUP
  stop_started
  totals="$(find "$RESULTS" -type f -name '*.trx' -exec cat {} + 2>/dev/null | awk '
    function counter(element, name,    text) {
      if (match(element, " " name "=\"[0-9]+\"")) {
        text = substr(element, RSTART, RLENGTH)
        gsub(/[^0-9]/, "", text)
        return text + 0
      }
      return 0
    }
    /<Counters / {
      element = substr($0, index($0, "<Counters "))
      element = substr(element, 1, index(element, ">"))
      passed += counter(element, "passed")
      failed += counter(element, "failed")
      executed += counter(element, "executed")
      files++
    }
    END { printf "%d %d %d %d\n", passed, failed, executed, files }')"
  read -r passed failed executed files <<<"${totals:-0 0 0 0}"
  if ((files == 0 || executed == 0)); then
    say "no test was executed"
    ((rc != 0)) || rc=1
    printf '0 passed, 0 failed\n'
  else
    printf '%d passed, %d failed\n' "$passed" "$failed"
  fi
  exit "$rc"
}

DOTNET_PID=""

on_signal() {
  say "$1"
  if [[ -n "$DOTNET_PID" ]]; then
    kill -TERM "$DOTNET_PID" 2>/dev/null
    wait "$DOTNET_PID" 2>/dev/null
  fi
  finish "$2"
}

trap stop_started EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM HUP

# Starts a local service unless the caller configured one; records it for stopping afterwards.
use_service() {
  local name="$1" variable="$2" script="$ROOT/deploy/local/$1.sh"
  if [[ -n "${!variable:-}" ]]; then
    say "$variable is set: using the caller's $name"
    return 0
  fi
  if ! bash "$script" status >/dev/null 2>&1; then
    STARTED+=("$name")
  else
    say "$name is already running: leaving it running afterwards"
  fi
  bash "$script" start </dev/null || return 1
  eval "$(bash "$script" env)"
  export "${variable?}"
}

as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

ensure_openssl() {
  command -v openssl >/dev/null 2>&1 && return 0
  say "openssl is missing: installing it"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends openssl </dev/null >&2 \
    || { as_root apt-get update -q </dev/null >&2 && as_root apt-get install -y -q --no-install-recommends openssl </dev/null >&2; } \
    || { say "could not install openssl (needs root or passwordless sudo)"; return 1; }
}

# The dashboard's browser tests drive Debian's chromium (DESIGN §13); Playwright's own download fails here.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  say "chromium is missing: installing it"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends chromium </dev/null >&2 \
    || { as_root apt-get update -q </dev/null >&2 && as_root apt-get install -y -q --no-install-recommends chromium </dev/null >&2; } \
    || { say "could not install chromium (needs root or passwordless sudo)"; return 1; }
}

# deploy/check-deployment.sh checks the deployment files with docker-compose, Debian's python3 with python3-yaml, and
# systemd-analyze (package systemd); none of them needs a Docker engine or a running systemd.
ensure_deployment_tools() {
  local missing=()
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  ((${#missing[@]} == 0)) && return 0
  say "${missing[*]} missing: installing"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 \
    || { as_root apt-get update -q </dev/null >&2 && as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; } \
    || { say "could not install ${missing[*]} (needs root or passwordless sudo)"; return 1; }
}

rm -rf -- "$RESULTS"
command -v dotnet >/dev/null 2>&1 || { say "the .NET SDK (dotnet) is not on PATH"; finish 1; }
use_service rabbitmq RABBITMQ_URI || { say "RabbitMQ did not start"; finish 1; }
use_service postgres POSTGRES_CONNECTION || { say "PostgreSQL did not start"; finish 1; }
ensure_openssl || finish 1
ensure_chromium || finish 1
ensure_deployment_tools || finish 1

rc=0
dotnet test "$ROOT/Gateway.sln" -c Release \
  --logger "trx" \
  --results-directory "$RESULTS" \
  --blame-hang-timeout "$HANG_TIMEOUT" \
  --blame-hang-dump-type mini \
  "$@" </dev/null &
# In the background so that a signal reaches our trap at once (not only after dotnet test ends).
DOTNET_PID=$!
wait "$DOTNET_PID" || rc=$?
DOTNET_PID=""
finish "$rc"
