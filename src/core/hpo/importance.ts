/**
 * Parameter importance by fANOVA over a random forest (Hutter et al. 2014; Optuna's default
 * evaluator): a forest of regression trees is fitted to (parameters -> objective), and for each tree
 * the share of the objective's variance, over the whole space, explained by each parameter alone is
 * computed exactly from the tree's boxes; the shares are averaged over the trees and normalised.
 *
 * Why fANOVA rather than PED-ANOVA: it answers "how much does the objective vary with this
 * parameter over the space", which is what the study page's importance chart is read as, while
 * PED-ANOVA answers "which parameters tell the top-gamma trials apart", a useful but narrower
 * question that depends on gamma; the trees also handle categorical and conditional parameters
 * through splits with no kernel per type, and the numbers stay comparable with Optuna's
 * dashboard. The cost, a forest per recomputation, is bounded by `nTrees` and `maxTrials`.
 *
 * Encoding: numeric parameters on their sampling scale (log for log ones) mapped to [0, 1];
 * categorical ones as cells [c, c + 1) of [0, n) so a tree isolates any choice with at most two
 * splits; a conditional parameter gets one extra cell for "inactive" (below its active range), so
 * its importance includes the effect of being present at all.
 */
import { Rng } from './rng';
import { codecFor } from './samplers/codec';
import type { ValidSpace } from './space';
import type { TrialView } from './types';

export interface ImportanceOptions {
  seed?: number;
  nTrees?: number;
  maxDepth?: number;
  /** Only the most recent completed trials are used beyond this many. */
  maxTrials?: number;
}

export interface ParamImportance {
  readonly param: string;
  /** Share of the explained variance, the shares summing to 1 (all 0 if nothing varies). */
  readonly importance: number;
}

interface Feature {
  readonly name: string;
  readonly low: number;
  readonly high: number;
  readonly values: Float64Array;
}

interface Tree {
  readonly feature: number[]; // -1 for a leaf
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

export function parameterImportance(space: ValidSpace, trials: readonly TrialView[], options: ImportanceOptions = {}): ParamImportance[] {
  const { seed = 0, nTrees = 64, maxDepth = 64, maxTrials = 2000 } = options;
  let done = trials.filter((t) => t.status === 'completed' && typeof t.value === 'number' && Number.isFinite(t.value));
  if (done.length > maxTrials) done = [...done].sort((a, b) => a.number - b.number).slice(done.length - maxTrials);
  const features = encode(space, done);
  if (done.length < 2 || features.length === 0) return features.map((f) => ({ param: f.name, importance: 0 }));
  const y = Float64Array.from(done, (t) => t.value as number);
  const rng = new Rng(seed, 0x666f72);
  const orders = features.map((f) => argsort(f.values));
  const sums = new Float64Array(features.length);
  let counted = 0;
  for (let t = 0; t < nTrees; t++) {
    const counts = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) counts[rng.int(y.length)]++;
    const tree = fitTree(features, y, counts, orders, maxDepth);
    const shares = treeShares(tree, features);
    if (!shares) continue;
    for (let j = 0; j < features.length; j++) sums[j] += shares[j];
    counted++;
  }
  const total = sums.reduce((a, b) => a + b, 0);
  return features
    .map((f, j) => ({ param: f.name, importance: counted > 0 && total > 0 ? sums[j] / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
}

function encode(space: ValidSpace, trials: readonly TrialView[]): Feature[] {
  return space.params.map((p) => {
    const codec = codecFor(p);
    const conditional = p.parent !== undefined;
    const [low, high] = codec.kind === 'categorical' ? [0, codec.n] : [0, 1];
    const values = Float64Array.from(trials, (t) => {
      const v = t.params[p.name];
      if (v === undefined) return low - 0.5;
      if (codec.kind === 'categorical') return codec.encode(v) + 0.5;
      const span = codec.high - codec.low;
      return span > 0 ? (codec.encode(v) - codec.low) / span : 0.5;
    });
    return { name: p.name, low: conditional ? low - 1 : low, high, values };
  });
}

function argsort(v: Float64Array): Int32Array {
  const idx = new Int32Array(v.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => v[a] - v[b] || a - b);
}

/**
 * CART regression tree on a bootstrap sample (`counts` copies of each row), splitting on the
 * largest drop in squared error. Each feature keeps its rows in sorted order per node (segments of
 * one array), so a split costs one pass per feature and no sort.
 */
function fitTree(features: readonly Feature[], y: Float64Array, counts: Int32Array, orders: readonly Int32Array[], maxDepth: number): Tree {
  const rows = orders[0].filter((i) => counts[i] > 0);
  const m = rows.length;
  const sorted = orders.map((o) => o.filter((i) => counts[i] > 0));
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const goesLeft = new Uint8Array(y.length);
  const buffer = new Int32Array(m);
  const grow = (start: number, end: number, depth: number): number => {
    const node = tree.feature.length;
    let w = 0;
    let s = 0;
    let ss = 0;
    for (let p = start; p < end; p++) {
      const i = sorted[0][p];
      w += counts[i];
      s += counts[i] * y[i];
      ss += counts[i] * y[i] * y[i];
    }
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(s / w);
    if (depth >= maxDepth || end - start < 2 || ss - (s * s) / w <= 1e-12 * Math.max(1, ss)) return node;
    let bestGain = 0;
    let bestFeature = -1;
    let bestCut = -1;
    let bestThreshold = 0;
    const base = (s * s) / w;
    for (let f = 0; f < features.length; f++) {
      const order = sorted[f];
      const x = features[f].values;
      let wl = 0;
      let sl = 0;
      for (let p = start; p < end - 1; p++) {
        const i = order[p];
        wl += counts[i];
        sl += counts[i] * y[i];
        const next = x[order[p + 1]];
        if (next === x[i]) continue;
        const gain = (sl * sl) / wl + ((s - sl) * (s - sl)) / (w - wl) - base;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestCut = p + 1;
          bestThreshold = (x[i] + next) / 2;
        }
      }
    }
    if (bestFeature < 0) return node;
    for (let p = start; p < end; p++) goesLeft[sorted[bestFeature][p]] = p < bestCut ? 1 : 0;
    for (let f = 0; f < features.length; f++) {
      if (f === bestFeature) continue;
      const order = sorted[f];
      let l = start;
      let r = 0;
      for (let p = start; p < end; p++) {
        const i = order[p];
        if (goesLeft[i]) order[l++] = i;
        else buffer[r++] = i;
      }
      order.set(buffer.subarray(0, r), l);
    }
    tree.feature[node] = bestFeature;
    tree.threshold[node] = bestThreshold;
    tree.left[node] = grow(start, bestCut, depth + 1);
    tree.right[node] = grow(bestCut, end, depth + 1);
    return node;
  };
  grow(0, m, 0);
  return tree;
}

/**
 * For one tree, each feature's main-effect variance over the total variance, under the uniform
 * measure on the features' domains. The tree is piecewise constant on boxes, so the marginal of
 * feature j is piecewise constant between j's thresholds and both variances are finite sums.
 */
function treeShares(tree: Tree, features: readonly Feature[]): Float64Array | null {
  const d = features.length;
  const leaves: { value: number; lo: Float64Array; hi: Float64Array; frac: Float64Array }[] = [];
  const walk = (node: number, lo: Float64Array, hi: Float64Array): void => {
    const f = tree.feature[node];
    if (f < 0) {
      const frac = new Float64Array(d);
      for (let j = 0; j < d; j++) frac[j] = (hi[j] - lo[j]) / (features[j].high - features[j].low);
      leaves.push({ value: tree.value[node], lo, hi, frac });
      return;
    }
    const t = tree.threshold[node];
    const hiL = hi.slice();
    hiL[f] = Math.min(hi[f], t);
    const loR = lo.slice();
    loR[f] = Math.max(lo[f], t);
    walk(tree.left[node], lo, hiL);
    walk(tree.right[node], loR, hi);
  };
  walk(
    0,
    Float64Array.from(features, (f) => f.low),
    Float64Array.from(features, (f) => f.high),
  );
  let mean = 0;
  const volume = leaves.map((l) => l.frac.reduce((a, b) => a * b, 1));
  leaves.forEach((l, i) => (mean += volume[i] * l.value));
  let total = 0;
  leaves.forEach((l, i) => (total += volume[i] * (l.value - mean) ** 2));
  if (!(total > 1e-300)) return null;
  const shares = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const cuts = [features[j].low, features[j].high];
    tree.feature.forEach((f, n) => {
      if (f === j) cuts.push(tree.threshold[n]);
    });
    const bounds = [...new Set(cuts)].sort((a, b) => a - b);
    const at = new Map(bounds.map((b, k) => [b, k]));
    const marginal = new Float64Array(bounds.length);
    leaves.forEach((l, i) => {
      if (l.frac[j] <= 0) return;
      // The leaf adds its value times its volume outside j to the marginal over its span in j.
      const c = (l.value * volume[i]) / l.frac[j];
      marginal[at.get(l.lo[j])!] += c;
      marginal[at.get(l.hi[j])!] -= c;
    });
    let acc = 0;
    let v = 0;
    const width = features[j].high - features[j].low;
    for (let k = 0; k < bounds.length - 1; k++) {
      acc += marginal[k];
      v += ((bounds[k + 1] - bounds[k]) / width) * (acc - mean) ** 2;
    }
    shares[j] = v / total;
  }
  return shares;
}
