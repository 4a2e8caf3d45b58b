#!/usr/bin/env bash
# The suite under Deno: the same vitest files, with vitest itself running on Deno (its forked workers are
# Deno processes), so the 'webgpu' backend is Deno's navigator.gpu (wgpu) — never Dawn
# (vitest.deno.config.ts makes loading the npm `webgpu` package an error, test/deno/setup.ts fails a
# worker that is not Deno, test/engine.test.ts checks that init() took its adapter from navigator.gpu).
# A missing adapter fails the run. Deno is the `deno` devDependency unless DENO names another binary.
# wgpu runs on Vulkan (the same lavapipe driver as Dawn) unless DENO_WEBGPU_BACKEND says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
export DENO_WEBGPU_BACKEND="${DENO_WEBGPU_BACKEND:-vulkan}"
export DENO_NO_UPDATE_CHECK=1
DENO="${DENO:-node_modules/.bin/deno}"

"$DENO" run -A scripts/probe-webgpu-deno.ts || {
  echo "test-deno: Deno's WebGPU (wgpu, DENO_WEBGPU_BACKEND=$DENO_WEBGPU_BACKEND) has no adapter" >&2
  exit 1
}

mkdir -p test-results
rm -f test-results/vitest-deno.json
status=0
"$DENO" run -A node_modules/vitest/vitest.mjs run --config vitest.deno.config.ts \
  --reporter=default --reporter=json --outputFile.json=test-results/vitest-deno.json "$@" || status=$?
# Run on its own, it recaps its failures; scripts/test.sh recaps both runs itself.
if [ -z "${NDGPU_RECAP_LATER:-}" ]; then
  node scripts/test-summary.mjs "vitest (Deno, wgpu)=test-results/vitest-deno.json:$status" || true
fi
exit "$status"
