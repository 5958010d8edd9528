/**
 * Predict throughput in rows per second, for a ridge (linear) and an MLP forecaster trained on a
 * real hourly series (a year of Seattle temperature normals, 8,760 rows), two ways:
 * - end to end as `models.predict` runs it: a warm worker reads the CSV, validates it as training
 *   did, predicts every full window and builds the table and its CSV;
 * - the model alone: `predictWindows` on every window of the series (encode, forward, decode), and
 *   that less the encoding, which the peer is spared (it is handed the encoded matrix);
 * beside the peer doing the same predictions on the same encoded window matrix in the same run:
 * scikit-learn's Ridge.predict and a PyTorch MLP of the same shape (Debian's python3-sklearn and
 * the PyTorch installed here, run with /usr/bin/python3). The registry bench calls `registryPredict`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src/core/compute';
import { readTable, validateTrainingTable } from '../src/core/data';
import { encodeInputs, loadForecaster } from '../src/core/models';
import { runTrainTask } from '../src/core/pipeline';
import { collect, datasetFile, sampleTask } from '../src/core/pipeline/testing';
import type { ModelOnDisk } from '../src/core/registry';
import { windowsEndingAt } from '../src/core/registry/predict/forecast';
import { evaluateModels, predictModel } from '../src/core/registry/predict/scorer';
import { modelSchemaFromCard } from '../src/core/registry/schema';
import { WorkerPool, forkLauncher } from '../src/core/workers';
import type { ModelVersion } from '../src/shared/contract';

const FILE = 'seattle-weather-hourly-normals.csv';
const TARGET = 'temperature';
const REPS = 15;
const MODELS: { id: 'ridge' | 'mlp'; spec: { model: 'linear' | 'mlp' }; params: Record<string, number> }[] = [
  { id: 'ridge', spec: { model: 'linear' }, params: { window: 25 } },
  { id: 'mlp', spec: { model: 'mlp' }, params: { window: 25, epochs: 5, patience: 0 } },
];

interface Measured {
  id: string;
  windows: number;
  features: number;
  /** Rows per second. */
  endToEnd: number;
  alone: number;
  /** The model alone less the encoding of its inputs: the peer's part of the work. */
  forward: number;
  /** The encoded window matrix, for the peer. */
  x: Float64Array;
  mlp: { layers: number; hiddenUnits: number };
}

type PeerResult = Record<string, { peer: string; seconds: number; rows: number }>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function medianSeconds(fn: () => unknown | Promise<unknown>, reps = REPS): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

function onDisk(dir: string, name: string): ModelOnDisk {
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
  // Only the name, the version and the schema matter to predict; the registry's store fills in the rest.
  const version = { model: name, version: 1, schema: modelSchemaFromCard(card) } as ModelVersion;
  return { version, dir, card };
}

const rate = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');

export async function registryPredict(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-predict-'));
  const pool = new WorkerPool({ launcher: forkLauncher, idleMs: 60_000 });
  try {
    const backend = await selectBackend();
    const file = { path: datasetFile(FILE), sha256: '', name: FILE, datasetId: null };
    const frame = validateTrainingTable(await readTable(readFileSync(file.path), FILE), { target: TARGET });
    const n = frame.series.values.length;
    const measured: Measured[] = [];
    for (const m of MODELS) {
      await runTrainTask(sampleTask(dir, FILE, TARGET, m.params, { runId: m.id }, m.spec), { emit: collect().emit });
      const model = onDisk(join(dir, 'models', m.id), m.id);
      // End to end through a warm worker.
      let rows = 0;
      const e2e = await medianSeconds(async () => {
        const r = await predictModel(pool, model, file);
        rows = r.rows.length;
      }, 7);
      // The model alone, in this process, on every window of the series.
      const forecaster = await loadForecaster(model.dir);
      const raw = windowsEndingAt(frame, forecaster, { start: forecaster.preprocessing.window - 1, end: n });
      const windows = n - forecaster.preprocessing.window + 1;
      const alone = await medianSeconds(() => forecaster.predictWindows(raw));
      const x = encodeInputs(forecaster.preprocessing, raw);
      // The peer is handed the encoded matrix; this is what encoding costs Trainyard on top of the forward pass.
      const encode = await medianSeconds(() => encodeInputs(forecaster.preprocessing, raw));
      const features = x.length / windows;
      forecaster.dispose();
      const params = model.card.params as { layers?: number; hiddenUnits?: number };
      measured.push({ id: m.id, windows, features, endToEnd: rows / e2e, alone: windows / alone, forward: windows / Math.max(1e-9, alone - encode), x, mlp: { layers: params.layers ?? 1, hiddenUnits: params.hiddenUnits ?? 1 } });
    }
    // The peer on each model's own matrix (they differ only in what the model saved).
    const peer: PeerResult = {};
    for (const m of measured) {
      const r = python({ x: Array.from(m.x), features: m.features, reps: REPS, mlp: m.mlp });
      if (typeof r === 'string') {
        process.stdout.write(`${r}\n`);
        break;
      }
      peer[m.id] = r[m.id];
    }
    process.stdout.write(`Predict throughput on ${FILE} (${n} rows, target ${TARGET}), Trainyard on ${backend.name} (${backend.device}); median of ${REPS} runs\n\n`);
    process.stdout.write('| model | windows | inputs | Trainyard predict, end to end (rows/s) | Trainyard model alone (rows/s) | less encoding (rows/s) | peer (rows/s) | peer | less encoding / peer |\n');
    process.stdout.write('|---|---|---|---|---|---|---|---|---|\n');
    for (const m of measured) {
      const p = peer[m.id];
      const peerRate = p ? p.rows / p.seconds : null;
      const ratio = peerRate ? (m.forward / peerRate).toFixed(2) : '-';
      process.stdout.write(
        `| ${m.id} | ${m.windows} | ${m.features} | ${rate(m.endToEnd)} | ${rate(m.alone)} | ${rate(m.forward)} | ${peerRate ? rate(peerRate) : '-'} | ${p?.peer ?? '-'} | ${ratio} |\n`,
      );
    }
    // Evaluate on the same rows, for the record: both models' test metrics in one worker call.
    const ev = await evaluateModels(pool, MODELS.map((m) => onDisk(join(dir, 'models', m.id), m.id)), file, 'test');
    process.stdout.write(`\nTest rows ${ev.rows.count}: ${MODELS.map((m, i) => `${m.id} rmse ${ev.metrics[i].rmse.toFixed(4)}`).join(', ')} (naive ${ev.metrics[0]['naive.rmse'].toFixed(4)})\n`);
  } finally {
    await pool.closeAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function python(job: object): PeerResult | string {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-peer-'));
  try {
    const data = join(dir, 'input.json');
    writeFileSync(data, JSON.stringify(job));
    const r = spawnSync('/usr/bin/python3', [new URL('./registry_predict.py', import.meta.url).pathname, data], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (r.status !== 0) return `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn, and PyTorch)`;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
