#!/usr/bin/env bash
# Checks the deployment files with tools from Debian's packages; needs no Docker engine, no cluster and no running
# systemd, so it runs in the test suite (Gateway.Tests/Deployment/DeploymentFilesTests.cs) and in CI:
#
#   compose        `docker-compose -f deploy/compose/docker-compose.yml config -q`           (package docker-compose)
#   compose shape  the resolved file: three RabbitMQ nodes sharing the Erlang cookie secret, PostgreSQL, two replicas
#                  of the same node on ports of their own with health checks on /health/ready, node files mounted
#                  read-only, no password written inline                                      (python3-yaml)
#   k8s            every YAML document in deploy/k8s parses; every container of every Deployment and StatefulSet has
#                  liveness and readiness probes and resource requests and limits; the gateway pods carry the
#                  prometheus.io scrape annotations and probe /health/live and /health/ready over HTTPS (python3-yaml)
#   systemd        `systemd-analyze verify deploy/systemd/referral-gateway.service`, where any warning about the unit
#                  counts as a failure (verify itself exits 0 on unknown keys and unparsable values) (package systemd)
#   systemd security  `systemd-analyze security --offline=true` of the unit: exposure at most 3.0 ("OK")
#   dockerfile     deploy/docker/Dockerfile: built with the SDK image by `dotnet publish Gateway.Service -c Release`,
#                  run on the aspnet image as a non-root user with `dotnet gateway.dll run`, no key file copied in
#
#   deploy/check-deployment.sh [--compose FILE] [--k8s DIR] [--unit FILE] [--dockerfile FILE]
#
# Prints one line per check, "ok   <check>: ..." or "FAIL <check>: ...", the reasons of a failure indented below it,
# and exits 1 if any check failed, 2 on a usage error. Missing packages are installed with apt-get (as root, or with
# passwordless sudo), as test.sh does for openssl.
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly ROOT
COMPOSE_FILE="$ROOT/deploy/compose/docker-compose.yml"
K8S_DIR="$ROOT/deploy/k8s"
UNIT_FILE="$ROOT/deploy/systemd/referral-gateway.service"
DOCKERFILE="$ROOT/deploy/docker/Dockerfile"
# Debian's interpreter, where python3-yaml installs (a python3 earlier on PATH may be another one).
readonly PYTHON=/usr/bin/python3
readonly MAX_EXPOSURE=3.0

usage() { printf 'usage: %s [--compose FILE] [--k8s DIR] [--unit FILE] [--dockerfile FILE]\n' "$0" >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --compose) (($# > 1)) || usage; COMPOSE_FILE="$2"; shift 2 ;;
    --k8s) (($# > 1)) || usage; K8S_DIR="$2"; shift 2 ;;
    --unit) (($# > 1)) || usage; UNIT_FILE="$2"; shift 2 ;;
    --dockerfile) (($# > 1)) || usage; DOCKERFILE="$2"; shift 2 ;;
    *) usage ;;
  esac
done

say() { printf 'check-deployment.sh: %s\n' "$*" >&2; }

FAILED=0
SCRATCH="$(mktemp -d)"
trap 'rm -rf -- "$SCRATCH"' EXIT

# report NAME RC OUTPUT: the first line of OUTPUT is the summary, the others the reasons.
report() {
  local name="$1" rc="$2" output="$3" summary line
  summary="${output%%$'\n'*}"
  if ((rc == 0)); then
    printf 'ok   %s: %s\n' "$name" "$summary"
  else
    FAILED=1
    printf 'FAIL %s: %s\n' "$name" "$summary"
  fi
  if [[ "$output" == *$'\n'* ]]; then
    while IFS= read -r line; do
      [[ -n "$line" ]] && printf '       %s\n' "$line"
    done <<<"${output#*$'\n'}"
  fi
}

as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

# ensure_package PACKAGE TEST...: installs PACKAGE from Debian's packages unless TEST succeeds.
ensure_package() {
  local package="$1"
  shift
  "$@" >/dev/null 2>&1 && return 0
  say "$package is missing: installing it"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends "$package" </dev/null >&2 \
    || { as_root apt-get update -q </dev/null >&2 && as_root apt-get install -y -q --no-install-recommends "$package" </dev/null >&2; } \
    || { say "could not install $package (needs root or passwordless sudo)"; return 1; }
  "$@" >/dev/null 2>&1
}

check_compose() {
  local output rc
  if ! ensure_package docker-compose command -v docker-compose; then
    report compose 1 "docker-compose is not installed and could not be installed (package docker-compose)"
    return
  fi
  output="$(docker-compose -f "$COMPOSE_FILE" config -q 2>&1)"
  rc=$?
  if ((rc == 0)); then
    report compose 0 "docker-compose config -q ${COMPOSE_FILE#"$ROOT/"}"
  else
    report compose "$rc" "docker-compose config -q ${COMPOSE_FILE#"$ROOT/"} exited $rc"$'\n'"$output"
    return
  fi

  # The shape, read from the file as docker-compose resolves it (anchors merged, variables at their defaults).
  if ! docker-compose -f "$COMPOSE_FILE" config >"$SCRATCH/compose.yml" 2>"$SCRATCH/compose.err"; then
    report "compose shape" 1 "docker-compose config could not resolve the file"$'\n'"$(cat "$SCRATCH/compose.err")"
    return
  fi
  output="$("$PYTHON" - "$SCRATCH/compose.yml" <<'PY'
import re, sys, yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    compose = yaml.safe_load(handle)
services = compose.get("services") or {}
problems = []

def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}

def secrets(service):
    return {item["source"] if isinstance(item, dict) else item for item in service.get("secrets") or []}

brokers = sorted(name for name, service in services.items() if str(service.get("image", "")).startswith("rabbitmq:3"))
if len(brokers) != 3:
    problems.append(f"expected three rabbitmq:3.x services, found {len(brokers)}: {', '.join(brokers) or 'none'}")
for name in brokers:
    if "erlang_cookie" not in secrets(services[name]):
        problems.append(f"{name}: does not receive the shared Erlang cookie (secret erlang_cookie)")
    if "healthcheck" not in services[name]:
        problems.append(f"{name}: no healthcheck")
if not any(str(service.get("image", "")).startswith("postgres:") for service in services.values()):
    problems.append("no postgres service")

gateways = sorted(name for name, service in services.items() if str(service.get("image", "")).startswith("referral-gateway"))
if len(gateways) != 2:
    problems.append(f"expected two referral-gateway replicas, found {len(gateways)}: {', '.join(gateways) or 'none'}")
nodes, ports = set(), []
for name in gateways:
    service = services[name]
    env = environment(service)
    nodes.add(env.get("Gateway__NodeId"))
    ports.append((env.get("Gateway__PeerPort"), env.get("Gateway__InternalPort")))
    if env.get("Gateway__Storage") != "Postgres":
        problems.append(f"{name}: Gateway__Storage is not Postgres")
    if not env.get("Gateway__RabbitMqClusterNodes__0"):
        problems.append(f"{name}: no Gateway__RabbitMqClusterNodes__0")
    test = " ".join(map(str, (service.get("healthcheck") or {}).get("test") or []))
    if "/health/ready" not in test:
        problems.append(f"{name}: its healthcheck does not ask /health/ready")
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            bind = volume.get("type") == "bind"
            read_only = volume.get("read_only", False)
            target = volume.get("target")
        else:
            parts = str(volume).split(":")
            bind = len(parts) > 1 and parts[0].startswith(("/", "."))
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
            target = parts[1] if len(parts) > 1 else parts[0]
        if bind and not read_only:
            problems.append(f"{name}: {target} is mounted writable (certificates, keys and settings are mounted read-only)")
    for key, value in env.items():
        if re.search(r"password\s*=|://[^/@\s]*:[^/@\s]+@", value, re.IGNORECASE):
            problems.append(f"{name}: {key} holds a password inline (passwords come from files)")
if len(nodes) > 1:
    problems.append(f"the replicas serve different nodes: {sorted(map(str, nodes))}")
if len(set(ports)) != len(ports):
    problems.append(f"the replicas share ports: {ports}")

node = next(iter(nodes), None)
described = ", ".join(f"{peer}/{internal}" for peer, internal in ports)
print(f"{len(brokers)} RabbitMQ nodes sharing the Erlang cookie, PostgreSQL, {len(gateways)} replicas of node {node} "
      f"(peer/internal ports {described}), health checks on /health/ready, node files read-only, no password inline"
      if not problems else f"{len(problems)} problem(s) in the resolved compose file")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  report "compose shape" $? "$output"
}

check_k8s() {
  local output
  output="$("$PYTHON" - "$K8S_DIR" "$ROOT" <<'PY'
import glob, os, sys, yaml

directory, root = sys.argv[1], sys.argv[2]
shown = os.path.relpath(directory, root) if os.path.abspath(directory).startswith(root + os.sep) else directory
files = sorted(glob.glob(os.path.join(directory, "**", "*.yaml"), recursive=True) + glob.glob(os.path.join(directory, "**", "*.yml"), recursive=True))
problems, documents, workloads, gateway_pods = [], 0, 0, 0
GATEWAY = "referral-gateway"
SCRAPE = {"prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/scheme": "https"}

def probe_problems(where, container, kind, path):
    probe = container.get(kind) or {}
    get = probe.get("httpGet") or {}
    if get.get("path") != path or str(get.get("scheme", "HTTP")).upper() != "HTTPS":
        problems.append(f"{where}: {kind} is not an HTTPS GET of {path}")

if not files:
    problems.append(f"no YAML file in {shown}")
for path in files:
    name = os.path.relpath(path, directory)
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = [document for document in yaml.safe_load_all(handle) if document is not None]
    except yaml.YAMLError as error:
        problems.append(f"{name}: not valid YAML ({str(error).splitlines()[0]})")
        continue
    for document in loaded:
        documents += 1
        if not isinstance(document, dict) or "kind" not in document or "apiVersion" not in document:
            problems.append(f"{name}: a document without kind and apiVersion")
            continue
        if document["kind"] not in ("Deployment", "StatefulSet"):
            continue
        workloads += 1
        resource = f"{name} {document['kind']}/{(document.get('metadata') or {}).get('name', '?')}"
        template = (document.get("spec") or {}).get("template") or {}
        metadata = template.get("metadata") or {}
        pod = template.get("spec") or {}
        containers = pod.get("containers") or []
        if not containers:
            problems.append(f"{resource}: no containers")
        for container in containers:
            where = f"{resource} container {container.get('name', '?')}"
            for probe in ("livenessProbe", "readinessProbe"):
                if not container.get(probe):
                    problems.append(f"{where}: no {probe}")
            resources = container.get("resources") or {}
            for bound in ("requests", "limits"):
                for quantity in ("cpu", "memory"):
                    if not (resources.get(bound) or {}).get(quantity):
                        problems.append(f"{where}: no resources.{bound}.{quantity}")
        if (metadata.get("labels") or {}).get("app.kubernetes.io/name") != GATEWAY:
            continue
        gateway_pods += 1
        annotations = metadata.get("annotations") or {}
        for key, value in SCRAPE.items():
            if str(annotations.get(key)) != value:
                problems.append(f"{resource}: pod annotation {key} is {annotations.get(key)!r}, expected {value!r}")
        ports = {str(port.get("containerPort")) for container in containers for port in container.get("ports") or []}
        if str(annotations.get("prometheus.io/port")) not in ports:
            problems.append(f"{resource}: pod annotation prometheus.io/port {annotations.get('prometheus.io/port')!r} is not a container port")
        for container in containers:
            where = f"{resource} container {container.get('name', '?')}"
            probe_problems(where, container, "livenessProbe", "/health/live")
            probe_problems(where, container, "readinessProbe", "/health/ready")
if files and gateway_pods == 0:
    problems.append(f"no Deployment or StatefulSet with pods labelled app.kubernetes.io/name={GATEWAY}")

print(f"{documents} documents in {len(files)} files; every container of the {workloads} Deployment(s)/StatefulSet(s) has "
      f"liveness and readiness probes and resource requests and limits; the {GATEWAY} pods carry the prometheus scrape "
      f"annotations and probe /health/live and /health/ready over HTTPS"
      if not problems else f"{len(problems)} problem(s) in {shown}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  report k8s $? "$output"
}

check_systemd() {
  local name copy executable stand_in note="" output rc
  if ! ensure_package systemd command -v systemd-analyze; then
    report systemd 1 "systemd-analyze is not installed and could not be installed (package systemd)"
    return
  fi

  # Verify a copy under the unit's own name. ExecStart names the binary on the VM (/usr/bin/dotnet); where this
  # machine has no such file, verify would only complain about that, so the copy points ExecStart at a binary that
  # exists here (dotnet, else /bin/true) with the same arguments: the unit's syntax and directives are what is checked.
  name="$(basename -- "$UNIT_FILE")"
  copy="$SCRATCH/$name"
  cp -- "$UNIT_FILE" "$copy" || { report systemd 1 "cannot read $UNIT_FILE"; return; }
  executable="$(sed -n 's/^ExecStart=[-@:+!]*\([^[:space:]]*\).*/\1/p' "$copy" | head -n 1)"
  if [[ -n "$executable" && ! -x "$executable" ]]; then
    stand_in="$(command -v dotnet || command -v true)"
    sed -i "s#^\(ExecStart=[-@:+!]*\)$executable#\1$stand_in#" "$copy"
    note=" ($executable is not on this machine: verified with $stand_in in its place)"
  fi
  output="$(systemd-analyze verify "$copy" 2>&1)"
  rc=$?
  # verify exits 0 after "Unknown key" or "Failed to parse" warnings: any line about the unit is a failure.
  if ((rc == 0)) && grep -q -- "$name" <<<"$output"; then rc=1; fi
  if ((rc == 0)); then
    report systemd 0 "systemd-analyze verify ${UNIT_FILE#"$ROOT/"}$note"
  else
    report systemd 1 "systemd-analyze verify ${UNIT_FILE#"$ROOT/"}$note reported problems"$'\n'"${output//$SCRATCH\//}"
    return
  fi

  if ! output="$(systemd-analyze security --offline=true --no-pager "$copy" 2>&1)"; then
    report "systemd security" 1 "systemd-analyze security --offline=true failed"$'\n'"$output"
    return
  fi
  local exposure
  exposure="$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$output" | tail -n 1)"
  if [[ -z "$exposure" ]]; then
    report "systemd security" 1 "no exposure level in the output of systemd-analyze security"
  elif awk -v e="$exposure" -v max="$MAX_EXPOSURE" 'BEGIN { exit !(e <= max) }'; then
    report "systemd security" 0 "exposure level $exposure (at most $MAX_EXPOSURE)"
  else
    report "systemd security" 1 "exposure level $exposure is above $MAX_EXPOSURE"$'\n'"$(grep '✗' <<<"$output" | head -n 20)"
  fi
}

check_dockerfile() {
  local output
  output="$("$PYTHON" - "$DOCKERFILE" <<'PY'
import json, re, sys

path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
except OSError as error:
    print(f"cannot read {path} ({error.strerror})")
    sys.exit(1)
# Instructions with their continuation lines joined, comments dropped.
instructions = []
for line in re.sub(r"\\\n", " ", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))).splitlines():
    if line.strip():
        keyword, _, rest = line.strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
problems = []
stages = [rest for keyword, rest in instructions if keyword == "FROM"]
if len(stages) < 2:
    problems.append("not a multi-stage build")
if not stages or "mcr.microsoft.com/dotnet/sdk:" not in stages[0]:
    problems.append("the first stage is not the .NET SDK image")
if not stages or "mcr.microsoft.com/dotnet/aspnet:" not in stages[-1]:
    problems.append("the last stage is not the ASP.NET Core runtime image")
if not any(keyword == "RUN" and re.search(r"dotnet publish Gateway\.Service -c Release\b", rest) for keyword, rest in instructions):
    problems.append("no `dotnet publish Gateway.Service -c Release`")
last = max((i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"), default=0)
users = [rest for keyword, rest in instructions[last:] if keyword == "USER"]
if not users or users[-1].split(":")[0] in ("root", "0"):
    problems.append("the runtime stage does not switch to a non-root USER")
entrypoints = [rest for keyword, rest in instructions[last:] if keyword == "ENTRYPOINT"]
try:
    entrypoint = json.loads(entrypoints[-1]) if entrypoints else None
except ValueError:
    entrypoint = None
if entrypoint != ["dotnet", "gateway.dll", "run"]:
    problems.append(f"ENTRYPOINT is {entrypoints[-1] if entrypoints else 'missing'}, expected [\"dotnet\", \"gateway.dll\", \"run\"]")
for keyword, rest in instructions:
    if keyword in ("COPY", "ADD") and re.search(r"\.(key|p12|pfx|pem)\b|secrets?/", rest):
        problems.append(f"{keyword} {rest}: key material must be mounted at run time, never copied into the image")
print(f"{len(stages)} stages: publish with the SDK, run on aspnet as user {users[-1] if users else '?'}, ENTRYPOINT dotnet gateway.dll run"
      if not problems else f"{len(problems)} problem(s) in {path}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  report dockerfile $? "$output"
}

if ! ensure_package python3-yaml "$PYTHON" -c 'import yaml'; then
  report "compose shape" 1 "python3-yaml is not installed and could not be installed"
  report k8s 1 "python3-yaml is not installed and could not be installed"
  report dockerfile 1 "python3 is not installed and could not be installed"
  check_systemd
  exit 1
fi

check_compose
check_k8s
check_systemd
check_dockerfile
exit "$FAILED"
