#!/usr/bin/env bash
# Usage: scripts/demo.sh   (as root)
# The main job, on a fresh machine: installs Docker and the registry (scripts/setup-docker.sh), starts
# dockerd and an htpasswd-protected registry on 127.0.0.1, and runs the action's bundle (dist/) on
# examples/hello-app exactly as a runner would: tests, branch from git, build, push, cleanup.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export BPA_E2E_DIR=/tmp/bpa-demo BPA_PUBLIC_PORT=5055 BPA_PRIVATE_PORT=5056 BPA_SECOND_PORT=5057
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Installing Docker, buildx and the registry (skipped when present)"
"$root/scripts/setup-docker.sh" | tail -n 4

step "Starting dockerd and the local registries"
# shellcheck disable=SC1090
source "$("$root/scripts/e2e-env.sh" up)"
trap '"$root/scripts/e2e-env.sh" down >/dev/null' EXIT
echo "registry: $BPA_PRIVATE_REGISTRY (user $BPA_REGISTRY_USER), base image: $BPA_BASE_IMAGE"

step "Checking out the example app on branch feature/Login-Page"
work="$(mktemp -d /tmp/bpa-demo-run.XXXXXX)"
cp -r "$root/examples/hello-app" "$work/app"
git -C "$work/app" init -q -b feature/Login-Page
git -C "$work/app" add .
git -C "$work/app" -c user.name=Demo -c user.email=demo@example.invalid commit -qm "hello app"
# A runner's docker config: buildx installed as a CLI plugin, no login.
mkdir -p "$work/docker/cli-plugins" "$work/runner/temp"
ln -s "$BPA_BUILDX_PLUGIN" "$work/docker/cli-plugins/docker-buildx"
for f in output state summary env path; do : >"$work/runner/$f"; done
echo '{}' >"$work/runner/event.json"

runner_env=(
  PATH="$PATH" HOME="$HOME" DOCKER_CONFIG="$work/docker" RUNNER_TEMP="$work/runner/temp"
  GITHUB_WORKSPACE="$work/app" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$work/runner/event.json"
  GITHUB_REF=refs/heads/feature/Login-Page GITHUB_SHA="$(git -C "$work/app" rev-parse HEAD)"
  GITHUB_REPOSITORY=acme/hello GITHUB_SERVER_URL=https://github.com GITHUB_RUN_NUMBER=1
  GITHUB_OUTPUT="$work/runner/output" GITHUB_STATE="$work/runner/state" GITHUB_STEP_SUMMARY="$work/runner/summary"
  GITHUB_ENV="$work/runner/env" GITHUB_PATH="$work/runner/path"
)

step "Running the action (main step)"
(cd "$work/app" && env -i "${runner_env[@]}" \
  INPUT_IMAGE=team/hello INPUT_REGISTRY="$BPA_PRIVATE_REGISTRY" \
  INPUT_USERNAME="$BPA_REGISTRY_USER" INPUT_PASSWORD="$BPA_REGISTRY_PASSWORD" \
  'INPUT_TEST-COMMAND=sh tests/test_hello.sh' 'INPUT_TAG={ref}
{short-sha}' \
  node "$root/dist/index.js")

step "What the registry holds now"
curl -s -u "$BPA_REGISTRY_USER:$BPA_REGISTRY_PASSWORD" "http://$BPA_PRIVATE_REGISTRY/v2/team/hello/tags/list"; echo

step "The post step (the runner runs it only after a failure; main already removed the login)"
state=()
while IFS= read -r line; do
  if [[ "$line" =~ ^([A-Za-z]+)\<\<(.*)$ ]]; then
    name="${BASH_REMATCH[1]}"; IFS= read -r value; state+=("STATE_$name=$value"); IFS= read -r _
  fi
done <"$work/runner/state"
(cd "$work/app" && env -i "${runner_env[@]}" "${state[@]}" node "$root/dist/index.js")
left="$(grep -rl "$BPA_REGISTRY_PASSWORD" "$work" 2>/dev/null || true)"
echo "files under the runner's folders still holding the password: ${left:-none}"

step "Pulling and running the pushed image"
image="$BPA_PRIVATE_REGISTRY/team/hello:feature-Login-Page"
docker image rm "$image" >/dev/null 2>&1 || true
printf '%s' "$BPA_REGISTRY_PASSWORD" | DOCKER_CONFIG="$work/pull" docker login -u "$BPA_REGISTRY_USER" --password-stdin "$BPA_PRIVATE_REGISTRY" >/dev/null 2>&1
DOCKER_CONFIG="$work/pull" docker pull -q "$image" >/dev/null
docker run --rm "$image" "GitHub Actions"
rm -rf "$work"
