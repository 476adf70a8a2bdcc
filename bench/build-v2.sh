#!/usr/bin/env bash
# The article's build script, version 2: tag the image with the git branch, build it, push it.
# IMAGE is the repository (the article writes my_image).
set -euxo pipefail

GIT_BRANCH=$(git rev-parse --abbrev-ref HEAD)
docker build -t "$IMAGE:$GIT_BRANCH" .
docker push "$IMAGE:$GIT_BRANCH"
