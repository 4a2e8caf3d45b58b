#!/usr/bin/env bash
# Prepares the bench for a lent GPU machine that has no Node (the `device` tool of this workplace):
# .devrun/ holds a compressed Node binary, dawn.node (compressed) with the few CommonJS peers the bench
# loads at run time, the built package and the bench bundled by esbuild; .gl/ holds the Vulkan loader's
# Debian packages (the device tool's README recipe). Both are git-excluded and travel as `carry`.
# Then, through the device tool:  run  command: bash scripts/device-bench/run.sh   carry: [.devrun, .gl]
set -euo pipefail
cd "$(dirname "$0")/../.."
for dir in /.devrun/ /.gl/; do grep -qxF "$dir" .git/info/exclude || echo "$dir" >> .git/info/exclude; done
git diff --quiet HEAD -- src bench || { echo "prepare: commit src/ and bench/ first (the results name the commit)" >&2; exit 1; }
npm run build
rm -rf .devrun && mkdir -p .devrun/nm/webgpu/dist/linux-x64
git rev-parse --short HEAD > .devrun/commit
cp -r dist .devrun/dist
xz -T2 -6 -c "$(command -v node)" > .devrun/node.xz
cp node_modules/webgpu/package.json node_modules/webgpu/index.js .devrun/nm/webgpu/
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > .devrun/nm/webgpu/dist/linux-x64/dawn.node.xz
for m in ndarray ndarray-ops cwise-compiler iota-array is-buffer uniq; do cp -r "node_modules/$m" .devrun/nm/; done
bundle=(--bundle --platform=node --format=esm --target=node20 --external:webgpu --external:ndarray --external:ndarray-ops --log-level=warning)
npx esbuild bench/run.ts "${bundle[@]}" --outfile=.devrun/run.mjs \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
npx esbuild bench/throughput.ts "${bundle[@]}" --outfile=.devrun/throughput.mjs
if [ ! -d .gl ]; then
  mkdir -p .gl /tmp/amd64/partial
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  apt-get "${o[@]}" update >/dev/null
  (cd .gl && apt-get "${o[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh .devrun .gl
