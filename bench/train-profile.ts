/**
 * Where training time goes: a V8 CPU profile of the product's training loop (`fitForecaster`) on the
 * MLP and LSTM benches' networks, once on tfjs (the path before the kernels) and once on Trainyard's
 * WebAssembly SIMD kernels, with each sample's self time put in one bucket: wasm kernels (tfjs's wasm
 * backend, or Trainyard's own), tfjs's JavaScript (op dispatch, autodiff tape, tensor bookkeeping),
 * Trainyard's JavaScript (the loop, batch gathering, the kernels' calls), garbage collection, and the
 * rest (Node's own code, the VM). No peer: this explains the train-mlp and train-lstm ratios.
 */
import { Session } from 'node:inspector/promises';
import { selectBackend } from '../src/core/compute';
import { forecastKit, resolveMlpParams, resolveRecurrentParams, type FitSet } from '../src/core/models';
import { seattleWindows } from './train-peer';

const WINDOW = 24;
const BATCH = 64;
const BUCKETS = ['wasm kernels', 'tfjs JavaScript', 'Trainyard JavaScript', 'garbage collection', 'other'] as const;
type Bucket = (typeof BUCKETS)[number];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

function bucketOf(frame: ProfileNode['callFrame']): Bucket | null {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return null;
  if (fn === '(garbage collector)') return 'garbage collection';
  if (url.startsWith('wasm://') || fn.startsWith('wasm-function') || fn.startsWith('$')) return 'wasm kernels';
  if (url.includes('@tensorflow')) return 'tfjs JavaScript';
  if (url.includes('/src/core/')) return 'Trainyard JavaScript';
  return 'other';
}

/** Shares of self time per bucket (percent) over the profile's samples, and the profiled seconds. */
function split(profile: { nodes: ProfileNode[]; startTime: number; endTime: number }): { shares: Record<Bucket, number>; seconds: number } {
  const hits = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  for (const node of profile.nodes) {
    const b = bucketOf(node.callFrame);
    if (b) hits[b] += node.hitCount ?? 0;
  }
  const total = Object.values(hits).reduce((a, b) => a + b, 0) || 1;
  const shares = Object.fromEntries(BUCKETS.map((b) => [b, (100 * hits[b]) / total])) as Record<Bucket, number>;
  return { shares, seconds: (profile.endTime - profile.startTime) / 1e6 };
}

async function profiled(run: () => Promise<unknown>): Promise<ReturnType<typeof split>> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await run();
    const { profile } = await session.post('Profiler.stop');
    return split(profile as unknown as Parameters<typeof split>[0]);
  } finally {
    session.disconnect();
  }
}

export async function trainProfile(): Promise<void> {
  await selectBackend('wasm');
  const kit = await forecastKit();
  const { x, y, n } = seattleWindows(WINDOW);
  const set = (count: number, sampleShape?: number[]): { train: FitSet; val: FitSet } => ({
    train: { x: x.subarray(0, count * WINDOW), y: y.subarray(0, count), count, features: WINDOW, sampleShape },
    val: { x: x.subarray(0, 64 * WINDOW), y: y.subarray(0, 64), count: 64, features: WINDOW, sampleShape },
  });
  const mlp = resolveMlpParams({ window: WINDOW + 1, hiddenUnits: 64, layers: 2, batchSize: BATCH, learningRate: 0.001 });
  const lstm = resolveRecurrentParams('lstm', { units: 32, layers: 1, batchSize: BATCH, learningRate: 0.001 });
  const cases = [
    { name: 'MLP 24 -> 64 x 2 -> 1, 8735 windows x 2 epochs', build: () => kit.buildMlp(mlp, WINDOW), data: set(n), epochs: 2 },
    { name: 'LSTM 1 -> 32 over 24 steps -> 1, 2048 windows x 1 epoch', build: () => kit.buildRecurrent('lstm', lstm, { steps: WINDOW, channels: 1 }), data: set(2048, [WINDOW, 1]), epochs: 1 },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    for (const trainer of ['tfjs', 'auto'] as const) {
      let on = '';
      const fitOnce = async (profile: boolean) => {
        const model = c.build();
        try {
          const fit = async () => {
            on = (await kit.fitForecaster(model, { ...c.data, epochs: c.epochs, batchSize: BATCH, patience: 0, seed: 1, trainer })).trainer;
          };
          return profile ? await profiled(fit) : await fit();
        } finally {
          kit.disposeModel(model);
        }
      };
      await fitOnce(false); // warm-up: compile the wasm, let V8 optimise the loop
      const { shares, seconds } = (await fitOnce(true)) as ReturnType<typeof split>;
      rows.push(`| ${c.name} | ${on} | ${seconds.toFixed(2)} | ${BUCKETS.map((b) => shares[b].toFixed(1)).join(' | ')} |`);
    }
  }
  process.stdout.write(
    `Self time of fitForecaster by where it runs (V8 CPU profile, 200 us sampling, after a warm-up run; the model is built before the profile starts), percent\n` +
      `| network | trained on | s | ${BUCKETS.join(' | ')} |\n| --- | --- | --- | ${BUCKETS.map(() => '---').join(' | ')} |\n` +
      `${rows.join('\n')}\n`,
  );
}
