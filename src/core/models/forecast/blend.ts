/**
 * A blend: the weighted mean of several forecasters' levels, weights summing to 1 (the auto family
 * weighs its best candidates by inverse validation error). Members may read windows of different
 * lengths: the blend reads the longest, and hands each member the last values it needs.
 * Saved as blend.json plus one folder per member under members/. No TensorFlow.js here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileAs } from '../json-files';
import type { RawInputs } from './features';
import { asRaw, lastWindow, type Forecaster } from './predictor';
import { writePreprocessingFile } from './preprocessing-file';

export const BLEND_FILE = 'blend.json';

const BlendFile = z.object({
  format: z.literal('trainyard.forecast.blend'),
  version: z.literal(1),
  members: z.array(z.object({ name: z.string().regex(/^[a-z0-9_]+$/), weight: z.number().positive() })).min(2),
});

export interface BlendMember {
  /** Also its folder's name under members/. */
  name: string;
  weight: number;
  forecaster: Forecaster;
}

/** The last `to` of every `from`-long window, for each array of the raw inputs. */
export function tailWindows(raw: RawInputs, from: number, to: number): RawInputs {
  if (to === from) return raw;
  const tails = (a: ArrayLike<number>) => {
    const count = Math.floor(a.length / from);
    const out = new Float64Array(count * to);
    for (let k = 0; k < count; k++) for (let j = 0; j < to; j++) out[k * to + j] = a[k * from + from - to + j];
    return out;
  };
  return { target: tails(raw.target), exogenous: raw.exogenous?.map(tails), times: raw.times ? tails(raw.times) : null };
}

export function blendForecaster(members: BlendMember[]): Forecaster {
  const total = members.reduce((s, m) => s + m.weight, 0);
  const widest = members.reduce((a, b) => (b.forecaster.preprocessing.window > a.forecaster.preprocessing.window ? b : a));
  const p = widest.forecaster.preprocessing;
  const predictWindows = async (windows: RawInputs | ArrayLike<number>) => {
    const raw = asRaw(windows);
    const count = Math.floor(raw.target.length / p.window);
    const out = new Float64Array(count);
    for (const m of members) {
      const levels = await m.forecaster.predictWindows(tailWindows(raw, p.window, m.forecaster.preprocessing.window));
      for (let k = 0; k < count; k++) out[k] += (m.weight / total) * levels[k];
    }
    return out;
  };
  return {
    kind: 'blend',
    preprocessing: p,
    input: widest.forecaster.input,
    predictWindows,
    forecast: async (history) => (await predictWindows(lastWindow(history, p.window)))[0],
    async save(dir, info) {
      const files: string[] = [];
      for (const m of members) {
        const sub = join(dir, 'members', m.name);
        await mkdir(sub, { recursive: true });
        files.push(...(await m.forecaster.save(sub, info)));
      }
      const path = join(dir, BLEND_FILE);
      const weights = members.map((m) => ({ name: m.name, weight: m.weight / total }));
      await writeFile(path, JSON.stringify({ format: 'trainyard.forecast.blend', version: 1, members: weights }, null, 2));
      files.push(path, await writePreprocessingFile(dir, p, { ...info, predictor: 'blend', networkInput: widest.forecaster.input }));
      return files;
    },
    dispose: () => members.forEach((m) => m.forecaster.dispose()),
  };
}

/** Reads blend.json in `dir` and loads each member with `load` (the loader of any saved forecaster). */
export async function loadBlend(dir: string, load: (dir: string) => Promise<Forecaster>): Promise<Forecaster> {
  const f = await readJsonFileAs(join(dir, BLEND_FILE), BlendFile);
  const members: BlendMember[] = [];
  try {
    for (const m of f.members) members.push({ name: m.name, weight: m.weight, forecaster: await load(join(dir, 'members', m.name)) });
  } catch (err) {
    members.forEach((m) => m.forecaster.dispose());
    throw err;
  }
  return blendForecaster(members);
}
