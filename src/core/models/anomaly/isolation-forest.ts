/**
 * Isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008), written out rather than
 * taken from a library because it is small and Trainyard needs it seeded and serialisable.
 *
 * Each tree is grown on a random subsample of `sampleSize` points (without replacement) by cutting
 * a random feature at a random value between its minimum and maximum, down to a height limit of
 * ceil(log2(sampleSize)). Anomalies are few and different, so they are cut off from the rest in few
 * steps: the score of a point is 2^(-E[h(x)] / c(sampleSize)), where h is its path length (plus
 * c(size) for the points left unseparated at a leaf) and c(n) is the average path length of an
 * unsuccessful search in a binary search tree of n points. Scores near 1 are anomalies; well below
 * 0.5 are normal.
 */
import { permutation, seededRandom } from '../random';

const EULER_GAMMA = 0.5772156649015329;

/** c(n): the average path length of an unsuccessful binary-search-tree search among n points. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  const harmonic = Math.log(n - 1) + EULER_GAMMA;
  return 2 * harmonic - (2 * (n - 1)) / n;
}

/** One tree as flat arrays; node 0 is the root. A leaf has feature -1 and keeps how many points reached it. */
export interface IsolationTree {
  feature: number[];
  split: number[];
  left: number[];
  right: number[];
  size: number[];
}

export interface IsolationForest {
  features: number;
  sampleSize: number;
  trees: IsolationTree[];
}

export interface ForestOptions {
  trees: number;
  sampleSize: number;
  seed: number;
}

/** Grows a forest on row-major `x` (`count` x `features`). */
export function fitIsolationForest(x: ArrayLike<number>, features: number, o: ForestOptions): IsolationForest {
  const count = Math.floor(x.length / features);
  if (count < 2) throw new Error(`An isolation forest needs at least 2 points; got ${count}`);
  const rand = seededRandom(o.seed);
  const psi = Math.min(o.sampleSize, count);
  const heightLimit = Math.ceil(Math.log2(psi));
  const trees: IsolationTree[] = [];
  for (let t = 0; t < o.trees; t++) {
    const sample = permutation(count, rand).subarray(0, psi);
    const tree: IsolationTree = { feature: [], split: [], left: [], right: [], size: [] };
    grow(tree, x, features, Array.from(sample), 0, heightLimit, rand);
    trees.push(tree);
  }
  return { features, sampleSize: psi, trees };
}

function grow(
  tree: IsolationTree,
  x: ArrayLike<number>,
  features: number,
  rows: number[],
  depth: number,
  heightLimit: number,
  rand: () => number,
): number {
  const node = tree.feature.length;
  tree.feature.push(-1);
  tree.split.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.size.push(rows.length);
  if (depth >= heightLimit || rows.length <= 1) return node;
  const q = Math.floor(rand() * features);
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const v = x[r * features + q];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // All points equal on this feature: no cut separates them, so they stay together as a leaf.
  if (!(max > min)) return node;
  const p = min + rand() * (max - min);
  const leftRows = rows.filter((r) => x[r * features + q] < p);
  const rightRows = rows.filter((r) => x[r * features + q] >= p);
  tree.feature[node] = q;
  tree.split[node] = p;
  tree.left[node] = grow(tree, x, features, leftRows, depth + 1, heightLimit, rand);
  tree.right[node] = grow(tree, x, features, rightRows, depth + 1, heightLimit, rand);
  return node;
}

/** h(x): edges from the root to the leaf `point` falls in, plus c(size) for the points left together there. */
export function pathLength(tree: IsolationTree, point: ArrayLike<number>, offset = 0): number {
  let node = 0;
  let depth = 0;
  while (tree.feature[node] >= 0) {
    node = point[offset + tree.feature[node]] < tree.split[node] ? tree.left[node] : tree.right[node];
    depth++;
  }
  return depth + averagePathLength(tree.size[node]);
}

/** Anomaly scores in (0, 1] of row-major `x` (`count` x `features`). */
export function isolationScores(forest: IsolationForest, x: ArrayLike<number>): Float64Array {
  const count = Math.floor(x.length / forest.features);
  const norm = averagePathLength(forest.sampleSize);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (const tree of forest.trees) sum += pathLength(tree, x, i * forest.features);
    out[i] = norm > 0 ? 2 ** (-(sum / forest.trees.length) / norm) : 0.5;
  }
  return out;
}
