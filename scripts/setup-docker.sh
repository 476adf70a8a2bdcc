#!/usr/bin/env bash
# Usage: scripts/setup-docker.sh   (as root)
# Installs what the e2e tests need on Debian 12: dockerd, a distribution registry,
# htpasswd, busybox-static, and the buildx CLI plugin (from trixie) in $TOOLS_DIR/cli-plugins.
# Env: TOOLS_DIR (default /opt/bpa-tools).
set -euo pipefail

TOOLS_DIR="${TOOLS_DIR:-/opt/bpa-tools}"
BUILDX="$TOOLS_DIR/cli-plugins/docker-buildx"

[ "$(id -u)" -eq 0 ] || { echo "setup-docker.sh: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

missing=()
for pkg in docker.io docker-registry apache2-utils busybox-static git ca-certificates curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# buildx must stay OUT of the docker CLI's default plugin dirs: tests switch between the
# buildx and the classic `docker build` path via DOCKER_CONFIG=<dir with cli-plugins/docker-buildx>.
for d in "${HOME:-/root}/.docker/cli-plugins" /usr/local/lib/docker/cli-plugins /usr/local/libexec/docker/cli-plugins \
         /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
  if [ -e "$d/docker-buildx" ]; then
    echo "ERROR: $d/docker-buildx exists; it makes buildx the default for every docker CLI and breaks" \
         "the classic-build tests. Remove it (it is usually from the docker-buildx package)." >&2
    exit 1
  fi
done

if [ ! -x "$BUILDX" ]; then
  # Fetch docker-buildx from trixie without adding trixie to the system's apt sources.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/archives/partial"
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
    > "$work/sources.list"
  opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
        -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update -q
  (cd "$work" && apt-get "${opts[@]}" download docker-buildx)
  dpkg-deb -x "$work"/docker-buildx_*.deb "$work/root"
  install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-buildx" "$BUILDX"
fi

cfg="$(mktemp -d)"
mkdir -p "$cfg/cli-plugins" && ln -s "$BUILDX" "$cfg/cli-plugins/docker-buildx"
echo "dockerd:    $(dockerd --version)"
echo "docker CLI: $(docker --version) ($(command -v docker))"
echo "buildx:     $(DOCKER_CONFIG="$cfg" docker buildx version) ($BUILDX)"
echo "registry:   $(docker-registry --version)"
rm -rf "$cfg"
