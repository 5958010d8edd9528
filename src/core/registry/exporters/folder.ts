/**
 * Export to a folder (a shared drive, a NAS) and import back. The layout is the version document
 * as `trainyard-model.json`, the files under `files/<path>`, the gate report, a copy of the card
 * and a README for people. It is written under `<name>-v<version>.partial-*` and renamed into
 * place, so a reader never sees half an export; on any failure the partial folder is removed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ModelVersion } from '../../../shared/contract';
import { Conflict, InvalidInput, TrainyardError, Unavailable } from '../../../shared/errors';
import { VERSION_DOCUMENT_FILE, VERSION_FILES_DIR, VersionDocument } from '../bundle';
import type { RegistryPort } from '../ports';
import { filePath, verifyFiles } from './files';
import type { Transfer } from './transfers';

export const GATE_REPORT_FILE = 'gate-report.json';
export const CARD_COPY_FILE = 'card.json';
export const README_FILE = 'README.md';

const FS_CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space is left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** A file system failure in words that name the folder and the cause. */
function fsError(err: unknown, folder: string, doing: string): TrainyardError {
  if (err instanceof TrainyardError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const cause = FS_CAUSES[code] ?? (err instanceof Error ? err.message : String(err));
  return new Unavailable(`Cannot ${doing} ${folder}: ${cause}${code ? ` (${code})` : ''}`);
}

function readme(doc: VersionDocument): string {
  const metrics = Object.entries(doc.lineage.metrics)
    .filter(([k]) => /^(test|val)\.(rmse|mae|f1|roc_auc)$/.test(k))
    .map(([k, v]) => `- ${k}: ${v}`);
  return [
    `# ${doc.model} v${doc.version}`,
    '',
    `A ${doc.schema.task} model (${doc.lineage.family}${doc.lineage.predictor ? `, ${doc.lineage.predictor}` : ''}) exported by Trainyard ${doc.trainyardVersion} at ${doc.exportedAt}.`,
    `Target \`${doc.schema.target}\`, window ${doc.schema.window}${doc.schema.horizon ? `, horizon ${doc.schema.horizon}` : ''}${doc.schema.frequency ? `, ${doc.schema.frequency} rows` : ''}.`,
    '',
    ...(doc.description ? [doc.description, ''] : []),
    ...(metrics.length ? ['Metrics:', ...metrics, ''] : []),
    `- \`${VERSION_DOCUMENT_FILE}\`: the version document (manifest with each file's sha256, lineage, schema, card)`,
    `- \`${VERSION_FILES_DIR}/\`: the model files`,
    `- \`${GATE_REPORT_FILE}\`: the latest validation gate report (null when none ran)`,
    `- \`${CARD_COPY_FILE}\`: the model card`,
    '',
    `Register it elsewhere with \`trainyard models import <this folder> --name ${doc.model}\`; every file is checked against the manifest first.`,
    '',
  ].join('\n');
}

export async function exportToFolder(registry: RegistryPort, ref: string, dir: string, transfer: Transfer): Promise<{ path: string; bytes: number }> {
  const { document, dir: source } = await registry.document(ref);
  const root = resolve(dir);
  const name = `${document.model}-v${document.version}`;
  const final = join(root, name);
  if (existsSync(final)) throw new Conflict(`${final} already exists; remove it or export to another folder`);
  const bytes = document.files.reduce((n, f) => n + f.sizeBytes, 0);
  transfer.total(bytes);
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    throw fsError(err, root, 'create the export folder');
  }
  const partial = join(root, `${name}.partial-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(partial);
    const files = join(partial, VERSION_FILES_DIR);
    for (const f of document.files) {
      transfer.check();
      const target = filePath(files, f);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(filePath(source, f), target);
      transfer.add(f.sizeBytes);
    }
    await writeFile(join(partial, GATE_REPORT_FILE), `${JSON.stringify(document.gate, null, 2)}\n`);
    await writeFile(join(partial, CARD_COPY_FILE), `${JSON.stringify(document.card, null, 2)}\n`);
    await writeFile(join(partial, README_FILE), readme(document));
    // The document goes last: a folder that has it has everything it lists.
    await writeFile(join(partial, VERSION_DOCUMENT_FILE), `${JSON.stringify(document, null, 2)}\n`);
    // Read back before it takes its name: a shared drive that lost bytes is caught here.
    await verifyFiles(files, document.files, partial);
    transfer.check();
    await rename(partial, final);
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw fsError(err, root, 'write the export to');
  }
  return { path: final, bytes };
}

/** Reads an export back: the document, then every file by size and sha256, then registers it as version N+1 of `name`. */
export async function importFromFolder(registry: RegistryPort, dir: string, name: string): Promise<ModelVersion> {
  const root = resolve(dir);
  let raw: string;
  try {
    raw = await readFile(join(root, VERSION_DOCUMENT_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidInput(`${root} is not a Trainyard model export: it has no ${VERSION_DOCUMENT_FILE}`, 'dir');
    throw fsError(err, root, 'read the export in');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InvalidInput(`${join(root, VERSION_DOCUMENT_FILE)} is not valid JSON`, 'dir');
  }
  const parsed = VersionDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInput(`${join(root, VERSION_DOCUMENT_FILE)} is not a version document: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), 'dir');
  }
  const files = join(root, VERSION_FILES_DIR);
  await verifyFiles(files, parsed.data.files, root);
  return registry.importVersion(name, parsed.data, files, { kind: 'folder', ref: root });
}
