#!/bin/bash
# Prepares the GPU check for a lent machine that has no Node.js and reaches no registry (see
# ../../../shared/gpu/README.md for what the machine has). Writes, into folders git ignores:
#   .gpu/node.xz        this machine's Node binary, compressed
#   .gpu/bundle.tar.xz  the gpu bench in one ES module (bench/device/entry.ts with Trainyard's code,
#                       zod, papaparse and hyparquet inside), the GPU probe's entry beside it, the
#                       @tensorflow packages and webgpu (Dawn) as a minimal node_modules (each
#                       package's Node entry only: the whole tree is far over the 64 MiB a call
#                       carries), and Trainyard's kernels.wasm
#   .gl/*.deb           the Vulkan loader and GL libraries Dawn needs there (Debian amd64)
# Then, with the tool: command `bash bench/device/gpu-check.sh`, carry [".gpu", ".gl"].
# The same gpu-check.sh runs here too (it falls back to wasm), which checks the bundle stands alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
for d in /.gpu/ /.gl/; do grep -qxF "$d" .git/info/exclude 2>/dev/null || echo "$d" >> .git/info/exclude; done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The bundle keeps CommonJS dependencies working inside an ES module: they call require().
banner="import { createRequire as __trainyardRequire } from 'node:module'; const require = __trainyardRequire(import.meta.url);"
esb() { npx esbuild "$1" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --external:'@tensorflow/*' --external:webgpu --banner:js="$banner" --outfile="$2"; }
esb bench/device/entry.ts "$stage/gpu-bench.js"
# The WebGPU probe runs in a process of its own: entry-file.ts looks for it beside the calling module.
esb src/core/compute/webgpu-probe.ts "$stage/webgpu-probe.js"
echo '{ "type": "module" }' > "$stage/package.json"

# Each @tensorflow package as Node loads it: package.json and its `main` (one self-contained CommonJS file).
for dir in node_modules/@tensorflow/tfjs node_modules/@tensorflow/tfjs-*; do
  name=$(basename "$dir")
  case "$name" in tfjs-node|tfjs-node-gpu) continue ;; esac
  main=$(node -p "require('./$dir/package.json').main")
  mkdir -p "$stage/$dir/$(dirname "$main")"
  cp "$dir/package.json" "$stage/$dir/"
  cp "$dir/$main" "$stage/$dir/$main"
done
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$stage/node_modules/@tensorflow/tfjs-backend-wasm/dist/"
# Dependencies of those entries outside @tensorflow (found by loading them alone; see gpu-check.sh).
for dep in $(node -e "
  const seen = new Set();
  for (const d of require('fs').readdirSync('node_modules/@tensorflow')) {
    if (d === 'tfjs-node' || d === 'tfjs-node-gpu') continue;
    const p = require('./node_modules/@tensorflow/' + d + '/package.json');
    for (const k of Object.keys(p.dependencies || {})) if (!k.startsWith('@tensorflow/') && !k.startsWith('@types/')) seen.add(k);
  }
  console.log([...seen].join(' '))"); do
  [ -d "node_modules/$dep" ] && mkdir -p "$stage/node_modules/$(dirname "$dep")" && cp -r "node_modules/$dep" "$stage/node_modules/$dep"
done
mkdir -p "$stage/node_modules/webgpu/dist/linux-x64"
cp node_modules/webgpu/package.json node_modules/webgpu/*.js "$stage/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/node_modules/webgpu/dist/linux-x64/"
mkdir -p "$stage/resources/wasm"
cp resources/wasm/kernels.wasm "$stage/resources/wasm/"

mkdir -p .gpu .gl
tar -C "$stage" -cf - . | xz -T2 -6 > .gpu/bundle.tar.xz
[ -f .gpu/node.xz ] || xz -T2 -c "$(command -v node)" > .gpu/node.xz
# Dawn needs a Vulkan loader; the lent machine's image has the NVIDIA driver but not these.
if ! ls .gl/*.deb >/dev/null 2>&1; then
  (cd .gl && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -ch .gpu/* .gl/* | tail -1 | sed 's/total/carried in all (the limit is 64 MiB)/'
