/**
 * Builds Trainyard's WebAssembly SIMD training kernels (src/core/kernels/assembly, AssemblyScript)
 * into resources/wasm/kernels.wasm, the binary the product loads. The binary is committed so a fresh
 * clone trains with no build step; a unit test compiles the sources again and asserts the committed
 * binary is the same, byte for byte. Run: `npm run wasm`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const KERNELS_SOURCE = 'src/core/kernels/assembly/index.ts';
export const KERNELS_WASM = join(ROOT, 'resources', 'wasm', 'kernels.wasm');
const OUT = 'kernels.wasm';

// The arena is the module's whole memory, imported from the loader at a fixed size. A stub runtime,
// no assertions and no abort keep the module free of static data, so nothing else lives in it.
const FLAGS = ['-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--importMemory', '--enable', 'simd'];

/** Compiles the kernel sources; throws with the compiler's diagnostics when they do not compile. */
export async function compileKernelsWasm(): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  const errors: string[] = [];
  const { error } = await asc.main([KERNELS_SOURCE, ...FLAGS, '--baseDir', ROOT, '-o', OUT], {
    writeFile(name, contents) {
      if (name === OUT && typeof contents !== 'string') binary = contents;
    },
    stderr: { write: (chunk: string | Uint8Array) => (errors.push(String(chunk)), true) } as never,
  });
  if (error) throw new Error(`kernels: AssemblyScript build failed: ${error.message}\n${errors.join('')}`);
  if (!binary) throw new Error('kernels: AssemblyScript produced no binary');
  assertNoDataSegments(binary);
  return binary;
}

/** The loader lays the arena over the memory from byte 0: a data segment would be overwritten by it. */
function assertNoDataSegments(binary: Uint8Array): void {
  const DATA_SECTION = 11;
  let at = 8; // magic and version
  while (at < binary.length) {
    const id = binary[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = binary[at++];
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    if (id === DATA_SECTION) throw new Error('kernels: the module has static data; the arena starts at byte 0 and would overwrite it');
    at += size;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const binary = await compileKernelsWasm();
  writeFileSync(KERNELS_WASM, binary);
  console.log(`kernels: wrote ${KERNELS_WASM} (${binary.length} bytes)`);
}
