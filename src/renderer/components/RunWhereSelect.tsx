/**
 * Where a new job runs: this machine, or one of the Slurm cluster targets (`trainyard clusters add`).
 * The choice is the job's `cluster`; "" is this machine. Without any cluster target the select says
 * how to add one instead of offering an empty list.
 *
 * Test id: `run-where-select` (with the form's own prefix).
 */
import { useEffect } from 'react';
import { useClusters } from '../stores/clusters';
import { LabelledSelect } from './LabelledSelect';

interface RunWhereSelectProps {
  value: string;
  onChange(cluster: string): void;
  testId?: string;
}

export function RunWhereSelect({ value, onChange, testId = 'run-where-select' }: RunWhereSelectProps) {
  const clusters = useClusters((s) => s.clusters);
  const loaded = useClusters((s) => s.loaded);
  useEffect(() => {
    if (!loaded) void useClusters.getState().load();
  }, [loaded]);
  return (
    <LabelledSelect
      label="Runs on"
      data-testid={testId}
      title={clusters.length ? 'This machine, or a Slurm cluster target (its own scheduler decides when it starts)' : 'Add a Slurm cluster with `trainyard clusters add NAME --slurm` to run jobs there'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={clusters.length === 0}
      placeholder="This machine"
      options={clusters.map((c) => ({ value: c.name, label: `Slurm: ${c.name}${c.partition ? ` (${c.partition})` : ''}` }))}
    />
  );
}
