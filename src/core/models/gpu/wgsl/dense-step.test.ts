/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { softwareGpuDevice } from '../../../../../test/helpers/software-gpu';
import { expectAllClose } from '../../../../../test/helpers/fit-windows';
import { buildMlp } from '../../forecast/mlp-network';
import { resolveMlpParams } from '../../forecast/mlp';
import { LeanDenseStep } from '../lean-dense-step';
import { WgslDenseStep } from './dense-step';
import { TILE_128, TILE_64, autoProduct, matmulGrid, matmulShader, productCandidates, type MatmulSpec } from './shaders';

// A real WebGPU device: Dawn on SwiftShader (test/helpers/software-gpu.ts). The yardstick is the lean
// step on tfjs's cpu backend, itself checked against the layers API.
let device: GPUDevice;
beforeAll(async () => {
  device = await softwareGpuDevice();
  await tf.setBackend('cpu');
});
afterAll(() => device?.destroy());

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  });
}

/** Runs one product shader on `a` and `b` (and `mask`, `rows`) for batch rows `batch`; returns C. */
async function runMatmul(spec: MatmulSpec, batch: number, a: Float32Array, b: Float32Array, outFloats: number, extra: { mask?: Float32Array; rows?: Uint32Array } = {}): Promise<Float32Array> {
  const storage = (data: Float32Array | Uint32Array) => {
    const buf = device.createBuffer({ size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage: 0x80 | 0x08 | 0x04 });
    device.queue.writeBuffer(buf, 0, new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
    return buf;
  };
  const uniform = device.createBuffer({ size: 16, usage: 0x40 | 0x08 });
  device.queue.writeBuffer(uniform, 0, new Uint32Array([batch, 0, 0, 0]));
  const out = storage(new Float32Array(outFloats).fill(-7));
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: matmulShader(spec) }), entryPoint: 'main' } });
  const entries: GPUBindGroupEntry[] = [
    { binding: 0, resource: { buffer: uniform } },
    { binding: 1, resource: { buffer: storage(a) } },
    { binding: 2, resource: { buffer: storage(b) } },
    { binding: 3, resource: { buffer: out } },
  ];
  if (extra.mask) entries.push({ binding: 4, resource: { buffer: storage(extra.mask) } });
  if (extra.rows) entries.push({ binding: 5, resource: { buffer: storage(extra.rows) } });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(...matmulGrid(spec, batch));
  pass.end();
  const staging = device.createBuffer({ size: outFloats * 4, usage: 0x01 | 0x08 });
  encoder.copyBufferToBuffer(out, 0, staging, 0, outFloats * 4);
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  await staging.mapAsync(0x1);
  return new Float32Array(staging.getMappedRange().slice(0));
}

describe('the tiled WGSL matrix product', () => {
  // Sizes that are no multiple of any tile, so every edge of the bounds checks is crossed.
  const [M, N, K] = [37, 70, 19];
  const at = (x: Float32Array, cols: number) => (r: number, c: number) => x[r * cols + c];

  for (const tiling of [TILE_64, TILE_128]) {
    it(`computes relu(A·B + bias) with A's rows gathered, and the batch size from the uniform (tile ${tiling.bm})`, async () => {
      const source = seeded(50 * K, 1); // 50 stored rows; the batch takes M of them, out of order
      const rows = Uint32Array.from({ length: M }, (_, i) => (i * 17 + 3) % 50);
      const b = seeded(K * N + N, 2); // kernel then bias, as a layer slot
      const spec: MatmulSpec = { m: 'n', n: N, k: K, transA: false, transB: false, gatherA: true, onesRow: false, epilogue: 'bias-relu', tiling };
      const c = await runMatmul(spec, M, source, b, M * N + 8, { rows });
      const A = at(source, K);
      const B = at(b, N);
      const want: number[] = [];
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = b[K * N + j];
        for (let p = 0; p < K; p++) s += A(rows[i], p) * B(p, j);
        want.push(Math.max(0, s));
      }
      expectAllClose(c.subarray(0, M * N), want, 1e-5, 'relu(A·B + bias)');
      // Nothing is written past the output.
      expect(Array.from(c.subarray(M * N))).toEqual(new Array(8).fill(-7));
    });
  }

  it("computes Aᵀ·B with a row of ones under Aᵀ: the kernel's gradient and, in the last row, the bias's", async () => {
    const a = seeded(K * M, 3); // stored K x M: the batch's K rows of M inputs
    const dz = seeded(K * N, 4);
    const spec: MatmulSpec = { m: M, n: N, k: 'n', transA: true, transB: false, gatherA: false, onesRow: true, epilogue: 'none', tiling: TILE_64 };
    const c = await runMatmul(spec, K, a, dz, (M + 1) * N);
    const want: number[] = [];
    for (let i = 0; i <= M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) s += (i === M ? 1 : a[p * M + i]) * dz[p * N + j];
      want.push(s);
    }
    expectAllClose(c, want, 1e-5, '[Aᵀ; 1ᵀ]·dZ');
  });

  it('computes (A·Bᵀ) ⊙ (mask > 0): the input gradient through a ReLU', async () => {
    const dz = seeded(M * K, 5); // M x K
    const w = seeded(N * K, 6); // stored N x K, read transposed
    const mask = seeded(M * N, 7).map((v) => Math.max(0, v));
    const spec: MatmulSpec = { m: 'n', n: N, k: K, transA: false, transB: true, gatherA: false, onesRow: false, epilogue: 'relu-mask', tiling: TILE_64 };
    const c = await runMatmul(spec, M, dz, w, M * N, { mask });
    const want: number[] = [];
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) s += dz[i * K + p] * w[j * K + p];
      want.push(mask[i * N + j] > 0 ? s : 0);
    }
    expectAllClose(c, want, 1e-5, '(dZ·Wᵀ) ⊙ mask');
  });

  it('keeps a NaN through the ReLU, so a diverging network still shows in its loss', async () => {
    const a = new Float32Array([NaN, 1, 1, 1]);
    const spec: MatmulSpec = { m: 'n', n: 1, k: 2, transA: false, transB: false, gatherA: false, onesRow: false, epilogue: 'bias-relu', tiling: TILE_64 };
    const c = await runMatmul(spec, 2, a, new Float32Array([1, 1, 0]), 2);
    expect(Number.isNaN(c[0])).toBe(true);
    expect(c[1]).toBe(2);
  });

  it('splits a reduction over the batch into partial products that add up to it, an empty slice giving zeros', async () => {
    const a = seeded(K * M, 8); // stored K x M
    const dz = seeded(K * N, 9);
    const size = (M + 1) * N;
    const stride = size + 5; // slices apart by more than one output, so a write past a slice shows
    // 19 rows in 3 slices of 16 (BK-aligned): 16, 3, and none.
    const spec: MatmulSpec = { m: M, n: N, k: 'n', transA: true, transB: false, gatherA: false, onesRow: true, epilogue: 'none', tiling: TILE_64, splitK: 3, splitStride: stride };
    expect(matmulGrid(spec, K)[2]).toBe(3);
    const c = await runMatmul(spec, K, a, dz, 3 * stride);
    const want: number[] = [];
    const sum: number[] = [];
    for (let i = 0; i <= M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) s += (i === M ? 1 : a[p * M + i]) * dz[p * N + j];
      want.push(s);
      sum.push(c[i * N + j] + c[stride + i * N + j] + c[2 * stride + i * N + j]);
    }
    expectAllClose(sum, want, 1e-5, 'the sum of the partial products');
    expect(Array.from(c.subarray(2 * stride, 2 * stride + size)).every((v) => v === 0)).toBe(true);
    expect(Array.from(c.subarray(size, stride))).toEqual(new Array(5).fill(-7));
    expect(() => matmulShader({ ...spec, epilogue: 'relu-mask' })).toThrow(/split product needs no epilogue/);
    expect(() => matmulShader({ ...spec, splitStride: undefined })).toThrow(/stride between its slices/);
  });

  it('takes the 128 tile where it fills a big GPU, splitting weight gradients over the batch to get there', () => {
    const forward = { m: 'n', n: 1024, k: 1024, transA: false, transB: false, gatherA: false, onesRow: false, epilogue: 'bias-relu' } as const;
    const weightGradient = { m: 1024, n: 1024, k: 'n', transA: true, transB: false, gatherA: false, onesRow: true, epilogue: 'none' } as const;
    const firstGradient = { ...weightGradient, m: 64, gatherA: true } as const;
    expect(autoProduct(forward, 4096)).toEqual({ tiling: TILE_128, splitK: 1 }); // 8 x 32 tiles of 128
    expect(autoProduct(weightGradient, 4096)).toEqual({ tiling: TILE_128, splitK: 4 }); // 8 x 9 tiles, 4 slices of 1,024 rows
    expect(autoProduct(firstGradient, 4096)).toEqual({ tiling: TILE_64, splitK: 8 }); // 16 x 2 tiles of 64, 8 slices of 512 rows
    expect(autoProduct(forward, 64)).toEqual({ tiling: TILE_64, splitK: 1 });
    expect(autoProduct(weightGradient, 300)).toEqual({ tiling: TILE_64, splitK: 1 }); // too few rows to split
  });

  it('times only what can differ: every tile, unsplit and split, for a big product; the 64 tile alone for one that fits it', () => {
    const weightGradient = { m: 1024, n: 1024, k: 'n', transA: true, transB: false, gatherA: false, onesRow: true, epilogue: 'none' } as const;
    expect(productCandidates(weightGradient, 4096)).toEqual([
      { tiling: TILE_128, splitK: 4 }, // autoProduct's, first
      { tiling: TILE_64, splitK: 1 }, // 17 x 16 tiles of 64 already fill the GPU: no split
      { tiling: TILE_128, splitK: 1 },
    ]);
    expect(productCandidates({ ...weightGradient, m: 40, n: 50 }, 32)).toEqual([{ tiling: TILE_64, splitK: 1 }]);
  });

  it('refuses a tiling of more than 256 threads and a bias read from a transposed kernel', () => {
    expect(() => matmulShader({ m: 4, n: 4, k: 4, transA: false, transB: false, gatherA: false, onesRow: false, epilogue: 'none', tiling: { bm: 128, bn: 128, bk: 8, tm: 4, tn: 4 } })).toThrow(/at most 256 threads/);
    expect(() => matmulShader({ m: 4, n: 4, k: 4, transA: false, transB: true, gatherA: false, onesRow: false, epilogue: 'bias', tiling: TILE_64 })).toThrow(/untransposed kernel/);
  });
});

const FEATURES = 12;
function sets(count: number, seed: number) {
  const x = seeded(count * FEATURES, seed);
  // A target the network can learn: a nonlinear mix of the inputs.
  const y = Float32Array.from({ length: count }, (_, i) => Math.max(0, x[i * FEATURES]) + 0.5 * x[i * FEATURES + 1]);
  return { x, y, count };
}

describe("Trainyard's dense trainer on WebGPU", () => {
  const p = resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 16, layers: 2, learningRate: 0.01, seed: 7 });
  const train = sets(100, 11);
  const val = sets(45, 12);
  const model = buildMlp(p);
  const start = () => model.getWeights().map((w) => ({ values: w.dataSync() as Float32Array, shape: w.shape }));

  // Split 3 ways, a batch of 32 is two slices of 16 and an empty one; the short batch of 4, one and two empty.
  for (const [name, product] of [['auto', {}], ['weight gradients split 3 ways', { tiling: TILE_64, splitK: 3 }]] as const) {
  it(`trains as the lean step does: the same losses, validation loss, weights and Adam state, with a short last batch (${name})`, async () => {
    const ours = new WgslDenseStep(device, start(), { adam: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() }, maxBatch: 32, train, val, ...product });
    await ours.ready();
    // Every product at the 64 tile for so small a network; the weight gradients (last layer's first) split when asked.
    const grads = 'splitK' in product ? '64/3, 64/3, 64/3' : '64, 64, 64';
    expect(ours.describeProducts()).toBe(`forward 64, 64, 64 · weight gradients ${grads} · input gradients 64, 64`);
    const lean = new LeanDenseStep(model.getWeights(), { learningRate: 0.01 });
    const [tx, ty] = [tf.tensor2d(train.x, [train.count, FEATURES]), tf.tensor2d(train.y, [train.count, 1])];
    try {
      for (let epoch = 0; epoch < 3; epoch++) {
        // Batches of 32, 32, 32 and 4 over a shuffled order.
        const order = Int32Array.from({ length: train.count }, (_, i) => (i * 37 + epoch * 11) % train.count);
        let leanSum = 0;
        for (let from = 0; from < train.count; from += 32) {
          const rows = order.subarray(from, Math.min(train.count, from + 32));
          ours.step(rows);
          const idx = tf.tensor1d(rows, 'int32');
          const [x, y] = [tf.gather(tx, idx) as tf.Tensor2D, tf.gather(ty, idx) as tf.Tensor2D];
          leanSum += lean.trainOnBatch(x, y) * rows.length;
          tf.dispose([idx, x, y]);
        }
        expect(await ours.takeMeanLoss()).toBeCloseTo(leanSum / train.count, 5);
        const [vx, vy] = [tf.tensor2d(val.x, [val.count, FEATURES]), tf.tensor2d(val.y, [val.count, 1])];
        // 45 validation rows in batches of 32 and 13.
        expect(await ours.validationLoss()).toBeCloseTo(await lean.meanSquaredError(vx, vy), 5);
        tf.dispose([vx, vy]);
      }
      const theirs = lean.weights();
      (await ours.weights()).forEach((w, i) => expectAllClose(w, theirs[i].dataSync(), 1e-4, `weight ${i}`));
      tf.dispose(theirs);
      const [a, b] = [await ours.adamState(), await lean.adamState()];
      expect(a.step).toBe(12);
      a.m.forEach((m, i) => expectAllClose(m, b.m[i], 1e-5, `m ${i}`));
      a.v.forEach((v, i) => expectAllClose(v, b.v[i], 1e-6, `v ${i}`));
      expect(Number.isNaN(await ours.takeMeanLoss())).toBe(true); // nothing since the last read
    } finally {
      ours.destroy();
      lean.dispose();
      tf.dispose([tx, ty]);
    }
  });
  }

  it('tunes each product on the device, then trains as the untimed choice does', async () => {
    // Wide and batched enough for several candidates per product, and no more (SwiftShader is slow):
    // one layer of 65 units (two 64 tiles), batches of 512 rows (split 2 ways).
    const wide = buildMlp(resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 65, layers: 1, learningRate: 0.01, seed: 3 }));
    const weights = wide.getWeights().map((w) => ({ values: w.dataSync() as Float32Array, shape: w.shape }));
    wide.dispose();
    const big = sets(600, 13);
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const [tuned, auto] = [new WgslDenseStep(device, weights, { adam, maxBatch: 512, train: big, val }), new WgslDenseStep(device, weights, { adam, maxBatch: 512, train: big, val, tiling: 'auto' })];
    try {
      await Promise.all([tuned.ready(), auto.ready()]);
      expect(auto.describeProducts()).toBe('forward 64, 64 · weight gradients 64/2, 64/2 · input gradients 64');
      // Whatever the device timed fastest, each product is one of its candidates.
      const choice = String.raw`(64|128)(/2)?`;
      expect(tuned.describeProducts()).toMatch(new RegExp(`^forward ${choice}, ${choice} · weight gradients ${choice}, ${choice} · input gradients ${choice}$`));
      const order = Int32Array.from({ length: 512 }, (_, i) => (i * 7) % big.count);
      for (let i = 0; i < 3; i++) [tuned, auto].forEach((t) => t.step(order));
      expect(await tuned.takeMeanLoss()).toBeCloseTo(await auto.takeMeanLoss(), 5);
      const [a, b] = [await tuned.weights(), await auto.weights()];
      a.forEach((w, i) => expectAllClose(w, b[i], 1e-5, `weight ${i}`));
      expect(await tuned.validationLoss()).toBeCloseTo(await auto.validationLoss(), 5);
      // The next trainer of the same shapes on this device (a study's next trial) takes the same choices without timing them again.
      const again = new WgslDenseStep(device, weights, { adam, maxBatch: 512, train: big, val });
      await again.ready();
      expect(again.describeProducts()).toBe(tuned.describeProducts());
      again.destroy();
    } finally {
      [tuned, auto].forEach((t) => t.destroy());
    }
  });

  it('carries on from an Adam state exactly as an uninterrupted run', async () => {
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const order = Int32Array.from({ length: 32 }, (_, i) => i);
    const whole = new WgslDenseStep(device, start(), { adam, maxBatch: 32, train, val });
    for (let i = 0; i < 4; i++) whole.step(order);
    const half = new WgslDenseStep(device, start(), { adam, maxBatch: 32, train, val });
    for (let i = 0; i < 2; i++) half.step(order);
    const weights = await half.weights();
    const state = await half.adamState();
    const resumed = new WgslDenseStep(device, weights.map((values, i) => ({ values, shape: model.getWeights()[i].shape })), { adam, maxBatch: 32, train, val });
    resumed.setAdamState(state);
    for (let i = 0; i < 2; i++) resumed.step(order);
    const [a, b] = [await whole.weights(), await resumed.weights()];
    a.forEach((w, i) => expect(Array.from(b[i])).toEqual(Array.from(w)));
    expect(() => resumed.setAdamState({ ...state, m: state.m.slice(1) })).toThrow(/does not fit this network/);
    [whole, half, resumed].forEach((t) => t.destroy());
  });

  it('refuses what does not fit, saying what: the weights, the sets, the batch', async () => {
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const w = start();
    expect(() => new WgslDenseStep(device, w.slice(0, 3), { adam, maxBatch: 8, train, val })).toThrow(/kernel and a bias per layer; got 3/);
    expect(() => new WgslDenseStep(device, [w[0], w[1], w[0], w[1]], { adam, maxBatch: 8, train, val })).toThrow(/Layer 1 is not dense after the one before/);
    expect(() => new WgslDenseStep(device, w, { adam, maxBatch: 8, train: { ...train, count: 99 }, val })).toThrow(/training set does not fit the network: 99 samples/);
    const t = new WgslDenseStep(device, w, { adam, maxBatch: 8, train, val });
    expect(() => t.step(new Int32Array(9))).toThrow(/A batch takes 1 to 8 rows; got 9/);
    t.destroy();
    expect(() => t.step(new Int32Array(2))).toThrow(/destroyed/);
  });
});
