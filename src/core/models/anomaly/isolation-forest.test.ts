import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { averagePathLength, fitIsolationForest, isolationScores, pathLength } from './isolation-forest';

/** Normal points around the origin (Box-Muller), `features` wide. */
function gaussian(count: number, features: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const x = new Float64Array(count * features);
  for (let i = 0; i < x.length; i++) x[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return x;
}

describe('isolation forest', () => {
  it('normalises by c(n), the average unsuccessful-search path in a binary search tree', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // c(n) = 2 H(n-1) - 2(n-1)/n with H(i) ≈ ln(i) + Euler's constant.
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256, 10);
    for (let n = 3; n < 2000; n += 37) expect(averagePathLength(n + 1)).toBeGreaterThan(averagePathLength(n));
  });

  it('scores outliers above 0.6 and above 99% of normal points, the bulk below 0.5, over many seeds', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const features = 3;
      const normal = gaussian(500, features, seed);
      const forest = fitIsolationForest(normal, features, { trees: 100, sampleSize: 256, seed });
      const inliers = isolationScores(forest, gaussian(200, features, seed + 1000));
      const outliers = isolationScores(forest, Float64Array.from([6, 6, 6, -7, 0, 5, 0, -8, 8]));
      const meanInlier = inliers.reduce((a, b) => a + b, 0) / inliers.length;
      expect(meanInlier, `seed ${seed}`).toBeLessThan(0.5);
      // A few of 200 normal draws sit 3σ out, as far as the forest can tell from the edge of its data.
      const p99 = Float64Array.from(inliers).sort()[Math.floor(0.99 * inliers.length)];
      for (const s of outliers) {
        expect(s, `seed ${seed}`).toBeGreaterThan(p99);
        expect(s, `seed ${seed}`).toBeGreaterThan(0.6);
      }
      for (const s of inliers) expect(s > 0 && s <= 1).toBe(true);
    }
  });

  it('grows trees from subsamples of sampleSize, to a height of ceil(log2(sampleSize))', () => {
    const x = gaussian(1000, 2, 5);
    const forest = fitIsolationForest(x, 2, { trees: 10, sampleSize: 64, seed: 1 });
    expect(forest.sampleSize).toBe(64);
    for (const tree of forest.trees) {
      // The leaves partition the subsample.
      const leafSizes = tree.size.filter((_, i) => tree.feature[i] < 0);
      expect(leafSizes.reduce((a, b) => a + b, 0)).toBe(64);
      // No path is longer than the height limit, 6 for 64 points.
      for (let i = 0; i < 50; i++) expect(pathLength(tree, x, i * 2)).toBeLessThanOrEqual(6 + averagePathLength(64));
    }
    expect(fitIsolationForest(x.subarray(0, 20), 2, { trees: 1, sampleSize: 256, seed: 1 }).sampleSize).toBe(10);
  });

  it('is reproducible: the same seed grows the same forest, another seed another', () => {
    const x = gaussian(300, 4, 9);
    const a = fitIsolationForest(x, 4, { trees: 5, sampleSize: 128, seed: 7 });
    expect(fitIsolationForest(x, 4, { trees: 5, sampleSize: 128, seed: 7 })).toEqual(a);
    expect(fitIsolationForest(x, 4, { trees: 5, sampleSize: 128, seed: 8 })).not.toEqual(a);
  });

  it('leaves identical points together rather than cutting where no cut separates them', () => {
    const x = new Float64Array(40).fill(3);
    const forest = fitIsolationForest(x, 2, { trees: 3, sampleSize: 20, seed: 1 });
    for (const tree of forest.trees) expect(tree.feature).toEqual([-1]);
    expect(isolationScores(forest, [3, 3])[0]).toBeCloseTo(2 ** (-averagePathLength(20) / averagePathLength(20)), 12);
  });
});
