import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS_WASM, compileKernelsWasm } from '../../../scripts/kernels-wasm';
import { kernelsWasmFile } from './wasm';

describe('the committed kernels binary', () => {
  it('is the loader’s file and byte-identical to a fresh compile of src/core/kernels/assembly (run `npm run wasm` after changing them)', async () => {
    expect(kernelsWasmFile()).toBe(KERNELS_WASM);
    const fresh = await compileKernelsWasm();
    const committed = readFileSync(KERNELS_WASM);
    expect(committed.length, 'the binary is stale: run `npm run wasm`').toBe(fresh.length);
    expect(Buffer.compare(committed, Buffer.from(fresh)), 'the binary is stale: run `npm run wasm`').toBe(0);
  });
});
