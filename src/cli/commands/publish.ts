/**
 * `trainyard models export|import|push|pull|login|logout`: publishing a version to a folder or an
 * OCI registry and bringing one back. Paths are resolved here, before they travel to a server;
 * progress in bytes goes to stderr, Ctrl-C cancels the transfer.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { newId } from '../../core/ids';
import type { TransferProgress } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import type { Session } from '../session';
import { printJson, withSession } from './context';

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

/** The progress line of a transfer, e.g. `push 12.0 MB / 200.0 MB (6%)`. */
export function progressLine(p: TransferProgress): string {
  const pct = p.bytesTotal > 0 ? ` (${Math.floor((100 * p.bytesDone) / p.bytesTotal)}%)` : '';
  return `${p.direction} ${size(p.bytesDone)} / ${size(p.bytesTotal)}${pct}${p.state === 'running' ? '' : ` ${p.state}`}`;
}

/**
 * Runs one transfer with a fresh id: its progress on stderr (one line rewritten on a terminal, a
 * line per update otherwise, none with --json), and Ctrl-C asking the core to cancel it.
 */
async function transfer<T>(s: Session, json: boolean, run: (transferId: string) => Promise<T>): Promise<T> {
  const transferId = newId();
  const tty = process.stderr.isTTY === true;
  const off = s.on('model.transfer', (p) => {
    // Nothing before the size is known, and no line for a failure: the error's own line says it.
    if (json || p.transferId !== transferId || p.state === 'failed' || p.state === 'cancelled' || (p.bytesTotal === 0 && p.state === 'running')) return;
    process.stderr.write(tty ? `\r${progressLine(p)}\u001b[K` : `${progressLine(p)}\n`);
  });
  const onSigint = () => {
    process.stderr.write('\ncancelling...\n');
    s.api.models.cancelTransfer({ transferId }).catch((err: unknown) => process.stderr.write(`trainyard: could not cancel: ${String(err)}\n`));
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(transferId);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    if (tty && !json) process.stderr.write('\n');
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerPublishCommands(models: Command): void {
  models
    .command('export <ref> <dir>')
    .description('write a version (NAME, NAME:VERSION or NAME@ALIAS) to DIR/NAME-vVERSION: files, manifest, card, gate report')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, dir: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await transfer(s, Boolean(opts.json), (transferId) => s.api.models.exportFolder({ ref, dir: resolve(dir), transferId }));
        if (opts.json) return printJson(out);
        process.stdout.write(`Exported ${ref} to ${out.path} (${size(out.bytes)})\n`);
      });
    });

  models
    .command('import <dir>')
    .description('register an exported folder (every file checked against its manifest) as the next version of NAME')
    .requiredOption('--name <name>', 'the registered model to add the version to')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: { name: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const v = await s.api.models.importFolder({ dir: resolve(dir), name: opts.name });
        if (opts.json) return printJson(v);
        process.stdout.write(`Imported ${resolve(dir)} as ${v.model}:${v.version}\n`);
      });
    });

  models
    .command('push <ref> <reference>')
    .description('push a version to an OCI registry as HOST[:PORT]/REPO:TAG (CNCF ModelPack artifact)')
    .option('--plain-http', 'talk HTTP, not HTTPS (a registry on localhost or a lab network)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, reference: string, opts: { plainHttp?: boolean; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await transfer(s, Boolean(opts.json), (transferId) => s.api.models.push({ ref, reference, plainHttp: Boolean(opts.plainHttp), transferId }));
        if (opts.json) return printJson(out);
        process.stdout.write(`Pushed ${ref} to ${out.reference} (${out.digest}): ${out.uploadedBlobs} blobs sent, ${out.skippedBlobs} already there, ${size(out.bytes)}\n`);
      });
    });

  models
    .command('pull <reference>')
    .description('pull HOST[:PORT]/REPO:TAG (digests verified) and register it as the next version of NAME')
    .requiredOption('--name <name>', 'the registered model to add the version to')
    .option('--plain-http', 'talk HTTP, not HTTPS')
    .option('--json', 'machine-readable output')
    .action(async (reference: string, opts: { name: string; plainHttp?: boolean; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const v = await transfer(s, Boolean(opts.json), (transferId) => s.api.models.pull({ reference, name: opts.name, plainHttp: Boolean(opts.plainHttp), transferId }));
        if (opts.json) return printJson(v);
        process.stdout.write(`Pulled ${reference} as ${v.model}:${v.version}\n`);
      });
    });

  models
    .command('login <registry>')
    .description('save credentials for a registry in <data-dir>/credentials.json (mode 0600)')
    .requiredOption('--username <user>', 'user name')
    .option('--password-stdin', 'read the password from stdin (never from the command line, where others can see it)')
    .option('--json', 'machine-readable output')
    .action(async (registry: string, opts: { username: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      if (!opts.passwordStdin) throw new InvalidInput('Give the password on stdin with --password-stdin (a password on the command line is visible to other users)', 'password');
      const password = await readStdin();
      if (!password) throw new InvalidInput('No password on stdin', 'password');
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.models.login({ registry, username: opts.username, password });
        if (opts.json) return printJson(out);
        process.stdout.write(`Saved the credentials of ${opts.username} for ${out.registry} in ${out.stored}\n`);
      });
    });

  models
    .command('logout <registry>')
    .description('remove the saved credentials of a registry')
    .option('--json', 'machine-readable output')
    .action(async (registry: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.models.logout({ registry });
        if (opts.json) return printJson(out);
        process.stdout.write(out.removed ? `Removed the credentials for ${registry}\n` : `No credentials were saved for ${registry}\n`);
      });
    });
}
