/** Gaussian tail masses in log space, accurate far into the tails where TPE's kernels often sit. */

const SQRT1_2 = Math.SQRT1_2;
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log(erfc(z)) for z >= 0 (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7 everywhere),
 * kept in log form so a mass 40 standard deviations out is tiny rather than zero.
 */
function logErfcPos(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - z * z + poly;
}

/** log(P(a < Z < b)) for a standard normal Z, a < b. */
export function logGaussMass(a: number, b: number): number {
  if (b <= a) return -Infinity;
  if (a >= 0) {
    // Both in the right tail: P = (erfc(a/√2) - erfc(b/√2)) / 2.
    const la = logErfcPos(a * SQRT1_2);
    if (b === Infinity) return la - Math.LN2;
    const lb = logErfcPos(b * SQRT1_2);
    return la + Math.log1p(-Math.exp(lb - la)) - Math.LN2;
  }
  if (b <= 0) return logGaussMass(-b, -a);
  // Straddling zero: P = 1 - P(Z < a) - P(Z > b).
  const left = a === -Infinity ? 0 : 0.5 * Math.exp(logErfcPos(-a * SQRT1_2));
  const right = b === Infinity ? 0 : 0.5 * Math.exp(logErfcPos(b * SQRT1_2));
  return Math.log1p(-(left + right));
}
