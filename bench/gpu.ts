/**
 * The GPU bench network (MLP 64 -> H -> H -> 1, ReLU, Adam, MSE, float32), trained on the best
 * backend this machine has (WebGPU through Dawn on an NVIDIA workstation, else wasm), three ways
 * from the same weights over the same batches:
 * - the layers API's `trainOnBatch`;
 * - Trainyard's lean step (src/core/models/gpu/lean-dense-step.ts: fused forward, hand-written
 *   backward, one Adam over every weight, no host read per step);
 * - on a WebGPU backend, Trainyard's WGSL trainer (src/core/models/gpu/wgsl/: its own tiled matrix
 *   products, 3L + 1 dispatches a step), with each of its two tilings unsplit, with the tiling and
 *   split-K chosen per product by size ('auto'), and tuned on the device (the default, what
 *   fitForecaster uses); the choices of both are printed under the table.
 * Each prints its dispatches (compute ops) per step, samples/s and its mean loss over the timed run
 * (the same batches, so the losses must agree: a check of the GPU's arithmetic). Then the product's
 * own path, fitForecaster with its default trainer, with its per-epoch validation and shuffled
 * batches; all beside PyTorch on the same machine (CUDA where it has it, else the CPU) in the same run.
 * TRAINYARD_GPU_BENCH_ROWS sets the rows per epoch (default 200,000 on a GPU, 8,192 on a CPU) and
 * TRAINYARD_GPU_BENCH_CONFIGS the widths and batches.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { buildMlp } from '../src/core/models/forecast/mlp-network';
import { fitForecaster } from '../src/core/models/forecast/fit';
import { resolveMlpParams } from '../src/core/models/forecast/mlp';
import { LeanDenseStep, dispatchesOf } from '../src/core/models/gpu/lean-dense-step';
import { WgslDenseStep, wgslDispatches } from '../src/core/models/gpu/wgsl/dense-step';
import { TILE_128, TILE_64 } from '../src/core/models/gpu/wgsl/shaders';
import { tfjsWebgpuDevice } from '../src/core/models/gpu/wgsl-training';
import { seededRandom } from '../src/core/models/random';
import { runPython } from './train-peer';

const INPUTS = 64;
const DEFAULT_CONFIGS = [
  { hidden: 512, batch: 1024 },
  { hidden: 1024, batch: 4096 },
];

/** TRAINYARD_GPU_BENCH_CONFIGS ("HxBATCH,...", e.g. "64x128" for a quick check on a software GPU), else the two above. */
function configs(): { hidden: number; batch: number }[] {
  const v = process.env.TRAINYARD_GPU_BENCH_CONFIGS;
  if (!v) return DEFAULT_CONFIGS;
  return v.split(',').map((c) => {
    const m = /^(\d+)x(\d+)$/.exec(c.trim());
    if (!m) throw new Error(`TRAINYARD_GPU_BENCH_CONFIGS takes HxBATCH pairs, comma-separated; got "${c}"`);
    return { hidden: Number(m[1]), batch: Number(m[2]) };
  });
}
const EPOCHS = 2;
const WARM_UP_BATCHES = 4;

/** Synthetic rows the network can fit (a ReLU of a random projection, plus noise), kept on the device. */
function rows(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, INPUTS], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([INPUTS, 1], 0, 1, 'float32', 2);
    const y = tf.relu(tf.matMul(x, w)).add(tf.randomNormal([n, 1], 0, 0.1, 'float32', 3)) as tf.Tensor2D;
    return { x, y };
  });
}

/** The batches every trainer takes, in the same order: random rows from a fixed seed. */
function batchRows(n: number, batch: number, count: number): Int32Array[] {
  const rand = seededRandom(5);
  return Array.from({ length: count }, () => Int32Array.from({ length: batch }, () => Math.floor(rand() * n)));
}

interface Rate {
  rate: number;
  /** The mean loss over the timed batches. */
  loss: number;
}

/**
 * Samples/s of `step` over EPOCHS epochs of `batches` (at least one a epoch, so a few rows still give
 * a rate), after WARM_UP_BATCHES; `meanLoss` ends the run (a device read, so the device has finished).
 */
async function samplesPerSecond(batches: Int32Array[], step: (rows: Int32Array) => unknown, meanLoss: () => Promise<number>): Promise<Rate> {
  for (const b of batches.slice(0, WARM_UP_BATCHES)) await step(b);
  await meanLoss();
  const timed = batches.slice(WARM_UP_BATCHES);
  const t0 = performance.now();
  for (const b of timed) await step(b);
  const loss = await meanLoss();
  return { rate: (timed.length * timed[0].length) / ((performance.now() - t0) / 1000), loss };
}

/** A tfjs trainer's step over gathered rows: the batch is gathered on the device from its indices. */
function gathered(data: { x: tf.Tensor2D; y: tf.Tensor2D }, train: (x: tf.Tensor2D, y: tf.Tensor2D) => unknown) {
  return async (r: Int32Array) => {
    const idx = tf.tensor1d(r, 'int32');
    const x = tf.gather(data.x, idx) as tf.Tensor2D;
    const y = tf.gather(data.y, idx) as tf.Tensor2D;
    try {
      await train(x, y);
    } finally {
      tf.dispose([idx, x, y]);
    }
  };
}

/** Samples/s of fitForecaster (the default trainer) over EPOCHS epochs of the rows, validating on 1,024 of them each epoch; and what trained. */
async function productRate(data: { x: tf.Tensor2D; y: tf.Tensor2D }, hidden: number, batch: number): Promise<{ rate: number; trainer: string }> {
  const [x, y] = [(await data.x.data()) as Float32Array, (await data.y.data()) as Float32Array];
  const n = data.x.shape[0];
  const set = (count: number) => ({ x: x.subarray(0, count * INPUTS), y: y.subarray(0, count), count, features: INPUTS });
  const p = resolveMlpParams({ window: INPUTS + 1, hiddenUnits: hidden, layers: 2, learningRate: 0.001, seed: 1 });
  const model = buildMlp(p);
  const t0 = performance.now();
  const fit = await fitForecaster(model, { train: set(n), val: set(Math.min(1024, n)), epochs: EPOCHS, batchSize: batch, patience: 0, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return { rate: (n * EPOCHS) / seconds, trainer: fit.trainer };
}

const PYTORCH = `
import sys, time, json, torch
n, h, b, e, d = (int(v) for v in sys.argv[1:6])
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.manual_seed(0)
x = torch.randn(n, d, device=dev); w = torch.randn(d, 1, device=dev)
y = torch.relu(x @ w) + 0.1 * torch.randn(n, 1, device=dev)
m = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(), torch.nn.Linear(h, 1)).to(dev)
opt = torch.optim.Adam(m.parameters(), 1e-3)
def run(count):
    total = torch.zeros((), device=dev)
    for _ in range(count):
        idx = torch.randint(0, n, (b,), device=dev); opt.zero_grad(); l = ((m(x[idx]) - y[idx]) ** 2).mean(); l.backward(); opt.step()
        total += l.detach()
    return (total / count).item()  # the one read: the device has finished
run(4)
k = max(1, n // b) * e
t = time.perf_counter(); loss = run(k)
print(json.dumps({"device": dev + ("" if dev == "cuda" else " x%d threads" % torch.get_num_threads()), "rate": k * b / (time.perf_counter() - t), "loss": loss}))`;

const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(0));
const loss = (r: Rate | null) => (r === null ? '-' : r.loss.toPrecision(5));

export async function gpu(): Promise<void> {
  const backend = await selectBackend();
  const onGpu = backend.name !== 'wasm' && backend.name !== 'cpu';
  const n = Number(process.env.TRAINYARD_GPU_BENCH_ROWS ?? (onGpu ? 200_000 : 8_192));
  const device = tfjsWebgpuDevice();
  process.stdout.write(
    `MLP ${INPUTS} -> H -> H -> 1, Adam, MSE, float32, ${n} rows x ${EPOCHS} epochs of random batches (the same for every trainer); Trainyard on tfjs ${backend.name} (${backend.device})\n\n` +
      '| H | batch | dispatches/step: layers API, lean, WGSL | samples/s: layers API | lean | WGSL tile 64 | WGSL tile 128 | WGSL auto (tiles, split-K) | WGSL tuned | fitForecaster (its trainer) | PyTorch (device) | mean loss: layers API, lean, WGSL 64, 128, auto, tuned (one start), PyTorch (its own init) | WGSL tuned / PyTorch | lean / PyTorch | fitForecaster / PyTorch |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  const plans: string[] = [];
  for (const { hidden, batch } of configs()) {
    const data = rows(n);
    const batches = batchRows(n, batch, WARM_UP_BATCHES + Math.max(1, Math.floor(n / batch)) * EPOCHS);
    const p = resolveMlpParams({ window: INPUTS + 1, hiddenUnits: hidden, layers: 2, learningRate: 0.001, seed: 1 });
    const model = buildMlp(p);
    const start = await Promise.all(model.getWeights().map(async (w) => ({ values: (await w.data()) as Float32Array, shape: w.shape })));
    const startTensors = () => start.map((w) => tf.tensor(w.values, w.shape));
    // Dispatches counted on the second step of copies: tfjs makes Adam's slots on the first.
    const leanStart = startTensors();
    const lean = new LeanDenseStep(leanStart, { learningRate: 0.001 });
    tf.dispose(leanStart);
    const probe = { x: data.x.slice([0, 0], [batch, INPUTS]) as tf.Tensor2D, y: data.y.slice([0, 0], [batch, 1]) as tf.Tensor2D };
    await model.trainOnBatch(probe.x, probe.y);
    lean.step(probe.x, probe.y);
    const layerOps = await dispatchesOf(() => model.trainOnBatch(probe.x, probe.y));
    const leanOps = await dispatchesOf(() => lean.step(probe.x, probe.y));
    tf.dispose([probe.x, probe.y]);
    lean.dispose();
    model.dispose();
    // Every trainer starts from `start`. trainOnBatch reads its loss back every step; the others add it up on the device and read it at the end.
    const layersModel = buildMlp(p);
    const weights = startTensors();
    layersModel.setWeights(weights);
    tf.dispose(weights);
    let layersSum = 0;
    let layersCount = 0;
    const layers = await samplesPerSecond(
      batches,
      gathered(data, async (x, y) => {
        layersSum += ((await layersModel.trainOnBatch(x, y)) as number) * x.shape[0];
        layersCount += x.shape[0];
      }),
      async () => {
        const mean = layersSum / layersCount;
        [layersSum, layersCount] = [0, 0];
        return mean;
      },
    );
    layersModel.dispose();
    const stepStart = startTensors();
    const leanStep = new LeanDenseStep(stepStart, { learningRate: 0.001 });
    tf.dispose(stepStart);
    const leanRate = await samplesPerSecond(batches, gathered(data, (x, y) => leanStep.step(x, y)), () => leanStep.takeMeanLoss());
    leanStep.dispose();
    const wgsl: Partial<Record<'64' | '128' | 'auto' | 'tune', Rate>> = {};
    if (device) {
      const set = { x: (await data.x.data()) as Float32Array, y: (await data.y.data()) as Float32Array, count: n };
      for (const [name, tiling] of [['64', TILE_64], ['128', TILE_128], ['auto', 'auto'], ['tune', 'tune']] as const) {
        const trainer = new WgslDenseStep(device, start, { adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() }, maxBatch: batch, train: set, val: { ...set, count: 1, x: set.x.subarray(0, INPUTS), y: set.y.subarray(0, 1) }, tiling });
        const t0 = performance.now();
        await trainer.ready();
        if (name === 'auto' || name === 'tune') plans.push(`- H ${hidden}, batch ${batch}, ${name}: ${trainer.describeProducts()}${name === 'tune' ? ` (tuned in ${((performance.now() - t0) / 1000).toFixed(2)} s)` : ''}`);
        wgsl[name] = await samplesPerSecond(batches, (r) => trainer.step(r), () => trainer.takeMeanLoss());
        trainer.destroy();
      }
    }
    const product = await productRate(data, hidden, batch);
    tf.dispose([data.x, data.y]);
    const peer = runPython(PYTORCH, [n, hidden, batch, EPOCHS, INPUTS].map(String), 'python3-torch');
    const torch = 'error' in peer ? null : (JSON.parse(peer.out) as { device: string; rate: number; loss: number });
    const ratio = (ours: number | null) => (torch && ours !== null ? (ours / torch.rate).toFixed(3) : '-');
    const [w64, w128, auto, tuned] = [wgsl['64'] ?? null, wgsl['128'] ?? null, wgsl.auto ?? null, wgsl.tune ?? null];
    process.stdout.write(
      `| ${hidden} | ${batch} | ${layerOps}, ${leanOps}, ${device ? wgslDispatches(3) : '-'} | ${fmt(layers.rate)} | ${fmt(leanRate.rate)} | ${fmt(w64?.rate ?? null)} | ${fmt(w128?.rate ?? null)} | ${fmt(auto?.rate ?? null)} | ${fmt(tuned?.rate ?? null)} | ${product.rate.toFixed(0)} (${product.trainer}) | ${torch ? `${torch.rate.toFixed(0)} (${torch.device})` : `peer unavailable (${'error' in peer ? peer.error : ''})`} | ${loss(layers)}, ${loss(leanRate)}, ${loss(w64)}, ${loss(w128)}, ${loss(auto)}, ${loss(tuned)}, ${torch ? torch.loss.toPrecision(5) : '-'} | ${ratio(tuned?.rate ?? null)} | ${ratio(leanRate.rate)} | ${ratio(product.rate)} |\n`,
    );
  }
  if (plans.length > 0) process.stdout.write(`\nThe WGSL products as built, auto and tuned (tile side per product, /slices where split over the batch):\n${plans.join('\n')}\n`);
}
