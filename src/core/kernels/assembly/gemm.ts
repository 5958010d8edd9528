// Dense matrix products over the arena, f32x4. Addresses are in bytes; sizes in floats.
// Wide products of the op(B) = B case go through a packed, cache-blocked path (gemmPacked).
//
// C (m x n, row-major) = op(A) op(B), added to C when `accumulate`. Two register-blocked
// micro-kernels cover the three cases a dense layer's forward and backward passes need:
//  - op(B) = B (k x n): blocks of 4 rows x 8 columns of C, eight f32x4 accumulators, one splatted
//    element of A per row and step of k. A is read through strides, so A and A^T are the same
//    kernel (X W forward, X^T dY for the weight gradient).
//  - op(B) = B^T (B stored n x k, A stored m x k): rows of A and B are both contiguous along k, so
//    C is dot products: blocks of 2 rows x 4 columns, eight f32x4 accumulators along k, reduced
//    across lanes at the end (dY W^T for the input gradient).
// Only A^T B^T, which no trainer uses, falls back to a plain loop.

@inline
function finish(c: usize, v: v128, accumulate: bool): void {
  v128.store(c, accumulate ? f32x4.add(v128.load(c), v) : v);
}

@inline
function finishScalar(c: usize, v: f32, accumulate: bool): void {
  store<f32>(c, accumulate ? load<f32>(c) + v : v);
}

/** Rows [i0, i0 + 4) of C, with A element (i, p) at a + i * ars + p * acs (bytes). */
@inline
function rowsOf4(i0: i32, n: i32, k: i32, a: usize, ars: usize, acs: usize, b: usize, c: usize, accumulate: bool): void {
  const a0 = a + <usize>i0 * ars;
  const a1 = a0 + ars;
  const a2 = a1 + ars;
  const a3 = a2 + ars;
  const bStride = <usize>n << 2;
  const c0 = c + <usize>(i0 * n) * 4;
  const c1 = c0 + bStride;
  const c2 = c1 + bStride;
  const c3 = c2 + bStride;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
    let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
    let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
    let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let x = v128.load32_splat(a0 + ap);
      s00 = f32x4.add(s00, f32x4.mul(x, b0));
      s01 = f32x4.add(s01, f32x4.mul(x, b1));
      x = v128.load32_splat(a1 + ap);
      s10 = f32x4.add(s10, f32x4.mul(x, b0));
      s11 = f32x4.add(s11, f32x4.mul(x, b1));
      x = v128.load32_splat(a2 + ap);
      s20 = f32x4.add(s20, f32x4.mul(x, b0));
      s21 = f32x4.add(s21, f32x4.mul(x, b1));
      x = v128.load32_splat(a3 + ap);
      s30 = f32x4.add(s30, f32x4.mul(x, b0));
      s31 = f32x4.add(s31, f32x4.mul(x, b1));
      bp += bStride;
      ap += acs;
    }
    const o = <usize>j << 2;
    finish(c0 + o, s00, accumulate); finish(c0 + o + 16, s01, accumulate);
    finish(c1 + o, s10, accumulate); finish(c1 + o + 16, s11, accumulate);
    finish(c2 + o, s20, accumulate); finish(c2 + o + 16, s21, accumulate);
    finish(c3 + o, s30, accumulate); finish(c3 + o + 16, s31, accumulate);
  }
  for (; j + 4 <= n; j += 4) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(bp);
      s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(a0 + ap), b0));
      s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(a1 + ap), b0));
      s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(a2 + ap), b0));
      s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(a3 + ap), b0));
      bp += bStride;
      ap += acs;
    }
    const o = <usize>j << 2;
    finish(c0 + o, s0, accumulate);
    finish(c1 + o, s1, accumulate);
    finish(c2 + o, s2, accumulate);
    finish(c3 + o, s3, accumulate);
  }
  for (; j < n; j++) {
    // A column of C at a time: the four rows' sums in the lanes of one vector.
    let s = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      let x = f32x4.splat(load<f32>(a0 + ap));
      x = f32x4.replace_lane(x, 1, load<f32>(a1 + ap));
      x = f32x4.replace_lane(x, 2, load<f32>(a2 + ap));
      x = f32x4.replace_lane(x, 3, load<f32>(a3 + ap));
      s = f32x4.add(s, f32x4.mul(x, v128.load32_splat(bp)));
      bp += bStride;
      ap += acs;
    }
    const o = <usize>j << 2;
    finishScalar(c0 + o, f32x4.extract_lane(s, 0), accumulate);
    finishScalar(c1 + o, f32x4.extract_lane(s, 1), accumulate);
    finishScalar(c2 + o, f32x4.extract_lane(s, 2), accumulate);
    finishScalar(c3 + o, f32x4.extract_lane(s, 3), accumulate);
  }
}

/** Row i of C alone (the m % 4 rows left over by rowsOf4). */
@inline
function oneRow(i: i32, n: i32, k: i32, a: usize, ars: usize, acs: usize, b: usize, c: usize, accumulate: bool): void {
  const a0 = a + <usize>i * ars;
  const bStride = <usize>n << 2;
  const c0 = c + <usize>(i * n) * 4;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      const x = v128.load32_splat(a0 + ap);
      s0 = f32x4.add(s0, f32x4.mul(x, v128.load(bp)));
      s1 = f32x4.add(s1, f32x4.mul(x, v128.load(bp, 16)));
      bp += bStride;
      ap += acs;
    }
    const o = <usize>j << 2;
    finish(c0 + o, s0, accumulate);
    finish(c0 + o + 16, s1, accumulate);
  }
  for (; j + 4 <= n; j += 4) {
    let s0 = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(a0 + ap), v128.load(bp)));
      bp += bStride;
      ap += acs;
    }
    finish(c0 + (<usize>j << 2), s0, accumulate);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      s += load<f32>(a0 + ap) * load<f32>(bp);
      bp += bStride;
      ap += acs;
    }
    finishScalar(c0 + (<usize>j << 2), s, accumulate);
  }
}

// The packed path for wide layers (C of whole 4 x 8 blocks). Unpacked, each 4 rows of C stream the
// whole of B, and B's rows (and A^T's) lie a power-of-two apart (4 KB for 1,024 floats), so they all
// fall into the same few cache sets and evict each other: a 1,024-wide layer at batch 4,096 ran at
// 21 GFLOP/s against 48 at 512 wide, and its weight gradient at 8. Packed, a block of B (256 steps
// of k by 128 columns, 128 KB) is copied once into contiguous scratch, where it stays in L2 while
// every row block of A passes over it, and each 4 rows of A for that block are copied to 4 KB of
// scratch in the order the micro-kernel reads them.
export const PACK_STEPS: i32 = 256;
export const PACK_COLUMNS: i32 = 128;
/** Floats of scratch the packed path needs past the arena: the block of B and the 4 rows of A. */
export const PACK_FLOATS: i32 = PACK_STEPS * PACK_COLUMNS + PACK_STEPS * 4;

/** Whether the packed path takes this product: whole 4 x 8 blocks of C, and enough rows and depth for the copies to pay. */
@inline
function packable(m: i32, n: i32, k: i32): bool {
  return (m & 3) == 0 && (n & 7) == 0 && m >= 16 && n * k >= PACK_STEPS * PACK_COLUMNS * 2;
}

/** C = op(A) B in packed blocks (see above); `scratch` holds PACK_FLOATS floats. */
function gemmPacked(m: i32, n: i32, k: i32, a: usize, ars: usize, acs: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  const panel = scratch;
  const rows = scratch + (<usize>(PACK_STEPS * PACK_COLUMNS) << 2);
  const cStride = <usize>n << 2;
  for (let j0 = 0; j0 < n; j0 += PACK_COLUMNS) {
    const nb = min(PACK_COLUMNS, n - j0);
    const pStride = <usize>nb << 2;
    for (let p0 = 0; p0 < k; p0 += PACK_STEPS) {
      const kb = min(PACK_STEPS, k - p0);
      // The blocks of k after the first add to what the first wrote.
      const acc = accumulate || p0 > 0;
      for (let p = 0; p < kb; p++) memory.copy(panel + <usize>p * pStride, b + <usize>(p0 + p) * cStride + (<usize>j0 << 2), pStride);
      for (let i = 0; i < m; i += 4) {
        const a0 = a + <usize>i * ars + <usize>p0 * acs;
        for (let p = 0; p < kb; p++) {
          const from = a0 + <usize>p * acs;
          const to = rows + (<usize>p << 4);
          store<f32>(to, load<f32>(from));
          store<f32>(to, load<f32>(from + ars), 4);
          store<f32>(to, load<f32>(from + 2 * ars), 8);
          store<f32>(to, load<f32>(from + 3 * ars), 12);
        }
        const c0 = c + <usize>i * cStride + (<usize>j0 << 2);
        const c1 = c0 + cStride;
        const c2 = c1 + cStride;
        const c3 = c2 + cStride;
        for (let j = 0; j < nb; j += 8) {
          let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
          let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
          let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
          let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
          let bp = panel + (<usize>j << 2);
          let ap = rows;
          for (let p = 0; p < kb; p++) {
            const b0 = v128.load(bp);
            const b1 = v128.load(bp, 16);
            let x = v128.load32_splat(ap);
            s00 = f32x4.add(s00, f32x4.mul(x, b0));
            s01 = f32x4.add(s01, f32x4.mul(x, b1));
            x = v128.load32_splat(ap, 4);
            s10 = f32x4.add(s10, f32x4.mul(x, b0));
            s11 = f32x4.add(s11, f32x4.mul(x, b1));
            x = v128.load32_splat(ap, 8);
            s20 = f32x4.add(s20, f32x4.mul(x, b0));
            s21 = f32x4.add(s21, f32x4.mul(x, b1));
            x = v128.load32_splat(ap, 12);
            s30 = f32x4.add(s30, f32x4.mul(x, b0));
            s31 = f32x4.add(s31, f32x4.mul(x, b1));
            bp += pStride;
            ap += 16;
          }
          const o = <usize>j << 2;
          finish(c0 + o, s00, acc); finish(c0 + o + 16, s01, acc);
          finish(c1 + o, s10, acc); finish(c1 + o + 16, s11, acc);
          finish(c2 + o, s20, acc); finish(c2 + o + 16, s21, acc);
          finish(c3 + o, s30, acc); finish(c3 + o + 16, s31, acc);
        }
      }
    }
  }
}

/** C = op(A) B with A element (i, p) at a + i * ars + p * acs. */
function gemmB(m: i32, n: i32, k: i32, a: usize, ars: usize, acs: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (scratch != 0 && packable(m, n, k)) {
    gemmPacked(m, n, k, a, ars, acs, b, c, accumulate, scratch);
    return;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) rowsOf4(i, n, k, a, ars, acs, b, c, accumulate);
  for (; i < m; i++) oneRow(i, n, k, a, ars, acs, b, c, accumulate);
}

@inline
function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Four lane sums of (w, x, y, z) as one vector: (sum w, sum x, sum y, sum z). */
@inline
function sums4(w: v128, x: v128, y: v128, z: v128): v128 {
  const wx = f32x4.add(i32x4.shuffle(w, x, 0, 1, 4, 5), i32x4.shuffle(w, x, 2, 3, 6, 7));
  const yz = f32x4.add(i32x4.shuffle(y, z, 0, 1, 4, 5), i32x4.shuffle(y, z, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(wx, yz, 0, 2, 4, 6), i32x4.shuffle(wx, yz, 1, 3, 5, 7));
}

/** Dot product of k floats at x and y. */
@inline
function dot(x: usize, y: usize, k: i32): f32 {
  let s = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const o = <usize>p << 2;
    s = f32x4.add(s, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let t = horizontalSum(s);
  for (; p < k; p++) t += load<f32>(x + (<usize>p << 2)) * load<f32>(y + (<usize>p << 2));
  return t;
}

/** C = A B^T, A stored m x k and B stored n x k: dot products of rows. */
function gemmBt(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  const row = <usize>k << 2;
  const k4 = k & ~3;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + <usize>i * row;
    const a1 = a0 + row;
    const c0 = c + <usize>(i * n) * 4;
    const c1 = c0 + (<usize>n << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * row;
      const b1 = b0 + row;
      const b2 = b1 + row;
      const b3 = b2 + row;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      let o: usize = 0;
      const end = <usize>k4 << 2;
      for (; o < end; o += 16) {
        const x0 = v128.load(a0 + o);
        const x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = f32x4.add(s00, f32x4.mul(x0, y));
        s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(b1 + o);
        s01 = f32x4.add(s01, f32x4.mul(x0, y));
        s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(b2 + o);
        s02 = f32x4.add(s02, f32x4.mul(x0, y));
        s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(b3 + o);
        s03 = f32x4.add(s03, f32x4.mul(x0, y));
        s13 = f32x4.add(s13, f32x4.mul(x1, y));
      }
      let r0 = sums4(s00, s01, s02, s03);
      let r1 = sums4(s10, s11, s12, s13);
      for (let p = k4; p < k; p++) {
        const q = <usize>p << 2;
        let y = f32x4.splat(load<f32>(b0 + q));
        y = f32x4.replace_lane(y, 1, load<f32>(b1 + q));
        y = f32x4.replace_lane(y, 2, load<f32>(b2 + q));
        y = f32x4.replace_lane(y, 3, load<f32>(b3 + q));
        r0 = f32x4.add(r0, f32x4.mul(v128.load32_splat(a0 + q), y));
        r1 = f32x4.add(r1, f32x4.mul(v128.load32_splat(a1 + q), y));
      }
      const jo = <usize>j << 2;
      finish(c0 + jo, r0, accumulate);
      finish(c1 + jo, r1, accumulate);
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * row;
      const jo = <usize>j << 2;
      finishScalar(c0 + jo, dot(a0, bj, k), accumulate);
      finishScalar(c1 + jo, dot(a1, bj, k), accumulate);
    }
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * row;
    const ci = c + <usize>(i * n) * 4;
    for (let j = 0; j < n; j++) finishScalar(ci + (<usize>j << 2), dot(ai, b + <usize>j * row, k), accumulate);
  }
}

/** C = A^T B^T, A stored k x m and B stored n x k. */
function gemmAtBt(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) s += load<f32>(a + (<usize>(p * m + i) << 2)) * load<f32>(b + (<usize>(j * k + p) << 2));
      finishScalar(c + (<usize>(i * n + j) << 2), s, accumulate);
    }
  }
}

/** `scratch`: PACK_FLOATS floats the packed path may use (0: none, so it is not taken). */
export function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  if (!transB) {
    // A (m x k): row stride k floats, column stride 1; A^T (A stored k x m): row stride 1, column stride m.
    if (transA) gemmB(m, n, k, a, 4, <usize>m << 2, b, c, accumulate, scratch);
    else gemmB(m, n, k, a, <usize>k << 2, 4, b, c, accumulate, scratch);
  } else if (!transA) gemmBt(m, n, k, a, b, c, accumulate);
  else gemmAtBt(m, n, k, a, b, c, accumulate);
}
