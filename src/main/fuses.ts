/**
 * Electron's own switches, flipped in the packaged binary (electron-builder.config.ts reads them from
 * here, and so do the tests that check the app's code agrees with them).
 *
 * - runAsNode off: ELECTRON_RUN_AS_NODE is ignored, so the Electron binary cannot be made into a
 *   plain Node. Nothing in the app may depend on it: the GPU probe and the workers run as
 *   utilityProcesses (see worker-launcher.ts).
 * - no NODE_OPTIONS and no --inspect from outside; the app only from its integrity-checked archive.
 */
import type { Configuration } from 'electron-builder';

export const ELECTRON_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const satisfies NonNullable<Configuration['electronFuses']>;
