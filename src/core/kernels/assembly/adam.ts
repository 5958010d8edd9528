// One Adam step over `count` parameters, f32x4. Addresses in bytes.

/**
 * param -= stepSize * m / (sqrt(v) / secondCorrection + epsilon), with the moments updated first;
 * stepSize = lr / (1 - beta1^t) and secondCorrection = sqrt(1 - beta2^t) come from the caller
 * (they are the same for every parameter, and cheaper to compute once in double precision).
 */
export function adam(param: usize, grad: usize, m: usize, v: usize, count: i32, beta1: f32, beta2: f32, epsilon: f32, stepSize: f32, secondCorrection: f32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const eps = f32x4.splat(epsilon);
  const lr = f32x4.splat(stepSize);
  const sc = f32x4.splat(secondCorrection);
  const count4 = count & ~3;
  let i = 0;
  for (; i < count4; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(grad + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, g));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denominator = f32x4.add(f32x4.div(f32x4.sqrt(vi), sc), eps);
    v128.store(param + o, f32x4.sub(v128.load(param + o), f32x4.div(f32x4.mul(lr, mi), denominator)));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o);
    const mi = beta1 * load<f32>(m + o) + (1 - beta1) * g;
    const vi = beta2 * load<f32>(v + o) + (1 - beta2) * g * g;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(param + o, load<f32>(param + o) - (stepSize * mi) / (Mathf.sqrt(vi) / secondCorrection + epsilon));
  }
}
