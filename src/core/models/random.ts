/** Seeded randomness for training, so the same seed gives the same model (Math.random cannot be seeded). */

/** A generator of floats in [0, 1) whose whole state is one 32-bit number, saved in checkpoints to resume the same sequence. */
export interface SeededRandom {
  (): number;
  state: number;
}

/** mulberry32: small, fast, good enough to shuffle minibatches. */
export function seededRandom(seed: number): SeededRandom {
  const rand = (() => {
    rand.state = (rand.state + 0x6d2b79f5) >>> 0;
    let t = rand.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as SeededRandom;
  rand.state = seed >>> 0;
  return rand;
}

/** Fisher-Yates over 0..n-1. */
export function permutation(n: number, rand: () => number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}
