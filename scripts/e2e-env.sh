#!/usr/bin/env bash
# Usage: scripts/e2e-env.sh up|down   (as root)
# up:   starts dockerd (if needed) and the two test registries in ${BPA_E2E_DIR:-/tmp/bpa-e2e};
#       prints the env file path (source it, or load it in the tests).
# down: stops the registries and removes their storage (dockerd keeps running).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
DIR="${BPA_E2E_DIR:-/tmp/bpa-e2e}"
BUILDX="${TOOLS_DIR:-/opt/bpa-tools}/cli-plugins/docker-buildx"

need() {  # $1 what is missing, rest: test command
  local what="$1"; shift
  "$@" >/dev/null 2>&1 || { echo "e2e-env.sh: $what is missing; run as root: scripts/setup-docker.sh" >&2; exit 1; }
}

case "${1:-}" in
  up)
    need "docker CLI" command -v docker
    need "dockerd (package docker.io)" command -v dockerd
    need "docker-registry (package docker-registry)" command -v docker-registry
    need "htpasswd (package apache2-utils)" command -v htpasswd
    need "busybox (package busybox-static)" command -v busybox
    need "curl" command -v curl
    need "the buildx plugin ($BUILDX)" test -x "$BUILDX"
    "$here/dockerd.sh" start >&2
    env_file="$("$here/registries.sh" start "$DIR" | tail -n 1)"
    echo "BPA_BUILDX_PLUGIN=$BUILDX" >>"$env_file"
    echo "$env_file"
    ;;
  down) "$here/registries.sh" stop "$DIR" ;;
  *) echo "Usage: $0 up|down" >&2; exit 2 ;;
esac
