/**
 * The GPU bench network (MLP 64 -> H -> H -> 1, ReLU, Adam, MSE, float32), trained on the best
 * backend this machine has (WebGPU through Dawn on an NVIDIA workstation, else wasm), two ways:
 * the layers API's `trainOnBatch`, and Trainyard's lean step (src/core/models/gpu/lean-dense-step.ts:
 * fused forward, hand-written backward, one Adam over every weight, no host read per step). Each
 * prints its compute ops per step (a GPU backend's dispatches) and samples/s; then the product's own
 * path, fitForecaster with its default trainer (the lean step on a GPU backend, Trainyard's kernels
 * on a CPU one), with its per-epoch validation and shuffled batches; all beside PyTorch on the same
 * machine (CUDA where it has it, else the CPU with all its threads) in the same run.
 * TRAINYARD_GPU_BENCH_ROWS sets the rows per epoch (default 200,000 on a GPU, 8,192 on a CPU).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { buildMlp } from '../src/core/models/forecast/mlp-network';
import { fitForecaster } from '../src/core/models/forecast/fit';
import { resolveMlpParams } from '../src/core/models/forecast/mlp';
import { LeanDenseStep, dispatchesOf } from '../src/core/models/gpu/lean-dense-step';
import { runPython } from './train-peer';

const INPUTS = 64;
const CONFIGS = [
  { hidden: 512, batch: 1024 },
  { hidden: 1024, batch: 4096 },
];
const EPOCHS = 2;

/** Synthetic rows the network can fit (a ReLU of a random projection, plus noise), kept on the device. */
function rows(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, INPUTS], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([INPUTS, 1], 0, 1, 'float32', 2);
    const y = tf.relu(tf.matMul(x, w)).add(tf.randomNormal([n, 1], 0, 0.1, 'float32', 3)) as tf.Tensor2D;
    return { x, y };
  });
}

/** Samples/s over EPOCHS epochs of shuffled batches gathered on the device, after a warm-up of 4 batches. */
async function samplesPerSecond(n: number, batch: number, data: { x: tf.Tensor2D; y: tf.Tensor2D }, step: (x: tf.Tensor2D, y: tf.Tensor2D) => unknown, finish: () => unknown): Promise<number> {
  // At least one batch an epoch, so a few rows (a quick check) still give a rate.
  const batches = Math.max(1, Math.floor(n / batch));
  const run = async (count: number) => {
    for (let b = 0; b < count; b++) {
      const idx = tf.tidy(() => tf.randomUniform([batch], 0, n, 'int32'));
      const x = tf.gather(data.x, idx) as tf.Tensor2D;
      const y = tf.gather(data.y, idx) as tf.Tensor2D;
      await step(x, y);
      tf.dispose([idx, x, y]);
    }
    await finish();
  };
  await run(4);
  const t0 = performance.now();
  await run(batches * EPOCHS);
  return (batches * EPOCHS * batch) / ((performance.now() - t0) / 1000);
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
    for _ in range(count):
        idx = torch.randint(0, n, (b,), device=dev); opt.zero_grad(); l = ((m(x[idx]) - y[idx]) ** 2).mean(); l.backward(); opt.step()
    if dev == 'cuda': torch.cuda.synchronize()
run(4)
k = max(1, n // b) * e
t = time.perf_counter(); run(k)
print(json.dumps({"device": dev + ("" if dev == "cuda" else " x%d threads" % torch.get_num_threads()), "rate": k * b / (time.perf_counter() - t)}))`;

export async function gpu(): Promise<void> {
  const backend = await selectBackend();
  const onGpu = backend.name !== 'wasm' && backend.name !== 'cpu';
  const n = Number(process.env.TRAINYARD_GPU_BENCH_ROWS ?? (onGpu ? 200_000 : 8_192));
  process.stdout.write(
    `MLP ${INPUTS} -> H -> H -> 1, Adam, MSE, float32, ${n} rows x ${EPOCHS} epochs of random batches; Trainyard on tfjs ${backend.name} (${backend.device})\n\n` +
      '| H | batch | ops/step layers API | ops/step lean | layers API samples/s | lean samples/s | fitForecaster samples/s (its trainer) | PyTorch samples/s (device) | lean / PyTorch | layers API / PyTorch | fitForecaster / PyTorch |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  for (const { hidden, batch } of CONFIGS) {
    const data = rows(n);
    const p = resolveMlpParams({ window: INPUTS + 1, hiddenUnits: hidden, layers: 2, learningRate: 0.001, seed: 1 });
    const model = buildMlp(p);
    const lean = new LeanDenseStep(model.getWeights(), { learningRate: 0.001 });
    const probe = { x: data.x.slice([0, 0], [batch, INPUTS]) as tf.Tensor2D, y: data.y.slice([0, 0], [batch, 1]) as tf.Tensor2D };
    await model.trainOnBatch(probe.x, probe.y);
    lean.step(probe.x, probe.y);
    const layerOps = await dispatchesOf(() => model.trainOnBatch(probe.x, probe.y));
    const leanOps = await dispatchesOf(() => lean.step(probe.x, probe.y));
    tf.dispose([probe.x, probe.y]);
    // trainOnBatch reads its loss back every step; the lean step reads once, at the end.
    const layersRate = await samplesPerSecond(n, batch, data, (x, y) => model.trainOnBatch(x, y), () => undefined);
    const leanRate = await samplesPerSecond(n, batch, data, (x, y) => lean.step(x, y), () => lean.takeMeanLoss());
    lean.dispose();
    model.dispose();
    const product = await productRate(data, hidden, batch);
    tf.dispose([data.x, data.y]);
    const peer = runPython(PYTORCH, [n, hidden, batch, EPOCHS, INPUTS].map(String), 'python3-torch');
    const torch = 'error' in peer ? null : (JSON.parse(peer.out) as { device: string; rate: number });
    const ratio = (ours: number) => (torch ? (ours / torch.rate).toFixed(3) : '-');
    process.stdout.write(
      `| ${hidden} | ${batch} | ${layerOps} | ${leanOps} | ${layersRate.toFixed(0)} | ${leanRate.toFixed(0)} | ${product.rate.toFixed(0)} (${product.trainer}) | ${torch ? `${torch.rate.toFixed(0)} (${torch.device})` : `peer unavailable (${'error' in peer ? peer.error : ''})`} | ${ratio(leanRate)} | ${ratio(layersRate)} | ${ratio(product.rate)} |\n`,
    );
  }
}
