import type { ParamValue } from '../../shared/contract';

/** The params of a job or run as one `key=value` line inside a facts list; nothing when there are none. */
export function ParamsFact({ params }: { params: Record<string, ParamValue> }) {
  const entries = Object.entries(params);
  if (entries.length === 0) return null;
  return (
    <div className="facts-wide">
      <dt>Params</dt>
      <dd className="mono">{entries.map(([k, v]) => `${k}=${String(v)}`).join('  ')}</dd>
    </div>
  );
}
