#!/usr/bin/env bash
# Usage: scripts/dockerd.sh start|stop   (as root)
# start: no-op if `docker info` already works, else runs dockerd in the background and waits for it.
# stop:  stops only a dockerd started by this script.
# Env: DOCKERD_LOG (default /tmp/bpa-dockerd.log), DOCKERD_PIDFILE (default /tmp/bpa-dockerd.pid),
#      DOCKERD_FLAGS (extra dockerd flags, e.g. "--storage-driver vfs").
set -euo pipefail

LOG="${DOCKERD_LOG:-/tmp/bpa-dockerd.log}"
PIDFILE="${DOCKERD_PIDFILE:-/tmp/bpa-dockerd.pid}"

die() { echo "dockerd.sh: $*" >&2; exit 1; }
ready() { docker info >/dev/null 2>&1; }
log_tail() { grep -v 'module=grpc' "$LOG" | tail -n 15 >&2 || true; }

# $@: extra flags. Returns 0 once the daemon answers, 1 if it died or timed out (60 s).
launch() {
  # --pidfile: dockerd writes its own pid (setsid may fork, so $! is not reliable).
  # shellcheck disable=SC2086
  setsid nohup dockerd --pidfile "$PIDFILE" ${DOCKERD_FLAGS:-} "$@" >"$LOG" 2>&1 </dev/null &
  local launcher=$!
  for _ in $(seq 120); do
    ready && return 0
    # Bail out early when dockerd has already exited.
    if ! kill -0 "$launcher" 2>/dev/null && { [ ! -s "$PIDFILE" ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }; then
      return 1
    fi
    sleep 0.5
  done
  return 1
}

stop() {
  [ -s "$PIDFILE" ] || { echo "dockerd.sh: no dockerd started by us ($PIDFILE missing)"; return 0; }
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/comm" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$PIDFILE"
  echo "dockerd stopped"
}

case "${1:-}" in
  start)
    if ready; then echo "dockerd already running"; exit 0; fi
    command -v dockerd >/dev/null || die "dockerd is not installed; run as root: scripts/setup-docker.sh"
    command -v docker >/dev/null || die "docker CLI is not installed; run as root: scripts/setup-docker.sh"
    [ "$(id -u)" -eq 0 ] || die "must run as root to start dockerd"
    [ -s "$PIDFILE" ] && stop >/dev/null  # stale/unresponsive daemon of ours
    if ! launch; then
      # overlay2 is unusable on some sandboxes (e.g. overlay-on-overlay); vfs always works, just slowly.
      if grep -qiE 'overlay|graphdriver|storage.driver' "$LOG" && [[ "${DOCKERD_FLAGS:-}" != *storage-driver* ]]; then
        echo "dockerd failed with the default storage driver, retrying with --storage-driver vfs" >&2
        stop >/dev/null
        launch --storage-driver vfs || { log_tail; die "dockerd did not start (log: $LOG)"; }
      else
        log_tail; stop >/dev/null; die "dockerd did not start (log: $LOG)"
      fi
    fi
    echo "dockerd started (pid $(cat "$PIDFILE"), log $LOG)"
    ;;
  stop) stop ;;
  *) echo "Usage: $0 start|stop" >&2; exit 2 ;;
esac
