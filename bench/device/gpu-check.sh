#!/bin/bash
# The GPU check, run from the repository root after prepare.sh: on the lent NVIDIA machine through
# the device tool (carry .gpu and .gl), or here, where it falls back to wasm. Prints the gpu bench's
# table (Trainyard on WebGPU beside PyTorch on CUDA, same run, same card) and writes it under $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$(mktemp -d)}
work=$(mktemp -d)
[ -f .gpu/bundle.tar.xz ] || { echo "no .gpu/bundle.tar.xz: run bash bench/device/prepare.sh first" >&2; exit 2; }
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.csv"
  # The Vulkan loader from .gl/, and NVIDIA's Vulkan driver where the image keeps it.
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
fi
# Outside the repository, so nothing resolves from its node_modules: the bundle must stand alone.
xz -dc .gpu/bundle.tar.xz | tar -C "$work" -xf -
# The Node that prepared the bundle (the lent machine has none).
xz -dc .gpu/node.xz > "$work/node" && chmod +x "$work/node"
node_bin=$work/node
export TRAINYARD_RESOURCES=$work/resources
# The PyTorch twin runs on the interpreter that has torch (CUDA on the lent machine).
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import torch' 2>/dev/null; then export TRAINYARD_PEER_PYTHON=$(command -v "$py"); break; fi
done
echo "node $("$node_bin" --version), peer ${TRAINYARD_PEER_PYTHON:-none}"
(cd "$work" && "$node_bin" gpu-bench.js) 2>&1 | tee "$out/gpu.md"
status=${PIPESTATUS[0]}
rm -rf "$work"
exit "$status"
