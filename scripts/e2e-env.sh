#!/usr/bin/env bash
# Usage: [BPA_LEG=legacy|modern|modern-containerd] scripts/e2e-env.sh up|down   (as root)
# up:   starts the leg's dockerd (scripts/legs.sh; if needed) and the two test registries in
#       ${BPA_E2E_DIR:-/tmp/bpa-e2e}; prints the env file path (source it, or load it in the tests).
#       The env file also says how to reach the leg: DOCKER_HOST, BPA_LEG_PATH (its docker CLI's folder,
#       to put first on PATH), BPA_BUILDX_PLUGIN, BPA_LEG_MULTI_PLATFORM.
# down: stops the registries and removes their storage (the daemons keep running).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
DIR="${BPA_E2E_DIR:-/tmp/bpa-e2e}"
LEG="${BPA_LEG:-legacy}"

need() {  # $1 what is missing, rest: test command
  local what="$1"; shift
  "$@" >/dev/null 2>&1 || { echo "e2e-env.sh: $what is missing; run as root: scripts/setup-docker.sh" >&2; exit 1; }
}

case "${1:-}" in
  up)
    need "docker-registry (package docker-registry)" command -v docker-registry
    need "htpasswd (package apache2-utils)" command -v htpasswd
    need "busybox (package busybox-static)" command -v busybox
    need "curl" command -v curl
    leg_env="$("$here/legs.sh" start "$LEG")" || { echo "e2e-env.sh: the $LEG leg could not start" >&2; exit 1; }
    while IFS='=' read -r key value; do
      case "$key" in
        DOCKER_HOST) export DOCKER_HOST="$value" ;;
        BPA_LEG_PATH) [ -z "$value" ] || export PATH="$value:$PATH" ;;
        BPA_LEG_MULTI_PLATFORM) multi="$value" ;;
      esac
    done <<<"$leg_env"
    need "docker CLI" command -v docker
    # The two-platform base image is imported per platform, which a Docker 20.10 CLI cannot do.
    if [ "${multi:-false}" = true ]; then export BPA_ARM64_BUSYBOX="${TOOLS_DIR:-/opt/bpa-tools}/modern/arm64/busybox"; fi
    env_file="$("$here/registries.sh" start "$DIR" | tail -n 1)"
    printf '%s\n' "$leg_env" >>"$env_file"
    echo "$env_file"
    ;;
  down) "$here/registries.sh" stop "$DIR" ;;
  *) echo "Usage: $0 up|down" >&2; exit 2 ;;
esac
