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
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line for CI logs: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
# The same suite under Deno, whose WebGPU is wgpu (navigator.gpu) rather than Dawn.
bash scripts/test-deno.sh "$@" || status=$?
exit "$status"
