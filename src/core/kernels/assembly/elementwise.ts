// The element-wise steps around a dense layer's products, f32x4 with scalar tails. Addresses in bytes.

/** Each of the m rows of C (m x n) gets bias (n) added. */
export function addBias(c: usize, bias: usize, m: i32, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * n) << 2);
    let j = 0;
    for (; j < n4; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

/** out (n) = the column sums of A (m x n), added to out when `accumulate`. */
export function columnSums(a: usize, m: i32, n: i32, out: usize, accumulate: bool): void {
  const n4 = n & ~3;
  if (!accumulate) memory.fill(out, 0, <usize>n << 2);
  for (let i = 0; i < m; i++) {
    const row = a + (<usize>(i * n) << 2);
    let j = 0;
    for (; j < n4; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(row + o)));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o));
    }
  }
}

/** x = max(x, 0) in place; NaN stays NaN, as in the reference, so divergence is still seen. */
export function relu(x: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const end = x + (<usize>count << 2);
  const end4 = x + (<usize>(count & ~3) << 2);
  let p = x;
  // f32x4.max propagates NaN, and max(-0, 0) is +0.
  for (; p < end4; p += 16) v128.store(p, f32x4.max(v128.load(p), zero));
  for (; p < end; p += 4) {
    const v = load<f32>(p);
    if (v <= 0) store<f32>(p, 0);
  }
}

/** dx = 0 wherever !(y > 0): the ReLU's backward pass given its output y. */
export function reluBackward(dx: usize, y: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const count4 = count & ~3;
  let i = 0;
  for (; i < count4; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, v128.and(v128.load(dx + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    if (!(load<f32>(y + o) > 0)) store<f32>(dx + o, 0);
  }
}
