/**
 * electron-builder's configuration (it finds this file by its name). `npm run package` packages the
 * desktop app: the build, SQLite's driver for Electron, then electron-builder for this platform.
 *
 * node_modules is shipped as it is (no in-place rebuild: that would replace the Node build of
 * better-sqlite3 the CLI and the tests load). The app loads better-sqlite3's binary built for
 * Electron's ABI by scripts/electron-native.mjs, shipped as resources/native/better_sqlite3.node (see
 * src/main/native-binding.ts); the other native addons it loads are N-API, the same for every runtime.
 */
import type { Configuration } from 'electron-builder';
import { ELECTRON_FUSES } from './src/main/fuses';
import { NATIVE_FILE, PACKAGED_NATIVE_DIR, devNativeDir } from './src/main/native-binding';
import { electronTarget } from './scripts/native-build';

const root = import.meta.dirname ?? process.cwd();

const config: Configuration = {
  appId: 'dev.trainyard.app',
  productName: 'Trainyard',
  copyright: 'Copyright © Trainyard contributors',
  directories: { output: 'dist', buildResources: 'resources' },

  // What goes into the app archive: the built main/preload/renderer and the shipped resources.
  // electron-builder adds the production dependencies from node_modules, as they are.
  files: [
    'out/**',
    'resources/**',
    '!**/*.map',
    // The Node build of better-sqlite3 and its sources are never loaded by the app.
    '!node_modules/better-sqlite3/build/**',
    '!node_modules/better-sqlite3/deps/**',
    '!node_modules/better-sqlite3/src/**',
  ],
  npmRebuild: false,

  extraResources: [
    // The sample datasets also live outside the archive, as plain files a user can open.
    { from: 'resources/datasets', to: 'datasets' },
    // SQLite's driver for this Electron's ABI, built for the machine that packages.
    { from: devNativeDir(root, electronTarget(root)), to: PACKAGED_NATIVE_DIR, filter: [NATIVE_FILE] },
  ],

  asar: true,
  // Native addons and WebAssembly cannot be loaded from inside an asar archive.
  asarUnpack: ['**/*.node', '**/node_modules/webgpu/dist/**', '**/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm'],

  electronFuses: ELECTRON_FUSES,

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    executableName: 'trainyard',
    synopsis: 'A local ML training workstation',
    maintainer: 'Trainyard contributors',
  },
  mac: { target: 'dmg', category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: 'nsis' },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};

export default config;
