#!/usr/bin/env bash
# Checks the deployment files with tools from Debian's packages; needs no Docker engine, no cluster and no running
# systemd, so it runs in the test suite (Gateway.Tests/Deployment/DeploymentFilesTests.cs) and in CI:
#
#   compose        `docker-compose -f deploy/compose/docker-compose.yml config -q`           (package docker-compose)
#   compose shape  the resolved file: three RabbitMQ nodes sharing the Erlang cookie secret, PostgreSQL, two replicas
#                  of the same node on ports of their own with health checks on /health/ready, node files mounted
#                  read-only, no password written inline                                      (python3-yaml)
#   compose doors  each replica sets Gateway__PeerBindAddress and Gateway__InternalBindAddress (not the former
#                  Gateway__BindAddress), publishes its peer port, and publishes its internal port, if at all, on one
#                  host address: never on every host interface, where a listener bound to 0.0.0.0 in the container
#                  would be open to anyone who reaches the host
#   k8s            every YAML document in deploy/k8s parses; every container of every Deployment and StatefulSet has
#                  liveness and readiness probes and resource requests and limits; the gateway pods carry the
#                  prometheus.io scrape annotations and probe /health/live and /health/ready over HTTPS (python3-yaml)
#   k8s doors      the gateway's settings name both bind addresses (not Gateway__BindAddress); a NetworkPolicy selects
#                  the gateway pods and admits from any address the peer port only, the internal port only from
#                  selected namespaces or pods; no Service of type LoadBalancer or NodePort, no externalIPs and no
#                  hostPort leads to the internal port
#   systemd        `systemd-analyze verify deploy/systemd/referral-gateway.service`, where any warning about the unit
#                  counts as a failure (verify itself exits 0 on unknown keys and unparsable values) (package systemd)
#   systemd security  `systemd-analyze security --offline=true` of the unit: exposure at most 3.0 ("OK")
#   systemd doors  deploy/systemd/referral-gateway.env sets both bind addresses (not Gateway__BindAddress), the internal
#                  one to an address of its own, never 0.0.0.0 or ::, since a VM has no other door than its firewall
#   dockerfile     deploy/docker/Dockerfile: built with the SDK image by `dotnet publish Gateway.Service -c Release`,
#                  run on the aspnet image as a non-root user with `dotnet gateway.dll run`, no key file copied in; it
#                  sets both bind addresses (not Gateway__BindAddress), the internal one not to every interface
#
#   deploy/check-deployment.sh [--compose FILE] [--k8s DIR] [--unit FILE] [--env FILE] [--dockerfile FILE]
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
ENV_FILE="$ROOT/deploy/systemd/referral-gateway.env"
DOCKERFILE="$ROOT/deploy/docker/Dockerfile"
# Debian's interpreter, where python3-yaml installs (a python3 earlier on PATH may be another one).
readonly PYTHON=/usr/bin/python3
readonly MAX_EXPOSURE=3.0

# What every shape's doors check shares (issue #18), prepended to the Python of those checks.
DOORS_PY="$(cat <<'PY'
import ipaddress

def everywhere(address):
    """0.0.0.0, ::, * or nothing: every interface."""
    address = str(address or "").strip("[]")
    try:
        return address in ("", "*") or ipaddress.ip_address(address).is_unspecified
    except ValueError:
        return False

def address_problems(env, where):
    """The bind addresses in the settings `env`: both set deliberately, not the former single one."""
    problems = []
    if "Gateway__BindAddress" in env:
        problems.append(f"{where}: Gateway__BindAddress is set, the former single address; set Gateway__PeerBindAddress and Gateway__InternalBindAddress")
    problems += [f"{where}: {key} is not set (each listener's address is set deliberately)"
                 for key in ("Gateway__PeerBindAddress", "Gateway__InternalBindAddress") if not env.get(key)]
    return problems

def read_text(path):
    """The file's text, or the reason it cannot be read as the check's one line, exit 1."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        print(f"cannot read {path} ({error.strerror})")
        raise SystemExit(1)
PY
)"
readonly DOORS_PY

usage() { printf 'usage: %s [--compose FILE] [--k8s DIR] [--unit FILE] [--env FILE] [--dockerfile FILE]\n' "$0" >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --compose) (($# > 1)) || usage; COMPOSE_FILE="$2"; shift 2 ;;
    --k8s) (($# > 1)) || usage; K8S_DIR="$2"; shift 2 ;;
    --unit) (($# > 1)) || usage; UNIT_FILE="$2"; shift 2 ;;
    --env) (($# > 1)) || usage; ENV_FILE="$2"; shift 2 ;;
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
  # One program for both compose checks: `shape` (the services) and `doors` (the listeners' addresses).
  local program
  program="$(cat <<'PY'
import re, sys, yaml

mode, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as handle:
    compose = yaml.safe_load(handle)
services = compose.get("services") or {}
gateways = sorted(name for name, service in services.items() if str(service.get("image", "")).startswith("referral-gateway"))
problems = []

def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}

def secrets(service):
    return {item["source"] if isinstance(item, dict) else item for item in service.get("secrets") or []}

def published(entry):
    """(host address, target port) of a `ports:` entry, short ("[host:]published:target[/proto]") or long syntax."""
    if isinstance(entry, dict):
        return str(entry.get("host_ip") or ""), str(entry.get("target"))
    parts = str(entry).split("/")[0].rsplit(":", 2)
    return (parts[0] if len(parts) == 3 else ""), parts[-1]

def shape():
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
    return (f"{len(brokers)} RabbitMQ nodes sharing the Erlang cookie, PostgreSQL, {len(gateways)} replicas of node {node} "
            f"(peer/internal ports {described}), health checks on /health/ready, node files read-only, no password inline"
            if not problems else f"{len(problems)} problem(s) in the resolved compose file")

def doors():
    if not gateways:
        problems.append("no referral-gateway service")
    binds, hosts = set(), set()
    for name in gateways:
        service = services[name]
        env = environment(service)
        problems.extend(address_problems(env, name))
        binds.add((env.get("Gateway__PeerBindAddress"), env.get("Gateway__InternalBindAddress")))
        peer_port, internal_port = env.get("Gateway__PeerPort"), env.get("Gateway__InternalPort")
        peer_published = False
        for entry in service.get("ports") or []:
            host, target = published(entry)
            if target == internal_port:
                if everywhere(host):
                    shown = entry if not isinstance(entry, dict) else f"{entry.get('host_ip') or '*'}:{entry.get('published')}:{entry.get('target')}"
                    problems.append(f"{name}: the internal port {internal_port} is published on every host interface ({shown}); "
                                    f"with the internal listener bound to {env.get('Gateway__InternalBindAddress') or '?'} that opens it to anyone who reaches the host: "
                                    "publish it on one address the organisation reaches")
                else:
                    hosts.add(host)
            if target == peer_port:
                peer_published = True
        if not peer_published:
            problems.append(f"{name}: its peer port {peer_port} is not published")

    described = ", ".join(f"peer listener on {peer}, internal listener on {internal}" for peer, internal in sorted(binds, key=str))
    return (f"{len(gateways)} replicas: {described} in the container; internal ports published only on {', '.join(sorted(hosts)) or 'no host address'}"
            if not problems else f"{len(problems)} problem(s) with the listeners' addresses in the resolved compose file")

print(shape() if mode == "shape" else doors())
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  output="$("$PYTHON" -c "$DOORS_PY"$'\n'"$program" shape "$SCRATCH/compose.yml")"
  report "compose shape" $? "$output"
  output="$("$PYTHON" -c "$DOORS_PY"$'\n'"$program" doors "$SCRATCH/compose.yml")"
  report "compose doors" $? "$output"
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

  local program
  program="$(cat <<'PY'
import glob, os, sys, yaml

directory, root = sys.argv[1], sys.argv[2]
shown = os.path.relpath(directory, root) if os.path.abspath(directory).startswith(root + os.sep) else directory
documents = []
for path in sorted(glob.glob(os.path.join(directory, "**", "*.yaml"), recursive=True) + glob.glob(os.path.join(directory, "**", "*.yml"), recursive=True)):
    try:
        with open(path, encoding="utf-8") as handle:
            documents += [document for document in yaml.safe_load_all(handle) if isinstance(document, dict)]
    except yaml.YAMLError:
        pass  # the k8s check reports it
problems = []
GATEWAY = "referral-gateway"

def named(kind):
    return [document for document in documents if document.get("kind") == kind]

def name(document):
    return (document.get("metadata") or {}).get("name", "?")

def matches(wanted, labels):
    """Whether pods with these labels carry every wanted label; nothing wanted matches every pod."""
    return all(labels.get(key) == value for key, value in (wanted or {}).items())

def restricted(source):
    """A `from` entry that names namespaces or pods by label, not an address block or everyone."""
    selectors = [source[key] or {} for key in ("namespaceSelector", "podSelector") if key in source]
    return "ipBlock" not in source and any(selector.get("matchLabels") or selector.get("matchExpressions") for selector in selectors)

# The gateway pods: their labels, container ports (name -> number) and settings (ConfigMaps by envFrom, env values).
pods = [(document, ((document.get("spec") or {}).get("template") or {})) for document in named("Deployment") + named("StatefulSet")]
pods = [(document, template) for document, template in pods if ((template.get("metadata") or {}).get("labels") or {}).get("app.kubernetes.io/name") == GATEWAY]
labels, ports, env, host_ports = {}, {}, {}, []
maps = {name(document): document.get("data") or {} for document in named("ConfigMap")}
for document, template in pods:
    labels = (template.get("metadata") or {}).get("labels") or {}
    for container in (template.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            ports[str(port.get("name"))] = str(port.get("containerPort"))
            if port.get("hostPort"):
                host_ports.append((container.get("name", "?"), str(port.get("containerPort"))))
        for source in container.get("envFrom") or []:
            env.update({key: str(value) for key, value in maps.get((source.get("configMapRef") or {}).get("name"), {}).items()})
        env.update({item["name"]: str(item["value"]) for item in container.get("env") or [] if "value" in item})
peer = env.get("Gateway__PeerPort") or ports.get("peer")
internal = env.get("Gateway__InternalPort") or ports.get("internal")

def resolve(port):
    return ports.get(str(port), str(port))

if not pods:
    problems.append(f"no Deployment or StatefulSet with pods labelled app.kubernetes.io/name={GATEWAY}")
if pods:
    problems += address_problems(env, "the gateway's settings")
for container, port in host_ports:
    if port == internal:
        problems.append(f"container {container} publishes the internal port {port} on its node (hostPort)")

# Services that lead outside the cluster may lead to the peer port only.
outside = []
for service in named("Service"):
    spec = service.get("spec") or {}
    if not spec.get("selector") or not matches(spec["selector"], labels):
        continue
    kind = spec.get("type", "ClusterIP")
    if kind in ("LoadBalancer", "NodePort") or spec.get("externalIPs"):
        outside.append(name(service))
        for port in spec.get("ports") or []:
            if resolve(port.get("targetPort", port.get("port"))) != peer:
                problems.append(f"Service/{name(service)} ({kind}{', externalIPs' if spec.get('externalIPs') else ''}) leads port {port.get('port')} to "
                                f"{port.get('targetPort', port.get('port'))}, not the peer port {peer}: only the peer listener may leave the cluster")

# NetworkPolicies over the gateway pods: from any address the peer port only; the internal port from selected namespaces or pods only.
policies = [policy for policy in named("NetworkPolicy")
            if matches(((policy.get("spec") or {}).get("podSelector") or {}).get("matchLabels"), labels)
            and "Ingress" in ((policy.get("spec") or {}).get("policyTypes") or ["Ingress"])]
if pods and not policies:
    problems.append(f"no NetworkPolicy restricts ingress to the {GATEWAY} pods: every port, the internal one included, is open to any pod and address")
peer_open, internal_admitted = False, False
for policy in policies:
    for number, rule in enumerate((policy.get("spec") or {}).get("ingress") or []):
        sources = rule.get("from") or []
        anyone = not sources or not all(restricted(source) for source in sources)
        admitted = {resolve(port.get("port")) for port in rule.get("ports") or []} or {"every port"}
        where = f"NetworkPolicy/{name(policy)} ingress[{number}]"
        if anyone and admitted != {peer}:
            problems.append(f"{where} admits {', '.join(sorted(admitted))} from any address: only the peer port {peer} may be open to partners")
        peer_open |= anyone and peer in admitted
        internal_admitted |= not anyone and (internal in admitted or "every port" in admitted)
if policies and not peer_open:
    problems.append(f"no NetworkPolicy rule admits partners to the peer port {peer}")

print(f"the {GATEWAY} pods bind the peer listener to {env.get('Gateway__PeerBindAddress')} and the internal listener to {env.get('Gateway__InternalBindAddress')}; "
      f"NetworkPolicy {', '.join(name(policy) for policy in policies)} admits only the peer port {peer} from any address"
      f"{f' and the internal port {internal} from selected namespaces' if internal_admitted else ''}; only the peer port leaves the cluster"
      f"{f' (Service {chr(44).join(outside)})' if outside else ''}"
      if not problems else f"{len(problems)} problem(s) with the listeners' doors in {shown}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  output="$("$PYTHON" -c "$DOORS_PY"$'\n'"$program" "$K8S_DIR" "$ROOT")"
  report "k8s doors" $? "$output"
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

check_systemd_doors() {
  local output program
  program="$(cat <<'PY'
import sys

path = sys.argv[1]
# systemd's EnvironmentFile: KEY=VALUE lines, # comments, optional quotes.
env = {}
for line in read_text(path).splitlines():
    line = line.strip()
    if line and not line.startswith(("#", ";")) and "=" in line:
        key, _, value = line.partition("=")
        env[key.strip()] = value.strip().strip('"').strip("'")

problems = address_problems(env, "the environment file")
internal = env.get("Gateway__InternalBindAddress")
if internal and everywhere(internal):
    problems.append(f"the environment file: Gateway__InternalBindAddress={internal} opens the internal listener on every interface of the VM; "
                    "use loopback or the address of the interface only the organisation reaches")
print(f"peer listener on {env.get('Gateway__PeerBindAddress')}, internal listener on {internal}"
      if not problems else f"{len(problems)} problem(s) in {path}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  output="$("$PYTHON" -c "$DOORS_PY"$'\n'"$program" "$ENV_FILE")"
  report "systemd doors" $? "$output"
}

check_dockerfile() {
  local output program
  program="$(cat <<'PY'
import json, re, sys

path = sys.argv[1]
text = read_text(path)
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
# ENV of the runtime stage, in either form: `ENV KEY=VALUE ...` or `ENV KEY VALUE`.
env = {}
for keyword, rest in instructions[last:]:
    if keyword == "ENV":
        pairs = re.findall(r'(\S+?)=("[^"]*"|\S*)', rest) if "=" in rest.split()[0] else [tuple(rest.split(None, 1))]
        env.update({key: value.strip('"') for key, value in pairs})
problems += address_problems(env, "the runtime stage's ENV")
if "Gateway__InternalBindAddress" in env and everywhere(env["Gateway__InternalBindAddress"]):
    problems.append(f"Gateway__InternalBindAddress is {env.get('Gateway__InternalBindAddress')!r}: the image would open its internal listener "
                    "on every interface of the container; leave that to a deployment that guards it")
print(f"{len(stages)} stages: publish with the SDK, run on aspnet as user {users[-1] if users else '?'}, ENTRYPOINT dotnet gateway.dll run, "
      f"peer listener on {env.get('Gateway__PeerBindAddress')}, internal listener on {env.get('Gateway__InternalBindAddress')}"
      if not problems else f"{len(problems)} problem(s) in {path}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"
  output="$("$PYTHON" -c "$DOORS_PY"$'\n'"$program" "$DOCKERFILE")"
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
check_systemd_doors
check_dockerfile
exit "$FAILED"
