// Lint rules, and the import rooms of DESIGN.md ("Rooms and doors") as a mechanical check.
//
// Each folder under src/ is a room that runs in one runtime:
//   shared    everywhere (also the renderer): no Node built-ins, no DOM-only libraries, no electron
//   core      plain Node: never electron
//   worker    plain Node (a worker process): never electron
//   server    plain Node: never electron
//   cli       plain Node: never electron
//   main      Electron main process: may import electron
//   preload   Electron sandboxed preload: electron only, nothing from Node
//   renderer  the browser: no Node built-ins, no electron, nothing from core/server/cli/worker
// Inside src/core, each folder is a capability whose index.ts is its door: code elsewhere may not
// import a capability's other files (type-only imports are allowed: they vanish at runtime).
//
// Relative imports are matched precisely: a file N folders below src/<room> reaches a sibling room
// with exactly N+1 `../`, so one config object per room and depth says which rooms it may reach.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const CODE = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const MAX_DEPTH = 8;
const ROOMS = ['shared', 'core', 'worker', 'main', 'preload', 'renderer', 'server', 'cli'];
const WHY = 'See "Rooms and doors" in DESIGN.md.';

/** The capabilities under src/core: every folder there. */
const CAPABILITIES = (() => {
  try {
    return readdirSync(new URL('./src/core', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
})();

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const up = (n) => `(?:\\.\\./){${n}}`;

const NODE_BUILTINS = {
  regex: `^(?:node:.*|(?:${builtinModules.map(esc).join('|')})(?:/.*)?)$`,
  message: 'Node built-ins are not available in this room.',
};
/** Packages that only run in Node: the store's driver, native bindings, the WebSocket server. */
const NODE_PACKAGES = {
  regex: '^(?:better-sqlite3|ws|webgpu|tsx|@tensorflow/tfjs-node(?:-gpu)?)(?:/.*)?$',
  message: 'This package only runs in Node and cannot be used in this room.',
};
const DOM_LIBS = {
  regex: '^(?:react|react-dom|zustand|uplot|@tanstack/[^/]+)(?:/.*)?$',
  message: 'DOM-only libraries belong in src/renderer.',
};
const ELECTRON = {
  regex: '^electron(?:/.*)?$',
  message: 'Only src/main and src/preload may import electron; the core runs without it.',
};

/** What each room may not import, besides other rooms. */
const LIBS = {
  shared: [NODE_BUILTINS, NODE_PACKAGES, DOM_LIBS, ELECTRON],
  core: [ELECTRON, DOM_LIBS],
  worker: [ELECTRON, DOM_LIBS],
  server: [ELECTRON, DOM_LIBS],
  cli: [ELECTRON, DOM_LIBS],
  main: [DOM_LIBS],
  preload: [NODE_BUILTINS, NODE_PACKAGES, DOM_LIBS],
  renderer: [NODE_BUILTINS, NODE_PACKAGES, ELECTRON],
};

/** Which other rooms each room may not import from. */
const FORBIDDEN_ROOMS = {
  shared: ['core', 'worker', 'main', 'preload', 'renderer', 'server', 'cli'],
  core: ['worker', 'main', 'preload', 'renderer', 'server', 'cli'],
  worker: ['main', 'preload', 'renderer', 'server', 'cli'],
  server: ['worker', 'main', 'preload', 'renderer', 'cli'],
  cli: ['worker', 'main', 'preload', 'renderer'],
  main: ['worker', 'preload', 'renderer', 'server', 'cli'],
  preload: ['core', 'worker', 'main', 'renderer', 'server', 'cli'],
  renderer: ['core', 'worker', 'main', 'preload', 'server', 'cli'],
};

/**
 * Patterns for a file `depth` folders below src/<room>; `depth === null` is the catch-all for
 * deeper files, which matches any number of `../` (less precise, rarely used).
 */
function roomPatterns(room, depth) {
  const toSrc = depth === null ? '(?:\\.\\./)+' : up(depth + 1);
  const rooms = FORBIDDEN_ROOMS[room];
  return [
    ...LIBS[room],
    {
      regex: `^(?:${toSrc}|(?:.*/)?src/)(?:${rooms.join('|')})(?:/|$)`,
      message: `src/${room} may not import from src/{${rooms.join(',')}}. ${WHY}`,
    },
  ];
}

const INDEX = '(?!index(?:\\.[cm]?[jt]sx?)?$)';

/** Value imports of a capability's internals, from a file `depth` folders below src/<room>. */
function doorPatterns(room, depth, ownCapability) {
  const message = 'Use the capability\'s index.ts: its other files are its own business. ' + WHY;
  if (room === 'core') {
    // depth 0 is src/core itself; a capability file at depth d reaches src/core with d `../`.
    const toCore = depth === null ? '(?:\\.\\./)+' : depth === 0 ? '\\./' : up(depth);
    const not = ownCapability ? `(?!${esc(ownCapability)}/)` : '';
    return [{ regex: `^${toCore}${not}[^./][^/]*/${INDEX}.+`, message, allowTypeImports: true }];
  }
  const toSrc = depth === null ? '(?:\\.\\./)+' : up(depth + 1);
  return [{ regex: `^(?:${toSrc}|(?:.*/)?src/)core/[^/]+/${INDEX}.+`, message, allowTypeImports: true }];
}

function filesAt(room, depth, sub = '') {
  const base = sub ? `src/${room}/${sub}/` : `src/${room}/`;
  const dirs = sub ? depth - 1 : depth;
  return [`${base}${'*/'.repeat(dirs)}*.${CODE}`];
}

function roomConfig(name, files, room, depth, capability) {
  return {
    name,
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: roomPatterns(room, depth) }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: doorPatterns(room, depth, capability) }],
    },
  };
}

const roomConfigs = ROOMS.flatMap((room) => {
  const configs = [roomConfig(`rooms/${room}`, [`src/${room}/**/*.${CODE}`], room, null)];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    configs.push(roomConfig(`rooms/${room}/${depth}`, filesAt(room, depth), room, depth));
  }
  if (room === 'core') {
    for (const cap of CAPABILITIES) {
      configs.push(roomConfig(`rooms/core/${cap}`, [`src/core/${cap}/**/*.${CODE}`], room, null, cap));
      for (let depth = 1; depth < MAX_DEPTH; depth++) {
        configs.push(roomConfig(`rooms/core/${cap}/${depth}`, filesAt('core', depth, cap), room, depth, cap));
      }
    }
  }
  return configs;
});

/** Tests beside the code run in Node under vitest: they may reach across rooms, but not into electron. */
const testConfigs = [
  {
    name: 'rooms/tests',
    files: [`src/**/*.{test,spec}.${CODE}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON] }],
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  },
  {
    name: 'rooms/tests/electron',
    files: [`src/{main,preload}/**/*.{test,spec}.${CODE}`],
    rules: { 'no-restricted-imports': 'off' },
  },
];

/** `import('electron')` and `require('electron')` slip past no-restricted-imports: catch them too. */
const dynamicElectron = {
  name: 'rooms/dynamic-electron',
  files: [`src/{shared,core,worker,server,cli,renderer}/**/*.${CODE}`],
  ignores: [`src/**/*.{test,spec}.${CODE}`],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector: 'ImportExpression[source.value=/^electron(?:$|[\\x2F])/]',
        message: ELECTRON.message,
      },
      {
        selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(?:$|[\\x2F])/]",
        message: ELECTRON.message,
      },
    ],
  },
};

export default defineConfig(
  {
    name: 'ignores',
    ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', 'bench/results/', 'test/e2e/artifacts/', 'resources/', 'src/core/kernels/assembly/'],
  },
  tseslint.configs.recommended,
  {
    name: 'trainyard/defaults',
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  ...roomConfigs,
  ...testConfigs,
  dynamicElectron,
);
