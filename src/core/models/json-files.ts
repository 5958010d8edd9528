/** JSON files of saved models, read with a message that names the file. No TensorFlow.js here. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/** JSON from `path`, or an error naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** JSON from `path` checked against `schema`, or an error naming the file and its first problem. */
export async function readJsonFileAs<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJsonFile(path));
  if (!parsed.success) throw new Error(`${path} is not valid: ${parsed.error.issues[0].message}`);
  return parsed.data;
}
