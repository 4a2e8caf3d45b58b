#!/usr/bin/env bash
# Runs on the lent GPU machine (see prepare.sh): unpacks the Vulkan loader, Node and dawn.node, then
# runs the full bench (kernel tuning chosen from the adapter) and bench/throughput.ts (both tunings).
# Results land in $OUT: bench.log, results.json, results.md, throughput.log.
set -u
started=$(date +%s)
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
mkdir -p /tmp/node-bin && xz -dc .devrun/node.xz > /tmp/node-bin/node && chmod +x /tmp/node-bin/node
export PATH=/tmp/node-bin:$PATH XDG_RUNTIME_DIR=/tmp/xdg NDGPU_BENCH_COMMIT="$(cat .devrun/commit)"
mkdir -p "$XDG_RUNTIME_DIR"
rm -rf node_modules dist && cp -r .devrun/nm node_modules && cp -r .devrun/dist dist
xz -d node_modules/webgpu/dist/linux-x64/dawn.node.xz
# The bundles resolve ../dist and ../numpy_bench.py (the NumPy peer's script) from their own folder.
cp .devrun/run.mjs bench/run.mjs && cp .devrun/throughput.mjs bench/throughput.mjs && cp bench/numpy_bench.py numpy_bench.py
if ! node scripts/probe-webgpu.mjs; then
  # The driver's ICD file where the loader does not find it by itself.
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
quiet() { grep -v 'artificially reduced'; }
timeout "${BENCH_LIMIT:-300}" node bench/run.mjs ${BENCH_ARGS:-} 2>&1 | quiet | tee "$OUT/bench.log"
cp bench/results.json bench/results.md "$OUT/" 2>/dev/null
timeout 150 node bench/throughput.mjs --queue 20 2>&1 | quiet | tee "$OUT/throughput.log"
echo "device bench done in $(( $(date +%s) - started )) s"
