#!/usr/bin/env bash
# Usage: scripts/legs.sh start LEG | stop LEG | prepare | list   (as root)
# The engines the end-to-end tests run on ("legs"):
#   legacy             Debian 12's Docker 20.10 + buildx 0.13: the machine's own dockerd (scripts/dockerd.sh)
#   modern             Docker 28.5 + buildx 0.29 (Debian sid), overlay2 image store: a private dockerd
#   modern-containerd  the same engine with the containerd image store: a second private dockerd
# start: makes sure the leg's daemon answers (starting it if needed) and prints, as KEY=VALUE lines,
#        what a docker CLI needs to talk to it: DOCKER_HOST, the PATH prefix holding its docker CLI,
#        its buildx plugin, and what the engine can do (multi-platform builds).
# stop:  stops a private daemon this script started (the legacy leg's shared dockerd keeps running).
# prepare: the machine-wide set-up every leg shares (binfmt_misc mounted, qemu-aarch64 registered),
#        done once before legs start side by side; start runs it too, so one leg alone works. It holds
#        a lock, so two starts at once never race over the kernel's binfmt_misc.
# A private daemon has its own socket, data-root, exec-root, pidfile and bridge, so it never touches
# the machine's dockerd or another leg's. Env: TOOLS_DIR (default /opt/bpa-tools), BPA_LEGS_DIR
# (default /var/lib/bpa-legs: daemon data), BPA_LEGS_RUN (default /run/bpa-legs: sockets, exec roots).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
TOOLS_DIR="${TOOLS_DIR:-/opt/bpa-tools}"
MODERN="$TOOLS_DIR/modern"
DATA="${BPA_LEGS_DIR:-/var/lib/bpa-legs}"
RUN="${BPA_LEGS_RUN:-/run/bpa-legs}"
LEGS="legacy modern modern-containerd"

die() { echo "legs.sh: $*" >&2; exit 1; }

# $1 leg -> "bridge address/prefix containerd-store(true|false)"
private_leg() {
  case "$1" in
    modern) echo "bpa-mod0 10.231.0.1/24 false" ;;
    modern-containerd) echo "bpa-modc0 10.231.1.1/24 true" ;;
    *) return 1 ;;
  esac
}

# arm64 binaries run through qemu-user-static (binfmt_misc, with the F flag so containers need no qemu).
# binfmt_misc is one per machine: the lock makes a second caller wait and then find the work done.
prepare_machine() {
  local conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  [ -f "$conf" ] || die "qemu-user-static is not installed; run (as root): scripts/setup-docker.sh"
  mkdir -p "$RUN"
  exec {lock}>"$RUN/prepare.lock"
  flock "$lock"
  [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || die "cannot mount /proc/sys/fs/binfmt_misc (arm64 builds need it)"
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || cat "$conf" >/proc/sys/fs/binfmt_misc/register \
    || die "cannot register qemu-aarch64 in binfmt_misc"
  flock --unlock "$lock"
  exec {lock}>&-
}

# $1 socket: the daemon answers there with the modern CLI.
answers() { DOCKER_HOST="unix://$1" "$MODERN/bin/docker" info >/dev/null 2>&1; }

start_private() {
  local leg="$1" bridge cidr containerd_store
  read -r bridge cidr containerd_store <<<"$(private_leg "$leg")"
  local sock="$RUN/$leg.sock" exec_root="$RUN/$leg" pidfile="$RUN/$leg.pid" log="$DATA/$leg.log"
  local config="$DATA/$leg.json"
  for f in dockerd docker containerd containerd-shim-runc-v2 docker-proxy; do
    [ -x "$MODERN/bin/$f" ] || die "$MODERN/bin/$f is missing; run (as root): scripts/setup-docker.sh"
  done
  [ -x "$MODERN/cli-plugins/docker-buildx" ] || die "$MODERN/cli-plugins/docker-buildx is missing; run (as root): scripts/setup-docker.sh"
  command -v runc >/dev/null || die "runc is missing (package runc); run (as root): scripts/setup-docker.sh"
  prepare_machine
  if answers "$sock"; then return 0; fi
  [ "$(id -u)" -eq 0 ] || die "must run as root to start the $leg dockerd"
  stop_private "$leg" >/dev/null
  mkdir -p "$DATA/$leg" "$RUN"
  # Its own bridge: two daemons never share one, and --bridge=none would delete the host's docker0.
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge || die "cannot create bridge $bridge"
  fi
  # grep reads all of ip's output (no -q): with pipefail, an ip that a quitting grep cut off (SIGPIPE)
  # would fail the test and add the address twice ("Address already assigned"), seen under load.
  ip addr show dev "$bridge" | grep -F "inet $cidr " >/dev/null || ip addr add "$cidr" dev "$bridge"
  ip link set "$bridge" up
  printf '{"features": {"containerd-snapshotter": %s}}\n' "$containerd_store" >"$config"
  # The sid prefix first on PATH: dockerd starts its own containerd (2.1) from PATH; runc is Debian 12's.
  # shellcheck disable=SC2016
  PATH="$MODERN/bin:$PATH" setsid nohup "$MODERN/bin/dockerd" \
    --config-file "$config" --host "unix://$sock" --data-root "$DATA/$leg" --exec-root "$exec_root" \
    --pidfile "$pidfile" --bridge "$bridge" --iptables=false --ip6tables=false --ip-masq=false \
    >"$log" 2>&1 </dev/null &
  local launcher=$!
  for _ in $(seq 120); do
    answers "$sock" && return 0
    if ! kill -0 "$launcher" 2>/dev/null; then break; fi
    sleep 0.5
  done
  grep -v 'module=grpc' "$log" | tail -n 20 >&2 || true
  die "the $leg dockerd did not start (log: $log)"
}

stop_private() {
  local leg="$1" pidfile="$RUN/$1.pid" pid
  [ -s "$pidfile" ] || { echo "legs.sh: no $leg dockerd started by us"; return 0; }
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/comm" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
  echo "$leg dockerd stopped"
}

leg="${2:-}"
case "${1:-}" in
  start)
    case "$leg" in
      legacy)
        "$here/dockerd.sh" start >&2
        echo "DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}"
        echo "BPA_LEG_PATH="
        echo "BPA_BUILDX_PLUGIN=$TOOLS_DIR/cli-plugins/docker-buildx"
        echo "BPA_LEG_MULTI_PLATFORM=false"
        ;;
      modern | modern-containerd)
        start_private "$leg" >&2
        echo "DOCKER_HOST=unix://$RUN/$leg.sock"
        echo "BPA_LEG_PATH=$MODERN/bin"
        echo "BPA_BUILDX_PLUGIN=$MODERN/cli-plugins/docker-buildx"
        # The docker driver builds several platforms at once only into the containerd image store.
        [ "$leg" = modern-containerd ] && echo "BPA_LEG_MULTI_PLATFORM=true" || echo "BPA_LEG_MULTI_PLATFORM=false"
        ;;
      *) die "unknown leg '$leg' (one of: $LEGS)" ;;
    esac
    echo "BPA_LEG=$leg"
    ;;
  stop)
    case "$leg" in
      legacy) echo "legs.sh: the legacy leg is the machine's shared dockerd; it keeps running" ;;
      modern | modern-containerd) stop_private "$leg" ;;
      *) die "unknown leg '$leg' (one of: $LEGS)" ;;
    esac
    ;;
  prepare) prepare_machine ;;
  list) echo "$LEGS" ;;
  *) echo "Usage: $0 start LEG | stop LEG | prepare | list   (LEG: $LEGS)" >&2; exit 2 ;;
esac
