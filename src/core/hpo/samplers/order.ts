/**
 * The order numpy's default argsort (introsort: median-of-three quicksort, insertion sort below 17
 * elements, heapsort past a depth limit) gives an array of doubles, tied values included. Optuna's
 * Parzen estimator hands out its kernel bandwidths in that order, and among tied values (repeated
 * ints or stepped values, or an observation at the prior's centre) it decides which copy gets the
 * gap to a neighbour and which the smallest bandwidth; with kernels weighed by age, or the prior
 * among the ties, that changes the density. Any stable order gives other kernels the wide
 * bandwidths, and TPE then proposes other values (`npm run bench -- tpe-fidelity`).
 */

/** Below this many elements between the bounds, a partition is finished by insertion sort. */
const SMALL_QUICKSORT = 15;

/** Index of the most significant set bit of n >= 1. */
function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n = Math.floor(n / 2);
    d++;
  }
  return d;
}

/** Indices of `values` (no NaN) in increasing order, ties in the order numpy.argsort puts them. */
export function numpyArgsort(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  if (n < 2) return a;
  const v = values;
  const swap = (i: number, j: number): void => {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let depth = msb(n) * 2;
  for (;;) {
    if (depth < 0) heapsortRange(v, a, pl, pr - pl + 1);
    else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        if (v[a[pr]] < v[a[pm]]) swap(pr, pm);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        const pivot = v[a[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++;
          while (v[a[pi]] < pivot);
          do pj--;
          while (pivot < v[a[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger side waits on the stack; the loop goes on with the smaller.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--depth);
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = a[pi];
        const x = v[vi];
        let pj = pi;
        while (pj > pl && x < v[a[pj - 1]]) {
          a[pj] = a[pj - 1];
          pj--;
        }
        a[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    depth = depths.pop()!;
  }
  return a;
}

/** numpy's heapsort of a[start .. start + count - 1] by value (1-based heap indexing). */
function heapsortRange(v: ArrayLike<number>, a: Int32Array, start: number, count: number): void {
  const at = (i: number): number => start + i - 1;
  let n = count;
  const siftDown = (i0: number, tmp: number, size: number): void => {
    let i = i0;
    let j = i0 * 2;
    while (j <= size) {
      if (j < size && v[a[at(j)]] < v[a[at(j + 1)]]) j++;
      if (v[tmp] < v[a[at(j)]]) {
        a[at(i)] = a[at(j)];
        i = j;
        j += j;
      } else break;
    }
    a[at(i)] = tmp;
  };
  for (let l = n >> 1; l > 0; l--) siftDown(l, a[at(l)], n);
  while (n > 1) {
    const tmp = a[at(n)];
    a[at(n)] = a[at(1)];
    n--;
    siftDown(1, tmp, n);
  }
}
