#!/usr/bin/env bash
# Usage: bench/dockerd.sh start DIR | stop DIR   (as root)
# A private dockerd for the benchmark, so that "fresh runner" can remove every image and all build
# cache without touching the shared daemon other people's tests use. It has its own data root, exec
# root, pid file, containerd namespace and socket (DIR/docker.sock), and its own bridge (bpabench0)
# without iptables rules, so it coexists with the main daemon.
# Env (the multi-stage scenario's engines): BENCH_DOCKER_BIN, a folder put first on PATH whose dockerd
# (and the containerd it starts) runs; BENCH_CONTAINERD_STORE=true, the containerd image store;
# BENCH_BRIDGE and BENCH_BRIDGE_ADDR, another bridge, so two private daemons can run side by side.
set -euo pipefail

DIR="${2:?Usage: $0 start|stop DIR}"
BRIDGE="${BENCH_BRIDGE:-bpabench0}"
BRIDGE_ADDR="${BENCH_BRIDGE_ADDR:-10.213.7.1/24}"
NAMESPACE="bpa-bench${BENCH_BRIDGE:+-$BENCH_BRIDGE}"
[ -z "${BENCH_DOCKER_BIN:-}" ] || export PATH="$BENCH_DOCKER_BIN:$PATH"
MARKER=.bpa-bench-dockerd   # only directories carrying it are ever rm -rf'ed

die() { echo "bench/dockerd.sh: $*" >&2; exit 1; }
ready() { DOCKER_HOST="unix://$DIR/docker.sock" docker info >/dev/null 2>&1; }

stop() {
  local pid
  if [ -s "$DIR/dockerd.pid" ]; then
    pid="$(cat "$DIR/dockerd.pid")"
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
      kill "$pid"
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
  fi
  if [ -e "$DIR/$MARKER" ]; then
    # Layers of a killed daemon may still be mounted; never follow them out of DIR.
    { grep -o " $DIR/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" || true; done
    rm -rf "$DIR"
  fi
  if [ -e "/tmp/$BRIDGE.ours" ]; then ip link del "$BRIDGE" 2>/dev/null || true; rm -f "/tmp/$BRIDGE.ours"; fi
}

case "${1:-}" in
  start)
    [ "$(id -u)" -eq 0 ] || die "must run as root to start a dockerd"
    command -v dockerd >/dev/null || die "dockerd is missing; run as root: scripts/setup-docker.sh"
    stop
    mkdir -p "$DIR" && touch "$DIR/$MARKER"
    # BuildKit's RUN steps need the daemon's default bridge network, even when they use no network.
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
      ip link add "$BRIDGE" type bridge && ip addr add "$BRIDGE_ADDR" dev "$BRIDGE" && touch "/tmp/$BRIDGE.ours"
    fi
    ip link set "$BRIDGE" up
    config=()
    if [ -n "${BENCH_CONTAINERD_STORE:-}" ]; then
      printf '{"features": {"containerd-snapshotter": %s}}\n' "$BENCH_CONTAINERD_STORE" >"$DIR/daemon.json"
      config=(--config-file "$DIR/daemon.json")
    fi
    setsid nohup dockerd "${config[@]}" --data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$DIR/dockerd.pid" \
      -H "unix://$DIR/docker.sock" --bridge "$BRIDGE" --iptables=false ${BENCH_DOCKER_BIN:+--ip6tables=false} --ip-masq=false --ip-forward=false \
      --userland-proxy=false --containerd-namespace "$NAMESPACE" --containerd-plugins-namespace "$NAMESPACE-plugins" \
      >"$DIR/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 120); do ready && break; sleep 0.5; done
    ready || { tail -n 20 "$DIR/dockerd.log" >&2; stop; die "the private dockerd did not start"; }
    echo "unix://$DIR/docker.sock"
    ;;
  stop) stop ;;
  *) echo "Usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
