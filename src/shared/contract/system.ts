/** System information: versions, machine, compute backends, workers. */
import { z } from 'zod';
import { ModelFamilyInfo } from './training';
import { Empty, method } from './vocabulary';


export const BackendInfo = z.object({
  name: z.string(),
  available: z.boolean(),
  /** Why a backend is not available (package missing, no adapter...). */
  reason: z.string().nullable(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const SystemInfo = z.object({
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  cpus: z.number().int(),
  memoryBytes: z.number(),
  dataDir: z.string(),
  /** Compute backends in order of preference, with what was found on this machine. */
  backends: z.array(BackendInfo),
  /** The backend training jobs will use unless told otherwise. */
  backend: z.string(),
  workers: z.object({ max: z.number().int(), busy: z.number().int() }),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const systemMethods = {
  info: method(Empty, SystemInfo),
  /** Every model family a job may name, with its task, defaults and the column fields it reads. */
  families: method(Empty, z.array(ModelFamilyInfo)),
};
