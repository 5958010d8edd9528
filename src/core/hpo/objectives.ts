/**
 * Standard test functions for the samplers' tests and the benchmark against Optuna, with their
 * search spaces and known optima (all minimised). The benchmark's Python side implements the same
 * formulas; change both together.
 */
import type { SearchSpaceInput } from '../../shared/contract';
import type { Assignment } from './types';

export interface TestObjective {
  readonly name: string;
  readonly space: SearchSpaceInput;
  readonly evaluate: (params: Readonly<Assignment>) => number;
  /** The global minimum's value. */
  readonly optimum: number;
}

const num = (p: Readonly<Assignment>, name: string): number => p[name] as number;
const box = (prefix: string, d: number, low: number, high: number): SearchSpaceInput =>
  Object.fromEntries(Array.from({ length: d }, (_, i) => [`${prefix}${i}`, { type: 'float' as const, low, high }]));
const vector = (p: Readonly<Assignment>, prefix: string, d: number): number[] => Array.from({ length: d }, (_, i) => num(p, `${prefix}${i}`));

/** Branin-Hoo, x1 in [-5, 10], x2 in [0, 15]: three global minima of 0.397887. */
export const branin: TestObjective = {
  name: 'branin',
  space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
  evaluate: (p) => {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
  optimum: 0.397887,
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/** Hartmann 6-D on [0, 1]^6: minimum -3.32237. */
export const hartmann6: TestObjective = {
  name: 'hartmann6',
  space: box('x', 6, 0, 1),
  evaluate: (p) => {
    const x = vector(p, 'x', 6);
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
      sum += H_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
  optimum: -3.32237,
};

/** Rosenbrock 10-D on [-5, 10]^10: minimum 0 at (1, ..., 1). */
export const rosenbrock: TestObjective = {
  name: 'rosenbrock10',
  space: box('x', 10, -5, 10),
  evaluate: (p) => {
    const x = vector(p, 'x', 10);
    let s = 0;
    for (let i = 0; i < 9; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
    return s;
  },
  optimum: 0,
};

/** Rastrigin 10-D on [-5.12, 5.12]^10: minimum 0 at the origin. */
export const rastrigin: TestObjective = {
  name: 'rastrigin10',
  space: box('x', 10, -5.12, 5.12),
  evaluate: (p) => {
    const x = vector(p, 'x', 10);
    return 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
  },
  optimum: 0,
};

/** Ackley 5-D on [-32.768, 32.768]^5: minimum 0 at the origin. */
export const ackley: TestObjective = {
  name: 'ackley5',
  space: box('x', 5, -32.768, 32.768),
  evaluate: (p) => {
    const x = vector(p, 'x', 5);
    const d = x.length;
    const sq = x.reduce((s, v) => s + v * v, 0) / d;
    const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
    return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
  },
  optimum: 0,
};

const ACTIVATION_COST: Record<string, number> = { relu: 0, tanh: 0.5, sigmoid: 1.5 };

/**
 * A mixed space shaped like a model's: a float, a log-scale float, an integer and a categorical.
 * Minimum 0 at x = 1, lr = 0.01, units = 13, activation = relu.
 */
export const mixed: TestObjective = {
  name: 'mixed',
  space: {
    x: { type: 'float', low: -5, high: 5 },
    lr: { type: 'float', low: 1e-4, high: 1, log: true },
    units: { type: 'int', low: 0, high: 20 },
    activation: { type: 'categorical', choices: ['relu', 'tanh', 'sigmoid'] },
  },
  evaluate: (p) =>
    (num(p, 'x') - 1) ** 2 + (Math.log10(num(p, 'lr')) + 2) ** 2 + 0.05 * (num(p, 'units') - 13) ** 2 + ACTIVATION_COST[p.activation as string],
  optimum: 0,
};

export const TEST_OBJECTIVES: readonly TestObjective[] = [branin, hartmann6, rosenbrock, rastrigin, ackley, mixed];
