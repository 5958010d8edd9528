import type { ReactNode } from 'react';

/** One label and value of a facts list (`<dl className="facts">`). */
export function Fact({ label, className, testId, title, children }: { label: string; className?: string; testId?: string; title?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className} data-testid={testId} title={title}>
        {children}
      </dd>
    </div>
  );
}
