/**
 * The New job panel: a tab for a training job on a built-in model family, one for the user's own
 * command. Test ids: `new-job-tab-train`, `new-job-tab-command`; each form lists its own.
 */
import { useState } from 'react';
import type { Job } from '../../shared/contract';
import { CommandJobForm } from './CommandJobForm';
import { NewJobForm } from './NewJobForm';
import { PanelHead } from '../components/form-parts';

export function NewJobTabs({ onCreated, onClose }: { onCreated: (job: Job) => void; onClose: () => void }) {
  const [tab, setTab] = useState<'train' | 'command'>('train');
  const tabButton = (id: 'train' | 'command', label: string) => (
    <button type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} data-testid={`new-job-tab-${id}`} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  return (
    <div className="new-job-tabs">
      <div role="tablist" aria-label="Kind of job" className="tabs">
        {tabButton('train', 'Train a model')}
        {tabButton('command', 'Command')}
      </div>
      {tab === 'train' ? (
        <NewJobForm onCreated={onCreated} onClose={onClose} />
      ) : (
        <div className="panel new-job">
          <PanelHead title="New command job" onClose={onClose} />
          <CommandJobForm onCreated={onCreated} onClose={onClose} />
        </div>
      )}
    </div>
  );
}
