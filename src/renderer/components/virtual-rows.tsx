/**
 * The plumbing the virtualised tables share (jobs, study trials, runs): only the rows in view, plus
 * a few either side, are in the DOM, between two spacer rows whose heights keep the scrollbar true
 * to the whole list. Rows have one fixed height, so positions need no measuring.
 */
import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export function useVirtualRows({
  count,
  rowHeight,
  overscan,
  getItemKey,
}: {
  count: number;
  /** Pixels per row; the stylesheet gives the table's rows the same height. */
  rowHeight: number;
  overscan: number;
  /** A stable key per row (its id), so a row keeps its DOM as the list re-sorts; else its index. */
  getItemKey?: (index: number) => string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    ...(getItemKey ? { getItemKey } : {}),
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  /** Brings a row into view (keyboard moves), scrolling only as far as needed. */
  const scrollToIndex = (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' });
  return { scrollRef, items, padTop, padBottom, scrollToIndex };
}

/** The room the rows out of view would take, above or below those in the DOM; nothing when none. */
export function SpacerRow({ height, colSpan }: { height: number; colSpan: number }) {
  if (height <= 0) return null;
  return (
    <tr className="spacer-row" aria-hidden="true">
      <td colSpan={colSpan} style={{ height }} />
    </tr>
  );
}

/** One row across the table saying why it has none. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr className="empty-row">
      <td colSpan={colSpan}>{children}</td>
    </tr>
  );
}

/** A column head that sorts by its column, with ▲ or ▼ on the active one. */
export function SortButton({ label, active, desc, testId, onClick }: { label: string; active: boolean; desc: boolean; testId: string; onClick: () => void }) {
  return (
    <button type="button" className={`sort-button${active ? ' active' : ''}`} data-testid={testId} onClick={onClick}>
      {label}
      <span className="sort-mark" aria-hidden="true">
        {active ? (desc ? '▼' : '▲') : ''}
      </span>
    </button>
  );
}
