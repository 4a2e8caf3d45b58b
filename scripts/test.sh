#!/usr/bin/env bash
# The test command (npm test): makes sure WebGPU has an adapter (installing Mesa lavapipe where needed
# and possible), then runs the whole suite on the CPU and WebGPU backends. A missing adapter fails the
# run: GPU tests never skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

if ! node scripts/probe-webgpu.mjs; then
  bash scripts/setup-webgpu-driver.sh
  node scripts/probe-webgpu.mjs || { echo "test: WebGPU still has no adapter after installing a driver" >&2; exit 1; }
fi
# The browser tests (test/e2e) drive Debian's Chromium; install it where it is missing.
bash scripts/setup-browsers.sh

# Types, lint, formatting and the layer rules (.dependency-cruiser.cjs) before any test runs.
npm run lint
mkdir -p test-results
# A report left by an earlier run must not stand in for one this run failed to write.
rm -f test-results/vitest.json test-results/vitest-deno.json
node_status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || node_status=$?
# The same suite under Deno, whose WebGPU is wgpu (navigator.gpu) rather than Dawn.
deno_status=0
NDGPU_RECAP_LATER=1 bash scripts/test-deno.sh "$@" || deno_status=$?
# The recap last, so that a log read from its tail names every failure of both runs.
echo
node scripts/test-summary.mjs "vitest (Node, Dawn)=test-results/vitest.json:$node_status" \
  "vitest (Deno, wgpu)=test-results/vitest-deno.json:$deno_status" || true
[ "$node_status" -eq 0 ] && [ "$deno_status" -eq 0 ]
