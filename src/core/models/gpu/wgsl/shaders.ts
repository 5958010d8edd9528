/**
 * The WGSL compute shaders of Trainyard's dense trainer on WebGPU (dense-step.ts): one tiled matrix
 * product that every forward and backward product of the network is a variant of, the loss, and
 * Adam over every weight at once.
 *
 * The matrix product is the classic register-tiled one: a workgroup computes a BM x BN tile of the
 * output, staging BK-wide slices of both inputs in workgroup memory; each thread keeps TM x TN
 * outputs in registers, strided across the tile so that neighbouring threads read neighbouring
 * words (no bank conflicts, coalesced writes). What makes one shader serve the whole step:
 * - transposed reads of either input (the weight gradient is Aᵀ·dZ, the input gradient dZ·Wᵀ);
 * - A's stored rows read through an index buffer, so the first layer reads the batch's samples
 *   straight from the training set on the device (no gather pass);
 * - a row of ones appended to Aᵀ, which makes the product's last output row the bias gradient
 *   (the column sums of dZ): the kernel and bias gradients of a layer come out of one dispatch,
 *   into the layer's kernel-then-bias slot of the flat gradient buffer;
 * - an epilogue: bias (read from the same layer slot, after the kernel), bias + ReLU, or the ReLU
 *   mask of the backward pass (times 1 where the layer's output was positive).
 * A stored matrix read along k (A untransposed, B transposed) lands in its tile column by column:
 * neighbouring threads write words a tile row apart, so such a tile's rows are padded by one word,
 * which puts those writes in different banks of workgroup memory instead of all in one.
 */

/** A dimension baked into the shader, or 'n': the batch's rows, read from the uniform each step. */
export type Dim = number | 'n';

export interface Tiling {
  /** Output rows and columns per workgroup, and the slice of the reduced dimension staged at a time. */
  bm: number;
  bn: number;
  bk: number;
  /** Outputs per thread along rows and columns: the workgroup is (bn / tn) x (bm / tm) threads. */
  tm: number;
  tn: number;
}

/** 256 threads of 4 x 4 outputs: the safe default (8 KiB of workgroup memory, 16 accumulators a thread). */
export const TILE_64: Tiling = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
/** 256 threads of 8 x 8 outputs: more reuse per load, for large products on a big GPU. */
export const TILE_128: Tiling = { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 };

/**
 * The tiling and split for a product of `shape` at batch `batch`: the 128 tile where, split over the
 * batch if it reduces over it, it still gives at least AUTO_MIN_GROUPS workgroups; else the 64 tile
 * likewise. A big GPU has over a hundred compute units, each holding several workgroups: the weight
 * gradient of a 1,024-wide layer is only 9 x 8 tiles of 128, which alone would leave most of them
 * idle while each tile walks the whole batch. Split four ways over the batch's rows it is 288
 * workgroups, each walking a quarter of the rows, and Adam adds the four partial gradients.
 */
export const AUTO_MIN_GROUPS = 256;
/** Rows of the batch a split product's slice walks at least: below it, the partial sums cost more than they spread. */
export const MIN_SPLIT_ROWS = 256;
export function autoProduct(shape: ProductShape, batch: number): { tiling: Tiling; splitK: number } {
  for (const tiling of [TILE_128, TILE_64]) {
    const [x, y] = matmulGrid({ ...shape, tiling }, batch);
    const splitK = splitFor(shape, batch, x * y);
    if (x * y * splitK >= AUTO_MIN_GROUPS) return { tiling, splitK };
  }
  const [x, y] = matmulGrid({ ...shape, tiling: TILE_64 }, batch);
  return { tiling: TILE_64, splitK: splitFor(shape, batch, x * y) };
}

/** The split autoProduct's rule gives a product of `groups` tiles (1 for a product not reduced over the batch). */
function splitFor(shape: ProductShape, batch: number, groups: number): number {
  return shape.k === 'n' ? Math.max(1, Math.min(Math.ceil(AUTO_MIN_GROUPS / groups), Math.floor(batch / MIN_SPLIT_ROWS))) : 1;
}

/**
 * The tilings and splits worth timing for a product on the device (WgslDenseStep's 'tune'):
 * autoProduct's choice, each tile unsplit, and each tile split by autoProduct's rule. A product
 * that fits one 64 tile takes only that tile (a bigger one is the same single workgroup with
 * idle threads), so a small network has a single candidate per product and nothing to time.
 */
export function productCandidates(shape: ProductShape, batch: number): { tiling: Tiling; splitK: number }[] {
  const [x64, y64] = matmulGrid({ ...shape, tiling: TILE_64 }, batch);
  const tilings = x64 * y64 > 1 ? [TILE_64, TILE_128] : [TILE_64];
  const all = [autoProduct(shape, batch)];
  for (const tiling of tilings) {
    const [x, y] = matmulGrid({ ...shape, tiling }, batch);
    all.push({ tiling, splitK: 1 }, { tiling, splitK: splitFor(shape, batch, x * y) });
  }
  return all.filter((c, i) => all.findIndex((d) => d.tiling === c.tiling && d.splitK === c.splitK) === i);
}

export type Epilogue = 'none' | 'bias' | 'bias-relu' | 'relu-mask';

export interface MatmulSpec {
  /** C (m x n, row-major) = op(A) (m x k) · op(B) (k x n). */
  m: Dim;
  n: Dim;
  k: Dim;
  /** A is stored k x m (read transposed); otherwise m x k. */
  transA: boolean;
  /** B is stored n x k (read transposed); otherwise k x n. */
  transB: boolean;
  /** A's stored rows are `rows[r]`: the batch gathered in place from the whole set. */
  gatherA: boolean;
  /** op(A) has one more row, of ones: C's row m is the column sums of op(B) (a bias gradient). */
  onesRow: boolean;
  /** 'bias' and 'bias-relu' read the bias from B after its k x n kernel; 'relu-mask' reads the mask from binding 4. */
  epilogue: Epilogue;
  tiling: Tiling;
  /**
   * Split-K: the reduced dimension cut into this many slices (1 when absent), one workgroup layer
   * each; slice s writes its partial product at C + s · splitStride, and the reader adds them up.
   * Only for products with no epilogue, whose sums nobody reads before they are added.
   */
  splitK?: number;
  /** Floats between two slices' partial outputs in C (at least C's size). */
  splitStride?: number;
}

/** A product's shape and kind, before its tiling and split are chosen. */
export type ProductShape = Omit<MatmulSpec, 'tiling' | 'splitK' | 'splitStride'>;

/** The workgroup grid for `spec` at batch rows `batch`: [x (column tiles), y (row tiles), z (slices of the reduction)]. */
export function matmulGrid(spec: Omit<MatmulSpec, 'splitStride'>, batch: number): [number, number, number] {
  const size = (d: Dim) => (d === 'n' ? batch : d);
  const rows = size(spec.m) + (spec.onesRow ? 1 : 0);
  return [Math.ceil(size(spec.n) / spec.tiling.bn), Math.ceil(rows / spec.tiling.bm), spec.splitK ?? 1];
}

const dim = (d: Dim) => (d === 'n' ? 'batch.n' : `${d}u`);

function checkTiling(t: Tiling): void {
  const ok = [t.bm, t.bn, t.bk, t.tm, t.tn].every((v) => Number.isInteger(v) && v > 0) && t.bm % t.tm === 0 && t.bn % t.tn === 0;
  const threads = (t.bm / t.tm) * (t.bn / t.tn);
  if (!ok || threads > 256) throw new Error(`Tiling ${JSON.stringify(t)} is not valid: bm/tm x bn/tn must be whole and at most 256 threads`);
}

const BATCH_UNIFORM = 'struct Batch { n: u32, p1: u32, p2: u32, p3: u32 };\n@group(0) @binding(0) var<uniform> batch: Batch;';

export function matmulShader(s: MatmulSpec): string {
  checkTiling(s.tiling);
  const { bm, bn, bk, tm, tn } = s.tiling;
  const wx = bn / tn;
  const wy = bm / tm;
  if (s.epilogue.startsWith('bias') && (s.transB || s.k === 'n' || s.n === 'n')) throw new Error('A bias epilogue reads the bias after an untransposed kernel of fixed shape');
  const split = s.splitK ?? 1;
  if (!Number.isInteger(split) || split < 1) throw new Error(`A product splits into a whole number of slices, at least 1; got ${split}`);
  if (split > 1 && (s.epilogue !== 'none' || !Number.isInteger(s.splitStride) || (s.splitStride ?? 0) < 1)) {
    throw new Error('A split product needs no epilogue (its partial sums are added by the reader) and the stride between its slices');
  }
  // Stored A: row r, column c, of width `aWidth`; which logical index is the stored row depends on transA.
  const aWidth = s.transA ? dim(s.m) : dim(s.k);
  const aRow = s.gatherA ? 'rows[r]' : 'r';
  // The cooperative loads walk the stored matrices along their rows, so neighbouring threads read neighbouring words.
  const aLoad = s.transA ? `let kk = e / ${bm}u; let mm = e % ${bm}u;` : `let mm = e / ${bk}u; let kk = e % ${bk}u;`;
  const bLoad = s.transB ? `let jj = e / ${bk}u; let kk = e % ${bk}u;` : `let kk = e / ${bn}u; let jj = e % ${bn}u;`;
  // Tile row strides: padded by a word where the cooperative load writes down a column (see above).
  const pa = s.transA ? bm : bm + 1;
  const pb = s.transB ? bn + 1 : bn;
  const epilogue = {
    none: '',
    bias: `v = v + b[${dim(s.k)} * ${dim(s.n)} + col];`,
    // A NaN stays NaN, so a diverging network still shows in its loss: max(v, 0) could make it 0, and
    // WGSL lets a compiler assume v != v is false, so the test is on the bits.
    'bias-relu': `v = v + b[${dim(s.k)} * ${dim(s.n)} + col]; v = select(0.0, v, v > 0.0 || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u);`,
    'relu-mask': 'v = select(0.0, v, mask[row * N + col] > 0.0);',
  }[s.epilogue];
  return `${BATCH_UNIFORM}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
${s.epilogue === 'relu-mask' ? '@group(0) @binding(4) var<storage, read> mask: array<f32>;' : ''}
${s.gatherA ? '@group(0) @binding(5) var<storage, read> rows: array<u32>;' : ''}

const BM = ${bm}u;
const BN = ${bn}u;
const BK = ${bk}u;
const WX = ${wx}u;
const WY = ${wy}u;
const THREADS = ${wx * wy}u;
const PA = ${pa}u;
const PB = ${pb}u;
var<workgroup> tileA: array<f32, ${bk * pa}>;
var<workgroup> tileB: array<f32, ${bk * pb}>;

fn loadA(i: u32, p: u32, M: u32, kEnd: u32) -> f32 {
  if (p >= kEnd) { return 0.0; }
  ${s.onesRow ? 'if (i == M) { return 1.0; }' : ''}
  if (i >= M) { return 0.0; }
  let r = ${s.transA ? 'p' : 'i'};
  let col = ${s.transA ? 'i' : 'p'};
  return a[${aRow} * ${aWidth} + col];
}

fn loadB(p: u32, j: u32, N: u32, K: u32, kEnd: u32) -> f32 {
  if (p >= kEnd || j >= N) { return 0.0; }
  return b[${s.transB ? 'j * K + p' : 'p * N + j'}];
}

@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  _ = batch.n; // bound whether or not a dimension is the batch's, so every variant has one layout
  let M = ${dim(s.m)};
  let N = ${dim(s.n)};
  let K = ${dim(s.k)};
  let rowsOut = M${s.onesRow ? ' + 1u' : ''};
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  // This workgroup's slice of the reduction: all of it unless split, else the z-th of ${split}
  // BK-aligned slices (one past the end, and empty, when the batch is small: its partial is zero).
  let chunk = ((K + ${split - 1}u) / ${split}u + BK - 1u) / BK * BK;
  let kBegin = wg.z * chunk;
  let kEnd = min(K, kBegin + chunk);
  var acc: array<f32, ${tm * tn}>;
  var ar: array<f32, ${tm}>;
  var br: array<f32, ${tn}>;
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + BK) {
    for (var e = li; e < BM * BK; e = e + THREADS) {
      ${aLoad}
      tileA[kk * PA + mm] = loadA(row0 + mm, k0 + kk, M, kEnd);
    }
    for (var e = li; e < BN * BK; e = e + THREADS) {
      ${bLoad}
      tileB[kk * PB + jj] = loadB(k0 + kk, col0 + jj, N, K, kEnd);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk = kk + 1u) {
      for (var i = 0u; i < ${tm}u; i = i + 1u) { ar[i] = tileA[kk * PA + lid.y + i * WY]; }
      for (var j = 0u; j < ${tn}u; j = j + 1u) { br[j] = tileB[kk * PB + lid.x + j * WX]; }
      for (var i = 0u; i < ${tm}u; i = i + 1u) {
        for (var j = 0u; j < ${tn}u; j = j + 1u) {
          acc[i * ${tn}u + j] = fma(ar[i], br[j], acc[i * ${tn}u + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${tm}u; i = i + 1u) {
    let row = row0 + lid.y + i * WY;
    if (row >= rowsOut) { continue; }
    for (var j = 0u; j < ${tn}u; j = j + 1u) {
      let col = col0 + lid.x + j * WX;
      if (col >= N) { continue; }
      var v = acc[i * ${tn}u + j];
      ${epilogue}
      c[${split > 1 ? `wg.z * ${s.splitStride}u + ` : ''}row * N + col] = v;
    }
  }
}
`;
}

/** Threads of the loss's single workgroup: enough for a batch of thousands in a few passes. */
export const LOSS_THREADS = 256;

/**
 * The squared error of the batch's outputs (n x outputs) against its targets (read through the
 * batch's rows from the whole set), added to `sum[0]`; with `gradient`, also the loss gradient
 * 2 (out - y) / (n outputs) into `dz`. One workgroup: the batch is small next to the products.
 */
export function lossShader(outputs: number, gradient: boolean): string {
  return `${BATCH_UNIFORM}
@group(0) @binding(1) var<storage, read> out: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> sum: array<f32>;
@group(0) @binding(5) var<storage, read> rows: array<u32>;
${gradient ? '@group(0) @binding(4) var<storage, read_write> dz: array<f32>;' : ''}
var<workgroup> part: array<f32, ${LOSS_THREADS}>;

@compute @workgroup_size(${LOSS_THREADS})
fn main(@builtin(local_invocation_index) li: u32) {
  let total = batch.n * ${outputs}u;
  let scale = 2.0 / f32(total);
  var s = 0.0;
  for (var e = li; e < total; e = e + ${LOSS_THREADS}u) {
    let d = out[e] - y[rows[e / ${outputs}u] * ${outputs}u + e % ${outputs}u];
    ${gradient ? 'dz[e] = d * scale;' : ''}
    s = s + d * d;
  }
  part[li] = s;
  workgroupBarrier();
  for (var w = ${LOSS_THREADS / 2}u; w > 0u; w = w / 2u) {
    if (li < w) { part[li] = part[li] + part[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) { sum[0] = sum[0] + part[0]; }
}
`;
}

export const ADAM_THREADS = 256;
/** Workgroups Adam is dispatched on at most; each thread then strides over the weights (no grid limit to hit). */
export const ADAM_MAX_GROUPS = 4096;

/**
 * Adam over the flat weights, as tfjs's and the lean step's: m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g², w -= stepSize m / (sqrt(vScale v) + eps), with stepSize = lr / (1 - b1^t)
 * and vScale = 1 / (1 - b2^t) computed on the host per step. The gradient g is the sum of `parts`
 * partial gradients laid one after another, `count` floats apart (the split products' slices; a
 * layer split fewer ways leaves its later slices at zero).
 */
export const adamShader = (parts: number): string => `
struct Adam { stepSize: f32, vScale: f32, b1: f32, b2: f32, eps: f32, count: u32, p1: u32, p2: u32 };
@group(0) @binding(0) var<uniform> u: Adam;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(${ADAM_THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * ${ADAM_THREADS}u;
  for (var i = id.x; i < u.count; i = i + stride) {
    var gi = g[i];
    for (var s = 1u; s < ${parts}u; s = s + 1u) { gi = gi + g[s * u.count + i]; }
    let mi = m[i] * u.b1 + gi * (1.0 - u.b1);
    let vi = v[i] * u.b2 + gi * gi * (1.0 - u.b2);
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - (mi * u.stepSize) / (sqrt(vi * u.vScale) + u.eps);
  }
}
`;
