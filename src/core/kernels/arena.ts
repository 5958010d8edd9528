/** The arena's bump allocator, shared by both implementations so they lay buffers out alike. */
import type { Ptr } from './types';

const ALIGN = 4; // floats: 16 bytes, one f32x4

export function arenaAllocator(heap: Float32Array): (count: number) => Ptr {
  let top = 0;
  return (count) => {
    const at = Math.ceil(top / ALIGN) * ALIGN;
    if (!Number.isInteger(count) || count < 0) throw new Error(`kernels: cannot allocate ${count} floats`);
    if (at + count > heap.length) throw new Error(`kernels: arena full (${heap.length} floats; ${count} more asked at ${at})`);
    top = at + count;
    heap.fill(0, at, top);
    return at;
  };
}
