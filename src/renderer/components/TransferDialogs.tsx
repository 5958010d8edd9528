/**
 * Publishing and pulling. Publish writes a version to a folder (a shared drive) or pushes it to an
 * OCI registry; Pull brings one in from a registry or imports a folder. Each picks its transfer id
 * here, so it can follow the bytes through 'model.transfer' and cancel with models.cancelTransfer.
 *
 * Test ids: `publish-dialog`, `publish-version`, `publish-kind` (folder or registry),
 * `publish-dir`, `publish-reference`, `publish-plain-http`, `publish-submit`, `publish-done`;
 * `pull-dialog`, `pull-kind`, `pull-reference`, `pull-dir`, `pull-plain-http`, `pull-name`,
 * `pull-submit`, `pull-done` (data-model, data-version), `pull-open-model`; in both
 * `transfer-progress` (data-state, data-fraction, data-bytes-done, data-bytes-total),
 * `transfer-cancel`, `transfer-error`, `transfer-close`.
 */
import { useState, type ReactNode } from 'react';
import type { ModelVersion, RegisteredModel, TransferProgress } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { fmtBytes } from '../lib/format';
import { useModels } from '../stores/models';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';
import { OpenModelButton } from './ModelBits';
import { ProgressBar } from './ProgressBar';
import { checkOciReference, isModelName, newTransferId, transferFraction } from './model-data';

function TransferBar({ progress }: { progress: TransferProgress | undefined }) {
  if (!progress) return null;
  const fraction = transferFraction(progress);
  return (
    <div data-testid="transfer-progress" data-state={progress.state} data-fraction={fraction} data-bytes-done={progress.bytesDone} data-bytes-total={progress.bytesTotal}>
      <ProgressBar
        progress={{ step: `${progress.direction} ${fmtBytes(progress.bytesDone)} of ${fmtBytes(progress.bytesTotal)}`, fraction, etaMs: null }}
        status={progress.state}
      />
    </div>
  );
}

/** What both dialogs share: the transfer id, its progress, running it, cancelling it, its error. */
function useTransfer() {
  const [transferId, setTransferId] = useState<string | null>(null);
  const progress = useModels((s) => (transferId ? s.transfers[transferId] : undefined));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run<T>(work: (transferId: string) => Promise<T>): Promise<T | null> {
    const id = newTransferId();
    setTransferId(id);
    setBusy(true);
    setError(null);
    try {
      return await work(id);
    } catch (err) {
      setError(errorMessage(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function cancel(): Promise<void> {
    if (!transferId) return;
    try {
      await api().models.cancelTransfer({ transferId });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  function forget(): void {
    if (transferId) useModels.getState().forgetTransfer(transferId);
  }

  return { progress, busy, error, setError, run, cancel, forget };
}

type Transfer = ReturnType<typeof useTransfer>;

function TransferActions({ t, onClose, submit }: { t: Transfer; onClose(): void; submit: ReactNode }) {
  return (
    <>
      {t.busy ? (
        <button type="button" className="button button-danger" onClick={() => void t.cancel()} data-testid="transfer-cancel">
          Cancel transfer
        </button>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => {
            t.forget();
            onClose();
          }}
          data-testid="transfer-close"
        >
          Close
        </button>
      )}
      {submit}
    </>
  );
}

/** A dialog around a transfer: Close (or Cancel while it runs) beside the dialog's own submit. */
function TransferDialog({ title, testId, t, onClose, submit, children }: { title: string; testId: string; t: Transfer; onClose(): void; submit: ReactNode; children: ReactNode }) {
  return (
    <Dialog title={title} testId={testId} busy={t.busy} onClose={onClose} actions={<TransferActions t={t} onClose={onClose} submit={submit} />}>
      <div className="dialog-form">
        {children}
        <TransferStatus t={t} />
      </div>
    </Dialog>
  );
}

function TransferStatus({ t }: { t: Transfer }) {
  return (
    <>
      <TransferBar progress={t.progress} />
      {t.error && (
        <div data-testid="transfer-error">
          <ErrorBanner message={t.error} />
        </div>
      )}
    </>
  );
}

function KindSelect({ label, value, options, onChange, testId }: { label: string; value: string; options: { value: string; label: string }[]; onChange(k: string): void; testId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function RegistryFields({ prefix, reference, setReference, plainHttp, setPlainHttp }: { prefix: string; reference: string; setReference(v: string): void; plainHttp: boolean; setPlainHttp(v: boolean): void }) {
  return (
    <>
      <label className="field">
        <span>Reference (HOST[:PORT]/REPO:TAG)</span>
        <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder="registry.lab:5000/forecasting/co2:v3" className="mono" data-testid={`${prefix}-reference`} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={plainHttp} onChange={(e) => setPlainHttp(e.target.checked)} data-testid={`${prefix}-plain-http`} />
        Plain HTTP (a registry without TLS)
      </label>
    </>
  );
}

export function PublishDialog({ model, versions, onClose }: { model: RegisteredModel; versions: ModelVersion[]; onClose(): void }) {
  const t = useTransfer();
  const [version, setVersion] = useState(model.aliases.champion ?? model.latestVersion ?? versions[0]?.version ?? 1);
  const [kind, setKind] = useState<'folder' | 'registry'>('folder');
  const [dir, setDir] = useState('');
  const [reference, setReference] = useState('');
  const [plainHttp, setPlainHttp] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit(): Promise<void> {
    setDone(null);
    const ref = `${model.name}:${version}`;
    if (kind === 'folder') {
      if (!dir.trim()) return t.setError('Enter the folder to write the model to');
      const out = await t.run((transferId) => api().models.exportFolder({ ref, dir: dir.trim(), transferId }));
      if (out) setDone(`Wrote ${ref} to ${out.path} (${fmtBytes(out.bytes)})`);
    } else {
      const problem = checkOciReference(reference);
      if (problem) return t.setError(problem);
      const out = await t.run((transferId) => api().models.push({ ref, reference: reference.trim(), plainHttp, transferId }));
      if (out) setDone(`Pushed ${ref} to ${out.reference} (${out.digest.slice(0, 19)}…): ${out.uploadedBlobs} blobs sent, ${out.skippedBlobs} already there`);
    }
  }

  return (
    <TransferDialog
      title={`Publish ${model.name}`}
      testId="publish-dialog"
      t={t}
      onClose={onClose}
      submit={
        <button type="button" className="button button-primary" disabled={t.busy} onClick={() => void submit()} data-testid="publish-submit">
          {t.busy ? 'Publishing…' : 'Publish'}
        </button>
      }
    >
        <div className="row form-row">
          <label className="field">
            <span>Version</span>
            <select value={version} onChange={(e) => setVersion(Number(e.target.value))} disabled={t.busy} data-testid="publish-version">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <KindSelect
            label="To"
            value={kind}
            onChange={(k) => setKind(k as 'folder' | 'registry')}
            testId="publish-kind"
            options={[
              { value: 'folder', label: 'A folder (shared drive)' },
              { value: 'registry', label: 'An OCI registry' },
            ]}
          />
        </div>
        {kind === 'folder' ? (
          <label className="field">
            <span>Folder (on the machine Trainyard runs on)</span>
            <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/mnt/models/co2" className="mono" data-testid="publish-dir" />
          </label>
        ) : (
          <RegistryFields prefix="publish" reference={reference} setReference={setReference} plainHttp={plainHttp} setPlainHttp={setPlainHttp} />
        )}
      {done && (
        <p className="notice" data-testid="publish-done">
          {done}
        </p>
      )}
    </TransferDialog>
  );
}

export function PullDialog({ onClose }: { onClose(): void }) {
  const t = useTransfer();
  const [kind, setKind] = useState<'registry' | 'folder'>('registry');
  const [reference, setReference] = useState('');
  const [dir, setDir] = useState('');
  const [plainHttp, setPlainHttp] = useState(false);
  const [name, setName] = useState('');
  const [done, setDone] = useState<ModelVersion | null>(null);

  async function submit(): Promise<void> {
    setDone(null);
    if (!isModelName(name)) return t.setError('Name the model to pull into: 1-100 lowercase letters, digits, ".", "_" or "-"');
    let out: ModelVersion | null;
    if (kind === 'registry') {
      const problem = checkOciReference(reference);
      if (problem) return t.setError(problem);
      out = await t.run((transferId) => api().models.pull({ reference: reference.trim(), name, plainHttp, transferId }));
    } else {
      if (!dir.trim()) return t.setError('Enter the folder a model was exported to');
      out = await t.run((transferId) => api().models.importFolder({ dir: dir.trim(), name, transferId }));
    }
    if (out) {
      setDone(out);
      void useModels.getState().loadList();
    }
  }

  return (
    <TransferDialog
      title="Pull a model"
      testId="pull-dialog"
      t={t}
      onClose={onClose}
      submit={
        done ? (
          <OpenModelButton name={done.model} onClose={onClose} testId="pull-open-model" />
        ) : (
          <button type="button" className="button button-primary" disabled={t.busy} onClick={() => void submit()} data-testid="pull-submit">
            {t.busy ? 'Pulling…' : 'Pull'}
          </button>
        )
      }
    >
        <KindSelect
          label="From"
          value={kind}
          onChange={(k) => setKind(k as 'registry' | 'folder')}
          testId="pull-kind"
          options={[
            { value: 'registry', label: 'From an OCI registry' },
            { value: 'folder', label: 'From an exported folder' },
          ]}
        />
        {kind === 'registry' ? (
          <RegistryFields prefix="pull" reference={reference} setReference={setReference} plainHttp={plainHttp} setPlainHttp={setPlainHttp} />
        ) : (
          <label className="field">
            <span>Folder (holding trainyard-model.json)</span>
            <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/mnt/models/co2" className="mono" data-testid="pull-dir" />
          </label>
        )}
        <label className="field">
          <span>As model (a new version of it)</span>
          <input value={name} onChange={(e) => setName(e.target.value.trim())} maxLength={100} className="mono" data-testid="pull-name" />
        </label>
      {done && (
        <p className="notice" data-testid="pull-done" data-model={done.model} data-version={done.version}>
          Pulled as {done.model}:{done.version}.
        </p>
      )}
    </TransferDialog>
  );
}
