/**
 * Resumable training state: everything the training loop needs to carry on exactly where it
 * stopped, so that an interrupted run resumed from its checkpoint ends with the same model as one
 * that was never interrupted.
 *
 * One file, `checkpoint.bin`: a JSON header (epoch, shuffling RNG state, loss history, best epoch,
 * a fingerprint of what is being trained, tensor specs) then the tensors' bytes: the model's
 * weights, the optimizer's slots (Adam's moments and step count, and its running beta powers,
 * which its own setWeights would recompute with a slightly different rounding) and the best
 * weights so far. It is written to a temporary name and renamed over the old one, so a crash
 * mid-write leaves the previous checkpoint, never half of one.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** An optimizer slot as `Optimizer.getWeights` hands it out. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export const CHECKPOINT_FILE = 'checkpoint.bin';
const MAGIC = 'TRAINYARD-CKPT-1\n';

/** The loop's state after `epoch` whole epochs. Tensors belong to the snapshot: dispose with `disposeSnapshot`. */
export interface TrainingSnapshot {
  epoch: number;
  rngState: number;
  bestEpoch: number;
  bestValLoss: number;
  loss: number[];
  valLoss: number[];
  weights: tf.Tensor[];
  optimizer: NamedTensor[];
  /** Adam's beta1^t and beta2^t, when the optimizer keeps them. */
  optimizerExtras: number[];
  best: tf.Tensor[] | null;
}

interface AdamLike {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** Copies the model's and optimizer's state (the copies are the snapshot's to dispose). */
export async function snapshotOf(
  model: tf.LayersModel,
  loop: Omit<TrainingSnapshot, 'weights' | 'optimizer' | 'optimizerExtras' | 'best'>,
  best: tf.Tensor[] | null,
): Promise<TrainingSnapshot> {
  const opt = model.optimizer;
  const slots = opt ? await opt.getWeights() : [];
  // getWeights hands out the live variables plus a fresh step-count scalar: copy the former, keep the latter.
  const optimizer = slots.map((s) => ({ name: s.name, tensor: s.name === 'iter' ? s.tensor : s.tensor.clone() }));
  const adam = opt as unknown as AdamLike;
  // Asynchronous reads: a GPU backend in Node has no synchronous one (see train-loop.ts).
  const optimizerExtras = adam?.accBeta1 && adam.accBeta2 ? [(await adam.accBeta1.data())[0], (await adam.accBeta2.data())[0]] : [];
  return {
    ...loop,
    loss: [...loop.loss],
    valLoss: [...loop.valLoss],
    weights: model.getWeights().map((t) => t.clone()),
    optimizer,
    optimizerExtras,
    best: best ? best.map((t) => t.clone()) : null,
  };
}

/** Puts a snapshot's weights and optimizer state into a freshly built model of the same shape. */
export async function restoreInto(model: tf.LayersModel, s: TrainingSnapshot): Promise<void> {
  model.setWeights(s.weights);
  const opt = model.optimizer;
  if (opt && s.optimizer.length > 0) {
    // setWeights turns the tensors it is given into variables it keeps: hand it copies.
    await opt.setWeights(s.optimizer.map((n) => ({ name: n.name, tensor: n.tensor.clone() })));
    const adam = opt as unknown as AdamLike;
    if (adam.accBeta1 && adam.accBeta2 && s.optimizerExtras.length === 2) {
      adam.accBeta1.assign(tf.scalar(s.optimizerExtras[0]));
      adam.accBeta2.assign(tf.scalar(s.optimizerExtras[1]));
    }
  }
}

export function disposeSnapshot(s: TrainingSnapshot): void {
  s.weights.forEach((t) => t.dispose());
  s.optimizer.forEach((n) => n.tensor.dispose());
  s.best?.forEach((t) => t.dispose());
}

const TensorSpec = z.object({
  group: z.enum(['weights', 'optimizer', 'best']),
  name: z.string(),
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(z.number().int().nonnegative()),
});
const Header = z.object({
  fingerprint: z.string(),
  epoch: z.number().int().min(1),
  rngState: z.number().int().nonnegative(),
  bestEpoch: z.number().int().nonnegative(),
  bestValLoss: z.number().nullable(),
  loss: z.array(z.number()),
  valLoss: z.array(z.number()),
  optimizerExtras: z.array(z.number()),
  tensors: z.array(TensorSpec),
  savedAt: z.string(),
});
type Header = z.infer<typeof Header>;

/** Writes the snapshot atomically into `dir/checkpoint.bin`. */
export async function writeCheckpoint(dir: string, fingerprint: string, s: TrainingSnapshot): Promise<string> {
  await mkdir(dir, { recursive: true });
  const specs: Header['tensors'] = [];
  const chunks: Uint8Array[] = [];
  const add = async (group: 'weights' | 'optimizer' | 'best', name: string, t: tf.Tensor) => {
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    const values = await t.data(); // asynchronous: a GPU backend in Node has no synchronous read
    const data = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    specs.push({ group, name, dtype, shape: t.shape });
    chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  };
  for (const [i, t] of s.weights.entries()) await add('weights', String(i), t);
  for (const n of s.optimizer) await add('optimizer', n.name, n.tensor);
  for (const [i, t] of (s.best ?? []).entries()) await add('best', String(i), t);
  const header: Header = {
    fingerprint,
    epoch: s.epoch,
    rngState: s.rngState,
    bestEpoch: s.bestEpoch,
    // JSON has no Infinity: a run with no finished epoch has no best loss yet.
    bestValLoss: Number.isFinite(s.bestValLoss) ? s.bestValLoss : null,
    loss: s.loss,
    valLoss: s.valLoss,
    optimizerExtras: s.optimizerExtras,
    tensors: specs,
    savedAt: new Date().toISOString(),
  };
  const json = Buffer.from(MAGIC + JSON.stringify(header) + '\n', 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const final = join(dir, CHECKPOINT_FILE);
  const temp = join(dir, `.${CHECKPOINT_FILE}.${process.pid}.tmp`);
  await writeFile(temp, Buffer.concat([length, json, ...chunks]));
  await rename(temp, final);
  return final;
}

export type CheckpointRead =
  | { found: false }
  | { found: true; usable: false; reason: string }
  | { found: true; usable: true; snapshot: TrainingSnapshot; savedAt: string };

/**
 * Reads `dir/checkpoint.bin`. A checkpoint of something else (another fingerprint) or a damaged
 * file is reported as unusable with the reason, never half-applied.
 */
export async function readCheckpoint(dir: string, fingerprint: string): Promise<CheckpointRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, CHECKPOINT_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { found: false };
    return { found: true, usable: false, reason: `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const made: tf.Tensor[] = [];
  try {
    const length = bytes.readUInt32LE(0);
    if (4 + length > bytes.length) return { found: true, usable: false, reason: 'not a Trainyard checkpoint' };
    const text = bytes.subarray(4, 4 + length).toString('utf8');
    if (!text.startsWith(MAGIC)) return { found: true, usable: false, reason: 'not a Trainyard checkpoint' };
    const parsed = Header.safeParse(JSON.parse(text.slice(MAGIC.length)));
    if (!parsed.success) return { found: true, usable: false, reason: `damaged header (${parsed.error.issues[0].message})` };
    const h = parsed.data;
    if (h.fingerprint !== fingerprint) {
      return { found: true, usable: false, reason: 'it was saved for other params, data or network' };
    }
    let offset = 4 + length;
    const weights: tf.Tensor[] = [];
    const optimizer: NamedTensor[] = [];
    const best: tf.Tensor[] = [];
    for (const spec of h.tensors) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const end = offset + count * 4;
      if (end > bytes.length) throw new Error('the file is shorter than its header says');
      const raw = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + end);
      const data = spec.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
      const t = tf.tensor(data, spec.shape, spec.dtype);
      made.push(t);
      if (spec.group === 'weights') weights.push(t);
      else if (spec.group === 'optimizer') optimizer.push({ name: spec.name, tensor: t });
      else best.push(t);
      offset = end;
    }
    return {
      found: true,
      usable: true,
      savedAt: h.savedAt,
      snapshot: {
        epoch: h.epoch,
        rngState: h.rngState,
        bestEpoch: h.bestEpoch,
        bestValLoss: h.bestValLoss ?? Infinity,
        loss: h.loss,
        valLoss: h.valLoss,
        weights,
        optimizer,
        optimizerExtras: h.optimizerExtras,
        best: best.length > 0 ? best : null,
      },
    };
  } catch (err) {
    made.forEach((t) => t.dispose());
    return { found: true, usable: false, reason: `damaged (${err instanceof Error ? err.message : String(err)})` };
  }
}

export async function removeCheckpoint(dir: string): Promise<void> {
  await rm(join(dir, CHECKPOINT_FILE), { force: true });
}
