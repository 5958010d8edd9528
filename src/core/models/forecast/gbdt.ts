/**
 * Gradient-boosted regression trees on histogram-binned features, least-squares loss: the method
 * LightGBM and scikit-learn's HistGradientBoostingRegressor use, in a compact form.
 *
 * - Binning: each feature's training values are cut at up to `bins - 1` quantile edges (every
 *   distinct value gets its own bin when there are few), so a split search scans bins, not rows.
 * - Trees grow leaf-wise (the leaf whose best split gains most is split next) up to `maxLeaves`
 *   leaves and `maxDepth` levels, never leaving fewer than `minLeaf` rows in a leaf. A split's gain
 *   and a leaf's value carry an L2 penalty `l2` on the leaf values (XGBoost's lambda).
 * - A child's histogram is the parent's minus its sibling's, so only the smaller child is counted.
 * - Each round adds `learningRate` times a tree fitted to the residuals; the validation error is
 *   taken after every round and the rounds up to the best one are kept (early stopping after
 *   `patience` rounds without improvement).
 * - `subsample` < 1 fits each tree on a seeded draw of the training rows; otherwise nothing is
 *   random. The same data, params and seed give the same trees.
 *
 * Hand-written because no maintained JavaScript library does this; bench/quality.ts checks it
 * against scikit-learn's HistGradientBoostingRegressor on the same inputs. No TensorFlow.js here.
 */
import { seededRandom } from '../random';

export interface GbdtOptions {
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  /** 0: no limit beyond maxLeaves. */
  maxDepth: number;
  minLeaf: number;
  l2: number;
  bins: number;
  /** Rounds without a better validation error before stopping; 0 runs every round. */
  patience: number;
  subsample: number;
  seed: number;
  /** squared: least-squares boosting; absolute: trees on the residuals' signs, each leaf at its residuals' median. */
  loss: 'squared' | 'absolute';
}

/** One tree, flat: node i is a leaf when feature[i] is -1; else x[feature] <= threshold goes to left[i]. */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbdtModel {
  features: number;
  base: number;
  trees: GbdtTree[];
}

export interface GbdtFit {
  model: GbdtModel;
  /** Validation error (mean squared, or mean absolute for the absolute loss; on the targets as given) after each round. */
  valError: number[];
  bestRound: number;
  stoppedEarly: boolean;
}

export interface Samples {
  /** Row-major `count` x `features`. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  count: number;
  features: number;
}

/** Each feature's bin edges: a value v falls in the first bin b with v <= edges[b], else the last. */
export function binEdges(x: ArrayLike<number>, count: number, features: number, bins: number): Float64Array[] {
  const edges: Float64Array[] = [];
  const col = new Float64Array(count);
  for (let j = 0; j < features; j++) {
    for (let r = 0; r < count; r++) col[r] = x[r * features + j];
    const sorted = Float64Array.from(col).sort();
    const distinct: number[] = [];
    for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    const cuts: number[] = [];
    if (distinct.length <= bins) {
      for (let i = 0; i + 1 < distinct.length; i++) cuts.push((distinct[i] + distinct[i + 1]) / 2);
    } else {
      // Quantile edges over the rows, so each bin holds about as many rows; ties collapse.
      for (let b = 1; b < bins; b++) {
        const v = sorted[Math.min(count - 1, Math.floor((b * count) / bins))];
        if (cuts.length === 0 || v > cuts[cuts.length - 1]) cuts.push(v);
      }
    }
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Column-major bin indices: feature j of row r at j * count + r. */
function binned(x: ArrayLike<number>, count: number, edges: Float64Array[]): Uint8Array {
  const d = edges.length;
  const out = new Uint8Array(d * count);
  for (let j = 0; j < d; j++) {
    const e = edges[j];
    for (let r = 0; r < count; r++) out[j * count + r] = binOf(e, x[r * d + j]);
  }
  return out;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  leftGrad: number;
  leftCount: number;
}

interface Leaf {
  node: number;
  depth: number;
  /** rows[from..to) are this leaf's rows. */
  from: number;
  to: number;
  grad: number;
  count: number;
  /** Per feature, `bins` gradient sums then `bins` counts. */
  hist: Float64Array;
  split: Split | null;
}

/** One tree fitted to gradients `g` over `rows`; returns the tree in bin thresholds (see `toValues`). */
class TreeGrower {
  private readonly width: number;

  constructor(
    private readonly bins: Uint8Array,
    private readonly count: number,
    private readonly features: number,
    private readonly edges: Float64Array[],
    private readonly o: GbdtOptions,
  ) {
    this.width = 256;
  }

  private histogram(rows: Int32Array, from: number, to: number, g: Float64Array): Float64Array {
    const w = this.width;
    const h = new Float64Array(this.features * 2 * w);
    for (let j = 0; j < this.features; j++) {
      const col = j * this.count;
      const at = j * 2 * w;
      for (let i = from; i < to; i++) {
        const r = rows[i];
        const b = this.bins[col + r];
        h[at + b] += g[r];
        h[at + w + b] += 1;
      }
    }
    return h;
  }

  private bestSplit(leaf: Leaf): Split | null {
    const { o, width: w } = this;
    if (leaf.count < 2 * o.minLeaf) return null;
    if (o.maxDepth > 0 && leaf.depth >= o.maxDepth) return null;
    const parentScore = (leaf.grad * leaf.grad) / (leaf.count + o.l2);
    let best: Split | null = null;
    for (let j = 0; j < this.features; j++) {
      const at = j * 2 * w;
      const nb = this.edges[j].length + 1;
      let gl = 0;
      let nl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += leaf.hist[at + b];
        nl += leaf.hist[at + w + b];
        if (nl < o.minLeaf) continue;
        const nr = leaf.count - nl;
        if (nr < o.minLeaf) break;
        const gr = leaf.grad - gl;
        const gain = (gl * gl) / (nl + o.l2) + (gr * gr) / (nr + o.l2) - parentScore;
        if (gain > 1e-12 && (best === null || gain > best.gain)) best = { gain, feature: j, bin: b, leftGrad: gl, leftCount: nl };
      }
    }
    return best;
  }

  /** `leafValue` sets a leaf from its rows (rows[from..to)); else the penalised mean of the negative gradients. */
  grow(rows: Int32Array, g: Float64Array, leafValue?: (rows: Int32Array, from: number, to: number) => number): GbdtTree {
    const tree: GbdtTree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] };
    let grad = 0;
    for (let i = 0; i < rows.length; i++) grad += g[rows[i]];
    const root: Leaf = { node: 0, depth: 0, from: 0, to: rows.length, grad, count: rows.length, hist: this.histogram(rows, 0, rows.length, g), split: null };
    root.split = this.bestSplit(root);
    const leaves: Leaf[] = [root];
    while (leaves.length < this.o.maxLeaves) {
      let pick = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i].split;
        if (s && (pick < 0 || s.gain > leaves[pick].split!.gain)) pick = i;
      }
      if (pick < 0) break;
      const leaf = leaves[pick];
      const s = leaf.split!;
      // Rows with bin <= s.bin to the front of the leaf's range.
      const col = s.feature * this.count;
      let mid = leaf.from;
      for (let i = leaf.from; i < leaf.to; i++) {
        const r = rows[i];
        if (this.bins[col + r] <= s.bin) {
          rows[i] = rows[mid];
          rows[mid] = r;
          mid++;
        }
      }
      const leftNode = tree.feature.length;
      const rightNode = leftNode + 1;
      tree.feature[leaf.node] = s.feature;
      tree.threshold[leaf.node] = s.bin;
      tree.left[leaf.node] = leftNode;
      tree.right[leaf.node] = rightNode;
      for (let k = 0; k < 2; k++) {
        tree.feature.push(-1);
        tree.threshold.push(0);
        tree.left.push(-1);
        tree.right.push(-1);
        tree.value.push(0);
      }
      const left: Leaf = { node: leftNode, depth: leaf.depth + 1, from: leaf.from, to: mid, grad: s.leftGrad, count: s.leftCount, hist: leaf.hist, split: null };
      const right: Leaf = { node: rightNode, depth: leaf.depth + 1, from: mid, to: leaf.to, grad: leaf.grad - s.leftGrad, count: leaf.count - s.leftCount, hist: leaf.hist, split: null };
      // Count the smaller child; the larger one's histogram is the parent's minus it.
      const [small, large] = left.count <= right.count ? [left, right] : [right, left];
      small.hist = this.histogram(rows, small.from, small.to, g);
      const parent = leaf.hist;
      for (let i = 0; i < parent.length; i++) parent[i] -= small.hist[i];
      large.hist = parent;
      left.split = this.bestSplit(left);
      right.split = this.bestSplit(right);
      leaves.splice(pick, 1, left, right);
    }
    // Leaf values: the penalised mean of the negative gradients (the residuals), shrunk.
    for (const leaf of leaves) {
      const v = leafValue ? leafValue(rows, leaf.from, leaf.to) : -leaf.grad / (leaf.count + this.o.l2);
      tree.value[leaf.node] = v * this.o.learningRate;
    }
    return tree;
  }
}

/** Adds the tree's output for each binned row to `pred` (thresholds still in bins). */
function addBinned(tree: GbdtTree, bins: Uint8Array, count: number, pred: Float64Array): void {
  for (let r = 0; r < count; r++) {
    let n = 0;
    while (tree.feature[n] >= 0) n = bins[tree.feature[n] * count + r] <= tree.threshold[n] ? tree.left[n] : tree.right[n];
    pred[r] += tree.value[n];
  }
}

/** The tree with bin thresholds turned into feature values: x <= edge of bin b is bin <= b. */
function toValues(tree: GbdtTree, edges: Float64Array[]): GbdtTree {
  return { ...tree, threshold: tree.threshold.map((b, i) => (tree.feature[i] >= 0 ? edges[tree.feature[i]][b] : 0)) };
}

function meanError(pred: Float64Array, y: ArrayLike<number>, loss: GbdtOptions['loss']): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += loss === 'absolute' ? Math.abs(pred[i] - y[i]) : (pred[i] - y[i]) ** 2;
  return s / pred.length;
}

/** The median of the residuals y - pred over rows[from..to). */
function residualMedian(rows: Int32Array, from: number, to: number, y: ArrayLike<number>, pred: Float64Array): number {
  const r = new Float64Array(to - from);
  for (let i = from; i < to; i++) r[i - from] = y[rows[i]] - pred[rows[i]];
  r.sort();
  const m = r.length >> 1;
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
}

/** Boosts trees on `train`, stopping early on the error over `val`. */
export function fitGbdt(train: Samples, val: Samples, o: GbdtOptions): GbdtFit {
  if (train.count < 1 || val.count < 1) throw new Error('fitGbdt needs training and validation rows');
  const d = train.features;
  const edges = binEdges(train.x, train.count, d, Math.min(255, Math.max(2, o.bins)));
  const trainBins = binned(train.x, train.count, edges);
  const valBins = binned(val.x, val.count, edges);
  const absolute = o.loss === 'absolute';
  let base = 0;
  if (absolute) {
    base = residualMedian(Int32Array.from({ length: train.count }, (_, i) => i), 0, train.count, train.y, new Float64Array(train.count));
  } else {
    for (let i = 0; i < train.count; i++) base += train.y[i];
    base /= train.count;
  }
  const pred = new Float64Array(train.count).fill(base);
  const valPred = new Float64Array(val.count).fill(base);
  const grad = new Float64Array(train.count);
  const grower = new TreeGrower(trainBins, train.count, d, edges, o);
  const rand = seededRandom(o.seed);
  const trees: GbdtTree[] = [];
  const valError: number[] = [];
  let best = { round: 0, error: meanError(valPred, val.y, o.loss) };
  const leafValue = absolute ? (rows: Int32Array, from: number, to: number) => residualMedian(rows, from, to, train.y, pred) : undefined;
  let stoppedEarly = false;
  for (let round = 1; round <= o.rounds; round++) {
    for (let i = 0; i < train.count; i++) grad[i] = absolute ? Math.sign(pred[i] - train.y[i]) : pred[i] - train.y[i];
    const rows = sampleRows(train.count, o.subsample, rand);
    const tree = grower.grow(rows, grad, leafValue);
    addBinned(tree, trainBins, train.count, pred);
    addBinned(tree, valBins, val.count, valPred);
    trees.push(tree);
    const error = meanError(valPred, val.y, o.loss);
    valError.push(error);
    if (error < best.error) best = { round, error };
    if (o.patience > 0 && round - best.round >= o.patience) {
      stoppedEarly = round < o.rounds;
      break;
    }
  }
  // With no round better than the mean, keep one tree rather than none: a model, however weak.
  const kept = Math.max(1, best.round);
  return {
    model: { features: d, base, trees: trees.slice(0, kept).map((t) => toValues(t, edges)) },
    valError,
    bestRound: kept,
    stoppedEarly,
  };
}

function sampleRows(count: number, subsample: number, rand: () => number): Int32Array {
  if (subsample >= 1) return Int32Array.from({ length: count }, (_, i) => i);
  const picked: number[] = [];
  for (let i = 0; i < count; i++) if (rand() < subsample) picked.push(i);
  // A draw that left nothing out of a tiny set still needs rows to fit.
  return picked.length > 0 ? Int32Array.from(picked) : Int32Array.from({ length: count }, (_, i) => i);
}

/** Predictions for row-major `x` (`count` x `features`). */
export function gbdtPredict(m: GbdtModel, x: ArrayLike<number>, count: number): Float64Array {
  const d = m.features;
  const out = new Float64Array(count).fill(m.base);
  for (const t of m.trees) {
    for (let r = 0; r < count; r++) {
      let n = 0;
      while (t.feature[n] >= 0) n = x[r * d + t.feature[n]] <= t.threshold[n] ? t.left[n] : t.right[n];
      out[r] += t.value[n];
    }
  }
  return out;
}
