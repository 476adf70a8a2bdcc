#!/usr/bin/env bash
# Usage: scripts/setup-docker.sh   (as root)
# Installs what the e2e tests need on Debian 12, for every leg (scripts/legs.sh):
# - legacy: Debian 12's dockerd 20.10, and the buildx CLI plugin (from trixie) in $TOOLS_DIR/cli-plugins;
# - modern: Docker 28.5, containerd 2.1 and buildx 0.29 from Debian sid, extracted (never installed over
#   the system's packages) into $TOOLS_DIR/modern/{bin,cli-plugins}; Debian 12's runc runs its containers;
# - arm64: qemu-user-static, and sid's busybox-static for arm64 in $TOOLS_DIR/modern/arm64 (base image);
# - a distribution registry, htpasswd, busybox-static.
# Env: TOOLS_DIR (default /opt/bpa-tools).
set -euo pipefail

TOOLS_DIR="${TOOLS_DIR:-/opt/bpa-tools}"
BUILDX="$TOOLS_DIR/cli-plugins/docker-buildx"

[ "$(id -u)" -eq 0 ] || { echo "setup-docker.sh: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

missing=()
for pkg in docker.io runc docker-registry apache2-utils busybox-static qemu-user-static git ca-certificates curl; do
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

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# $1 suite, rest: packages (pkg or pkg:arch). Downloads the .debs into $work/$1 from that suite, without
# adding it to the system's apt sources.
fetch_debs() {
  local suite="$1"; shift
  local dir="$work/$suite"
  mkdir -p "$dir/lists/partial" "$dir/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
    > "$dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache::Archives=$dir/archives"
        -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root
        -o APT::Architectures::=amd64 -o APT::Architectures::=arm64)
  apt-get "${opts[@]}" update -q
  (cd "$dir" && apt-get "${opts[@]}" download "$@")
}

if [ ! -x "$BUILDX" ]; then
  fetch_debs trixie docker-buildx
  dpkg-deb -x "$work"/trixie/docker-buildx_*.deb "$work/trixie/root"
  install -D -m 0755 "$work/trixie/root/usr/libexec/docker/cli-plugins/docker-buildx" "$BUILDX"
fi

MODERN="$TOOLS_DIR/modern"
modern_files=(bin/dockerd bin/docker bin/docker-proxy bin/containerd bin/containerd-shim-runc-v2
              cli-plugins/docker-buildx arm64/busybox)
for f in "${modern_files[@]}"; do
  [ -x "$MODERN/$f" ] && continue
  fetch_debs sid docker.io docker-cli docker-buildx containerd busybox-static:arm64
  root="$work/sid/root"
  for deb in "$work"/sid/docker.io_*.deb "$work"/sid/docker-cli_*.deb "$work"/sid/docker-buildx_*.deb \
             "$work"/sid/containerd_*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  dpkg-deb -x "$work"/sid/busybox-static_*_arm64.deb "$work/sid/arm64"
  rm -rf "$MODERN.new" && mkdir -p "$MODERN.new"/{bin,cli-plugins,arm64}
  for b in usr/sbin/dockerd usr/bin/docker usr/sbin/docker-proxy usr/bin/containerd \
           usr/bin/containerd-shim-runc-v2 usr/bin/ctr; do
    install -m 0755 "$root/$b" "$MODERN.new/bin/"
  done
  install -m 0755 "$root/usr/libexec/docker/cli-plugins/docker-buildx" "$MODERN.new/cli-plugins/"
  install -m 0755 "$work/sid/arm64/usr/bin/busybox" "$MODERN.new/arm64/"
  rm -rf "$MODERN" && mv "$MODERN.new" "$MODERN"
  break
done

cfg="$(mktemp -d)"
mkdir -p "$cfg/cli-plugins" && ln -s "$BUILDX" "$cfg/cli-plugins/docker-buildx"
echo "dockerd:    $(dockerd --version)"
echo "docker CLI: $(docker --version) ($(command -v docker))"
echo "buildx:     $(DOCKER_CONFIG="$cfg" docker buildx version) ($BUILDX)"
echo "registry:   $(docker-registry --version)"
echo "modern:     $("$MODERN/bin/dockerd" --version), $("$MODERN/bin/containerd" --version | cut -d' ' -f1,3)," \
     "buildx $("$MODERN/cli-plugins/docker-buildx" version | cut -d' ' -f2) ($MODERN)"
rm -rf "$cfg"
