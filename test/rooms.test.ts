/**
 * The import rooms of DESIGN.md are enforced by eslint.config.js. These tests lint small snippets as
 * if they were files in each room, so a rule that stops firing (or fires on allowed code) fails here.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const ROOM_RULES = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

/** The room violations ESLint reports for `code` placed at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  expect(result.fatalErrorCount, JSON.stringify(result.messages)).toBe(0);
  return result.messages.filter((m) => m.severity === 2 && m.ruleId && ROOM_RULES.has(m.ruleId)).map((m) => m.message);
}

describe('import rooms are enforced', () => {
  const refused: [string, string, RegExp][] = [
    ['src/shared/x.ts', "import fs from 'node:fs';", /Node built-ins/],
    ['src/shared/x.ts', "import { join } from 'path';", /Node built-ins/],
    ['src/shared/rpc/x.ts', "import { fork } from 'child_process';", /Node built-ins/],
    ['src/shared/x.ts', "import type { Stats } from 'fs/promises';", /Node built-ins/],
    ['src/shared/x.ts', "import { useState } from 'react';", /DOM-only/],
    ['src/shared/x.ts', "import { app } from 'electron';", /electron/],
    ['src/shared/x.ts', "import { createApp } from '../core/app';", /src\/shared may not import/],
    ['src/shared/rpc/x.ts', "export * from '../../server';", /src\/shared may not import/],
    ['src/core/x.ts', "import { app } from 'electron';", /electron/],
    ['src/core/store/x.ts', "import { ipcMain } from 'electron/main';", /electron/],
    ['src/core/x.ts', "const { app } = await import('electron');", /electron/],
    ['src/worker/index.ts', "import { app } from 'electron';", /electron/],
    ['src/server/x.ts', "import { app } from 'electron';", /electron/],
    ['src/cli/commands/x.ts', "import { app } from 'electron';", /electron/],
    ['src/renderer/x.ts', "import x from '../core/store';", /src\/renderer may not import/],
    ['src/renderer/views/x.tsx', "import { createApp } from '../../core/app';", /src\/renderer may not import/],
    ['src/renderer/x.ts', "import { startServer } from '../server';", /src\/renderer may not import/],
    ['src/renderer/x.ts', "import { main } from '../cli/main';", /src\/renderer may not import/],
    ['src/renderer/x.ts', "import fs from 'node:fs';", /Node built-ins/],
    ['src/renderer/x.ts', "import { readFile } from 'fs';", /Node built-ins/],
    ['src/renderer/x.ts', "import { ipcRenderer } from 'electron';", /electron/],
    ['src/renderer/x.ts', "import Database from 'better-sqlite3';", /only runs in Node/],
    ['src/preload/index.ts', "import { readFileSync } from 'node:fs';", /Node built-ins/],
    ['src/preload/index.ts', "import { createApp } from '../core/app';", /src\/preload may not import/],
    ['src/core/x.ts', "import { startServer } from '../server';", /src\/core may not import/],
    // A capability's internals are reached through its index.ts only.
    ['src/core/queue/x.ts', "import { JobRepository } from '../store/repositories/jobs';", /index\.ts/],
    ['src/core/models/forecast/x.ts', "import { parseCsv } from '../../data/csv';", /index\.ts/],
    ['src/core/app.ts', "import { openStore } from './store/connection';", /index\.ts/],
    ['src/server/x.ts', "import { openStore } from '../core/store/connection';", /index\.ts/],
  ];

  it.each(refused)('%s refuses %s', async (file, code, why) => {
    const found = await violations(file, code);
    expect(found.length, `expected a violation for ${code} in ${file}`).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(why);
  });

  const allowed: [string, string][] = [
    ['src/main/index.ts', "import { app, BrowserWindow } from 'electron';"],
    ['src/main/index.ts', "import path from 'node:path';"],
    ['src/main/index.ts', "import { createApp } from '../core/app';"],
    ['src/preload/index.ts', "import { ipcRenderer } from 'electron';"],
    ['src/renderer/x.ts', "import { contract } from '../shared/contract';"],
    ['src/renderer/api/x.ts', "import { createClient } from '../../shared/rpc/client';"],
    ['src/renderer/views/x.tsx', "import { useState } from 'react';"],
    // A renderer folder that happens to be called `core` is still the renderer.
    ['src/renderer/views/x.tsx', "import { Button } from '../core/button';"],
    ['src/shared/x.ts', "import { z } from 'zod';"],
    ['src/shared/rpc/x.ts', "import type { Api } from '../contract';"],
    ['src/core/x.ts', "import fs from 'node:fs';"],
    ['src/core/queue/x.ts', "import { openStore } from '../store';"],
    ['src/core/queue/x.ts', "import { transition } from './lifecycle';"],
    ['src/core/store/repositories/x.ts', "import type { DB } from '../schema';"],
    // Type-only imports of a capability's internals vanish at runtime and are allowed.
    ['src/core/queue/x.ts', "import type { JobRepository } from '../store/repositories/jobs';"],
    ['src/worker/index.ts', "import { parentPipe } from '../core/workers';"],
    ['src/server/x.ts', "import { serveConnection } from '../shared/rpc/dispatcher';"],
    ['src/cli/x.ts', "import { startServer } from '../server';"],
    // Tests beside the code run under Node and may reach across rooms, but never into electron.
    ['src/shared/contract.test.ts', "import fs from 'node:fs';"],
  ];

  it.each(allowed)('%s allows %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });

  it('a test beside the core still may not import electron', async () => {
    expect(await violations('src/core/x.test.ts', "import { app } from 'electron';")).not.toEqual([]);
  });
});
