// The LSTM cell's element-wise steps (tfjs's LSTMCell: tanh, hard sigmoid, gates i, f, c, o), f32x4
// with a scalar tail that runs the same vector code on one lane. Addresses in bytes; sizes in floats.
//
// tanh is computed as e / (e + 2) with e = expm1(2|x|), the sign put back, |x| capped at 9 (where
// tanh is 1 in float32). expm1 reduces y = n ln2 + r, |r| <= ln2 / 2, and sums the Taylor series of
// e^r - 1 to r^7 (truncation below 2e-8 relative), then 2^n (e^r - 1) + (2^n - 1): no cancellation near 0,
// so tanh keeps its relative accuracy for small x. Measured against Math.tanh on 200,001 points over
// [-12, 12]: max absolute error 8.8e-8, max relative error 1.8e-7 (about 1.5 float32 ulps); the
// kernels' tests hold it under 1.5e-7 absolute and 3e-7 relative.

const LOG2E: f32 = 1.4426950408889634;
// ln 2 split so that n * LN2_HI is exact for the n this range needs (|n| < 2^8).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const TANH_CAP: f32 = 9;

/** e^y - 1 for 0 <= y <= 2 * TANH_CAP, four lanes. */
@inline
function expm1x4(y: v128): v128 {
  const n = f32x4.nearest(f32x4.mul(y, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let q = f32x4.splat(<f32>(1.0 / 5040));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 720)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 120)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 24)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 6)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>0.5));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>1));
  q = f32x4.mul(q, r); // e^r - 1
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23); // 2^n
  return f32x4.add(f32x4.mul(scale, q), f32x4.sub(scale, f32x4.splat(1)));
}

/** tanh, four lanes; NaN stays NaN (f32x4.min propagates it), so divergence is still seen. */
@inline
function tanhx4(x: v128): v128 {
  const ax = f32x4.min(f32x4.abs(x), f32x4.splat(TANH_CAP));
  const e = expm1x4(f32x4.add(ax, ax));
  const t = f32x4.div(e, f32x4.add(e, f32x4.splat(2)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** tfjs's hardSigmoid clip(0.2 z + 0.5, 0, 1); NaN stays NaN. */
@inline
function hardSigmoidx4(z: v128): v128 {
  const y = f32x4.add(f32x4.mul(z, f32x4.splat(0.2)), f32x4.splat(0.5));
  return f32x4.min(f32x4.max(y, f32x4.splat(0)), f32x4.splat(1));
}

/** The hard sigmoid's slope read off its output y: 0.2 where 0 < y < 1, else 0. */
@inline
function hardSigmoidSlopex4(y: v128): v128 {
  const inside = v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, f32x4.splat(1)));
  return v128.and(inside, f32x4.splat(0.2));
}

/** Four cells (or one, in lane 0, when `lanes` is 1) of one row: see lstmCellForward. */
@inline
function forward4(z: usize, cPrev: usize, c: usize, h: usize, uBytes: usize, lanes: i32): void {
  const i = hardSigmoidx4(lanes == 4 ? v128.load(z) : v128.load32_splat(z));
  const f = hardSigmoidx4(lanes == 4 ? v128.load(z + uBytes) : v128.load32_splat(z + uBytes));
  const g = tanhx4(lanes == 4 ? v128.load(z + 2 * uBytes) : v128.load32_splat(z + 2 * uBytes));
  const o = hardSigmoidx4(lanes == 4 ? v128.load(z + 3 * uBytes) : v128.load32_splat(z + 3 * uBytes));
  const cp = lanes == 4 ? v128.load(cPrev) : v128.load32_splat(cPrev);
  const cell = f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g));
  const hidden = f32x4.mul(o, tanhx4(cell));
  if (lanes == 4) {
    v128.store(z, i);
    v128.store(z + uBytes, f);
    v128.store(z + 2 * uBytes, g);
    v128.store(z + 3 * uBytes, o);
    v128.store(c, cell);
    v128.store(h, hidden);
  } else {
    store<f32>(z, f32x4.extract_lane(i, 0));
    store<f32>(z + uBytes, f32x4.extract_lane(f, 0));
    store<f32>(z + 2 * uBytes, f32x4.extract_lane(g, 0));
    store<f32>(z + 3 * uBytes, f32x4.extract_lane(o, 0));
    store<f32>(c, f32x4.extract_lane(cell, 0));
    store<f32>(h, f32x4.extract_lane(hidden, 0));
  }
}

/**
 * gates (batch x 4u pre-activations, gate order i, f, c, o) become the activations i, f, g, o;
 * c = f cPrev + i g and h = o tanh(c) (batch x u each).
 */
export function lstmCellForward(gates: usize, cPrev: usize, c: usize, h: usize, batch: i32, units: i32): void {
  const uBytes = <usize>units << 2;
  const u4 = units & ~3;
  for (let b = 0; b < batch; b++) {
    const z = gates + <usize>b * 4 * uBytes;
    const row = <usize>b * uBytes;
    let j = 0;
    for (; j < u4; j += 4) {
      const o = <usize>j << 2;
      forward4(z + o, cPrev + row + o, c + row + o, h + row + o, uBytes, 4);
    }
    for (; j < units; j++) {
      const o = <usize>j << 2;
      forward4(z + o, cPrev + row + o, c + row + o, h + row + o, uBytes, 1);
    }
  }
}

@inline
function backward4(a: usize, cPrev: usize, c: usize, dh: usize, dc: usize, d: usize, uBytes: usize, lanes: i32): void {
  const i = lanes == 4 ? v128.load(a) : v128.load32_splat(a);
  const f = lanes == 4 ? v128.load(a + uBytes) : v128.load32_splat(a + uBytes);
  const g = lanes == 4 ? v128.load(a + 2 * uBytes) : v128.load32_splat(a + 2 * uBytes);
  const o = lanes == 4 ? v128.load(a + 3 * uBytes) : v128.load32_splat(a + 3 * uBytes);
  const cp = lanes == 4 ? v128.load(cPrev) : v128.load32_splat(cPrev);
  const tc = tanhx4(lanes == 4 ? v128.load(c) : v128.load32_splat(c));
  const dhv = lanes == 4 ? v128.load(dh) : v128.load32_splat(dh);
  const dcv = lanes == 4 ? v128.load(dc) : v128.load32_splat(dc);
  const one = f32x4.splat(1);
  const dcell = f32x4.add(dcv, f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  const di = f32x4.mul(f32x4.mul(dcell, g), hardSigmoidSlopex4(i));
  const df = f32x4.mul(f32x4.mul(dcell, cp), hardSigmoidSlopex4(f));
  const dg = f32x4.mul(f32x4.mul(dcell, i), f32x4.sub(one, f32x4.mul(g, g)));
  const dout = f32x4.mul(f32x4.mul(dhv, tc), hardSigmoidSlopex4(o));
  const dcPrev = f32x4.mul(dcell, f);
  if (lanes == 4) {
    v128.store(d, di);
    v128.store(d + uBytes, df);
    v128.store(d + 2 * uBytes, dg);
    v128.store(d + 3 * uBytes, dout);
    v128.store(dc, dcPrev);
  } else {
    store<f32>(d, f32x4.extract_lane(di, 0));
    store<f32>(d + uBytes, f32x4.extract_lane(df, 0));
    store<f32>(d + 2 * uBytes, f32x4.extract_lane(dg, 0));
    store<f32>(d + 3 * uBytes, f32x4.extract_lane(dout, 0));
    store<f32>(dc, f32x4.extract_lane(dcPrev, 0));
  }
}

/**
 * The backward pass of lstmCellForward from its activated gates, cPrev and c: dh and dc (in; dc
 * then becomes the gradient with respect to cPrev) give dGates, the pre-activations' gradient.
 */
export function lstmCellBackward(gates: usize, cPrev: usize, c: usize, dh: usize, dc: usize, dGates: usize, batch: i32, units: i32): void {
  const uBytes = <usize>units << 2;
  const u4 = units & ~3;
  for (let b = 0; b < batch; b++) {
    const a = gates + <usize>b * 4 * uBytes;
    const d = dGates + <usize>b * 4 * uBytes;
    const row = <usize>b * uBytes;
    let j = 0;
    for (; j < u4; j += 4) {
      const o = <usize>j << 2;
      backward4(a + o, cPrev + row + o, c + row + o, dh + row + o, dc + row + o, d + o, uBytes, 4);
    }
    for (; j < units; j++) {
      const o = <usize>j << 2;
      backward4(a + o, cPrev + row + o, c + row + o, dh + row + o, dc + row + o, d + o, uBytes, 1);
    }
  }
}
