#!/usr/bin/env bash
# Usage: scripts/registries.sh start [DIR] | stop [DIR]
# start: runs two distribution registries on 127.0.0.1 with storage under DIR (default: new temp dir):
#   public  (no auth, stands in for Docker Hub)  port ${BPA_PUBLIC_PORT:-5055}
#   private (htpasswd basic auth over plain HTTP) port ${BPA_PRIVATE_PORT:-5056}
#   second  (like private, with its own user and password) port ${BPA_SECOND_PORT:-5057}
# pushes a busybox base image to the public one and writes DIR/env (path printed on the last line).
# With BPA_ARM64_BUSYBOX (a static arm64 busybox), also pushes a two-platform base image: one index
# naming a linux/amd64 and a linux/arm64 image (needs a docker CLI and daemon with `import --platform`).
# stop: kills the registries and deletes DIR (default: the DIR of the last start).
# Env: BPA_PUBLIC_PORT, BPA_PRIVATE_PORT, BPA_SECOND_PORT, BPA_REGISTRY_USER (ci-user), BPA_REGISTRY_PASSWORD
# (random); the second registry's user is ci-user-2, its password random.
# Needs a running dockerd (scripts/dockerd.sh start).
set -euo pipefail

PUBLIC_PORT="${BPA_PUBLIC_PORT:-5055}"
PRIVATE_PORT="${BPA_PRIVATE_PORT:-5056}"
SECOND_PORT="${BPA_SECOND_PORT:-5057}"
LAST="/tmp/bpa-registries.$PUBLIC_PORT.last"   # DIR of the last start on these ports, so a new start/stop can find it
MARKER=".bpa-registries"           # only directories carrying it are ever rm -rf'ed

die() { echo "registries.sh: $*" >&2; exit 1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }

stop_dir() {
  local dir="$1" f pid pids=()
  for f in "$dir/public.pid" "$dir/private.pid" "$dir/second.pid"; do
    [ -s "$f" ] || continue
    pid="$(cat "$f")"
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = docker-registry ] && kill "$pid" && pids+=("$pid")
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  done
  [ -e "$dir/$MARKER" ] && rm -rf "$dir"
  if [ "$(cat "$LAST" 2>/dev/null)" = "$dir" ]; then rm -f "$LAST"; fi
}

# $1 name, $2 port, $3 extra yaml
start_registry() {
  local name="$1" port="$2"
  mkdir -p "$DIR/$name-data"
  cat >"$DIR/$name.yml" <<YML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $DIR/$name-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
$3
YML
  # The shell writes its own pid and then execs, so the pid file is right even if setsid forks.
  # shellcheck disable=SC2016
  setsid nohup sh -c 'echo $$ >"$1"; exec docker-registry serve "$2"' sh "$DIR/$name.pid" "$DIR/$name.yml" \
    >"$DIR/$name.log" 2>&1 </dev/null &
}

wait_for() {  # $1 name, $2 url, $3 expected http code
  for _ in $(seq 60); do
    [ "$(http_code "$2")" = "$3" ] && return 0
    sleep 0.25
  done
  tail -n 20 "$DIR/$1.log" >&2
  die "$1 registry did not answer $3 on $2 (log: $DIR/$1.log)"
}

# $1 busybox binary, $2 rootfs dir: a minimal root with busybox, its applets, and an `app` user.
make_rootfs() {
  local busybox="$1" rootfs="$2" a
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc,root,home/app,tmp,usr/bin,sbin,usr/sbin}
  cp "$busybox" "$rootfs/bin/busybox"
  for a in $("$BUSYBOX" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"   # relative: `busybox --install -s` would link to the host path
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/home/app:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:10001:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  chown 10001:10001 "$rootfs/home/app"
}

# $1 busybox binary, $2 image, rest: extra `docker import` flags. Imports and pushes it, then removes
# it here: builds must pull it, as they would from Docker Hub.
import_image() {
  local busybox="$1" image="$2" rootfs="$DIR/rootfs"
  shift 2
  make_rootfs "$busybox" "$rootfs"
  tar -C "$rootfs" --numeric-owner -c . | docker import "$@" \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["sh"]' - "$image" >/dev/null
  rm -rf "$rootfs"
  docker push --quiet "$image" >/dev/null
  docker rmi "$image" >/dev/null
}

build_base_image() { import_image "$BUSYBOX" "$1"; }

# $1 manifest URL: "mediaType digest size" of what it names, as the registry stores it.
manifest_descriptor() {
  local headers
  headers="$(curl -sf -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "$1")" || die "HEAD $1 failed"
  printf '%s\n' "$headers" | tr -d '\r' | awk -F': ' '
    tolower($1)=="content-type"{t=$2} tolower($1)=="docker-content-digest"{d=$2} tolower($1)=="content-length"{n=$2}
    END{print t, d, n}'
}

# $1 image (public registry, tag): one index naming an amd64 and an arm64 image, each pushed first.
build_multi_platform_base_image() {
  local image="$1" repo="${1%:*}" tag="${1##*:}" arch type digest size entries="" index_type
  local base="http://${repo%%/*}/v2/${repo#*/}/manifests"
  for arch in amd64 arm64; do
    if [ "$arch" = amd64 ]; then import_image "$BUSYBOX" "$repo:$tag-$arch" --platform "linux/$arch"
    else import_image "$BPA_ARM64_BUSYBOX" "$repo:$tag-$arch" --platform "linux/$arch"; fi
    read -r type digest size <<<"$(manifest_descriptor "$base/$tag-$arch")"
    [ -n "$entries" ] && entries="$entries,"
    entries="$entries{\"mediaType\":\"$type\",\"digest\":\"$digest\",\"size\":$size,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}}"
  done
  # A list of Docker manifests is a Docker manifest list; of OCI manifests, an OCI index.
  if [ "$type" = application/vnd.oci.image.manifest.v1+json ]; then index_type=application/vnd.oci.image.index.v1+json
  else index_type=application/vnd.docker.distribution.manifest.list.v2+json; fi
  curl -sf -X PUT -H "Content-Type: $index_type" \
    --data-binary "{\"schemaVersion\":2,\"mediaType\":\"$index_type\",\"manifests\":[$entries]}" \
    "$base/$tag" >/dev/null || die "PUT of the two-platform index $image failed"
}

cmd="${1:-}"
case "$cmd" in
  start)
    for tool in docker-registry htpasswd curl docker; do
      command -v "$tool" >/dev/null || die "$tool is not installed; run as root: scripts/setup-docker.sh"
    done
    BUSYBOX="$(command -v busybox || true)"
    # A dynamically linked busybox would not run inside the library-less base image.
    if [ -z "$BUSYBOX" ] || head -c 2048 "$BUSYBOX" | grep -qa 'ld-linux'; then
      die "busybox-static is not installed; run as root: scripts/setup-docker.sh"
    fi
    docker info >/dev/null 2>&1 || die "dockerd is not running; run: scripts/dockerd.sh start"

    if [ -s "$LAST" ]; then stop_dir "$(cat "$LAST")"; fi
    DIR="${2:-$(mktemp -d /tmp/bpa-registries.XXXXXX)}"
    [ -d "$DIR" ] && stop_dir "$DIR"
    for p in "$PUBLIC_PORT" "$PRIVATE_PORT" "$SECOND_PORT"; do
      port_busy "$p" && die "port $p on 127.0.0.1 is in use by something else"
    done
    mkdir -p "$DIR" && touch "$DIR/$MARKER" && echo "$DIR" >"$LAST"
    DIR="$(cd "$DIR" && pwd)"

    USER_NAME="${BPA_REGISTRY_USER:-ci-user}"
    PASSWORD="${BPA_REGISTRY_PASSWORD:-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
    htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$DIR/htpasswd"
    SECOND_USER=ci-user-2
    SECOND_PASSWORD="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    htpasswd -Bbn "$SECOND_USER" "$SECOND_PASSWORD" >"$DIR/second.htpasswd"

    start_registry public "$PUBLIC_PORT" ""
    # distribution 2.8 accepts htpasswd over plain HTTP; dockerd treats 127.0.0.0/8 as insecure anyway.
    start_registry private "$PRIVATE_PORT" "auth:
  htpasswd:
    realm: bpa-private
    path: $DIR/htpasswd"
    start_registry second "$SECOND_PORT" "auth:
  htpasswd:
    realm: bpa-second
    path: $DIR/second.htpasswd"
    wait_for public "http://127.0.0.1:$PUBLIC_PORT/v2/" 200
    wait_for private "http://127.0.0.1:$PRIVATE_PORT/v2/" 401
    wait_for second "http://127.0.0.1:$SECOND_PORT/v2/" 401

    DOCKER_CONFIG="$(mktemp -d)"   # never touch ~/.docker
    export DOCKER_CONFIG
    trap 'rm -rf "$DOCKER_CONFIG"' EXIT
    BASE_IMAGE="127.0.0.1:$PUBLIC_PORT/library/busybox:1.36"
    build_base_image "$BASE_IMAGE"
    MULTI_BASE_IMAGE=""
    if [ -n "${BPA_ARM64_BUSYBOX:-}" ]; then
      MULTI_BASE_IMAGE="127.0.0.1:$PUBLIC_PORT/library/busybox:1.36-multi"
      build_multi_platform_base_image "$MULTI_BASE_IMAGE"
    fi
    printf '%s' "$PASSWORD" | docker login "127.0.0.1:$PRIVATE_PORT" -u "$USER_NAME" --password-stdin >/dev/null 2>&1 \
      || die "docker login to the private registry 127.0.0.1:$PRIVATE_PORT failed"

    cat >"$DIR/env" <<ENV
BPA_PUBLIC_REGISTRY=127.0.0.1:$PUBLIC_PORT
BPA_PRIVATE_REGISTRY=127.0.0.1:$PRIVATE_PORT
BPA_REGISTRY_USER=$USER_NAME
BPA_REGISTRY_PASSWORD=$PASSWORD
BPA_SECOND_REGISTRY=127.0.0.1:$SECOND_PORT
BPA_SECOND_USER=$SECOND_USER
BPA_SECOND_PASSWORD=$SECOND_PASSWORD
BPA_BASE_IMAGE=$BASE_IMAGE
BPA_MULTI_PLATFORM_BASE_IMAGE=$MULTI_BASE_IMAGE
BPA_REGISTRY_DIR=$DIR
BPA_PUBLIC_REGISTRY_PID=$(cat "$DIR/public.pid")
BPA_PRIVATE_REGISTRY_PID=$(cat "$DIR/private.pid")
BPA_SECOND_REGISTRY_PID=$(cat "$DIR/second.pid")
ENV
    echo "$DIR/env"
    ;;
  stop)
    DIR="${2:-$(cat "$LAST" 2>/dev/null || true)}"
    [ -n "$DIR" ] || { echo "registries.sh: nothing to stop"; exit 0; }
    stop_dir "$DIR"
    echo "registries stopped ($DIR)"
    ;;
  *) echo "Usage: $0 start [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
