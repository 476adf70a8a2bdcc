#!/usr/bin/env bash
# Usage: scripts/test.sh   (as root)
# The whole test suite on a fresh Debian machine: installs Docker, buildx and the registry
# (scripts/setup-docker.sh), the npm dependencies, then runs the type check, lint, format check,
# the unit tests and the end-to-end tests (which start dockerd and the loopback registries themselves).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-docker.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run format:check
mkdir -p .tmp
status=0
npm test -- --json --outputFile=.tmp/jest-results.json || status=$?
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/jest-results.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numTotalTests === 0) process.exit(1);
' || status=1
exit "$status"
