/**
 * The Runs table, virtualised: only the rows in view (plus a few) are in the DOM, and the store
 * fetches the pages under them, so 10,000 runs scroll as smoothly as ten. Fixed column widths keep
 * the layout still as rows come and go. A row opens its run; the checkbox (shift for a range)
 * selects it for Compare, archive, delete.
 */
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { Run } from '../../shared/contract';
import { rowAt, useRuns } from '../stores/runs';
import { navigate } from '../stores/ui';
import { EmptyRow, SpacerRow, useVirtualRows } from '../components/virtual-rows';
import type { RunColumn } from './RunsColumns';

const ROW_HEIGHT = 32;
const CHECK_WIDTH = 36;
const PREFETCH_ROWS = 60;

export function RunsTable({ columns, emptyText }: { columns: RunColumn[]; emptyText: string }) {
  const total = useRuns((s) => s.total);
  const pages = useRuns((s) => s.pages);
  const selected = useRuns((s) => s.selected);
  const sort = useRuns((s) => s.sort);
  const lastClicked = useRef<number | null>(null);

  // Keyed by position (no getItemKey): the store fetches rows by page, so a row may be pending.
  const { scrollRef, items, padTop, padBottom } = useVirtualRows({ count: total, rowHeight: ROW_HEIGHT, overscan: 12 });
  const first = items[0]?.index ?? 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => {
    // Ask for the next page a little before it scrolls into view, so rows rarely show as pending.
    useRuns.getState().ensureRange(first - PREFETCH_ROWS, last + PREFETCH_ROWS);
  }, [first, last, total, pages]);

  const width = CHECK_WIDTH + columns.reduce((w, c) => w + c.width, 0);
  // Scrolling re-renders this table every frame: what depends only on the pages or the selection is kept.
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const loaded = useMemo(() => Object.values(pages).flat(), [pages]);
  const allLoadedSelected = useMemo(() => loaded.length > 0 && loaded.every((r) => selectedSet.has(r.id)), [loaded, selectedSet]);

  const onSelect = useCallback((index: number, run: Run, shift: boolean) => {
    const state = useRuns.getState();
    if (shift && lastClicked.current !== null) {
      // A range: every row held between the last click and this one takes this row's new state.
      const on = !state.selected.includes(run.id);
      const [a, b] = [Math.min(lastClicked.current, index), Math.max(lastClicked.current, index)];
      const ids = new Set(state.selected);
      for (let i = a; i <= b; i++) {
        const r = rowAt(state.pages, i);
        if (r) {
          if (on) ids.add(r.id);
          else ids.delete(r.id);
        }
      }
      state.setSelected([...ids]);
    } else state.toggleSelected(run.id);
    lastClicked.current = index;
  }, []);

  return (
    <div className="runs-scroll table-wrap" ref={scrollRef} data-testid="runs-scroll">
      <table className="table runs-table" style={{ width, minWidth: '100%' }} data-testid="runs-table" data-total={total}>
        <colgroup>
          <col style={{ width: CHECK_WIDTH }} />
          {columns.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select every loaded run"
                checked={allLoadedSelected}
                onChange={() => useRuns.getState().setSelected(allLoadedSelected ? [] : loaded.map((r) => r.id))}
                data-testid="runs-select-all"
              />
            </th>
            {columns.map((c) => {
              const active = c.sortKey !== null && sort.key === c.sortKey;
              return (
                <th
                  key={c.id}
                  className={`${c.numeric ? 'num ' : ''}${c.sortKey ? 'sortable' : ''}${active ? ' sorted' : ''}`}
                  aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
                  title={c.sortKey ? `Sort by ${c.sortKey}` : c.id}
                  onClick={c.sortKey ? () => useRuns.getState().setSort(c.sortKey!) : undefined}
                  data-testid={`runs-col-${c.id}`}
                >
                  {c.label}
                  {active && <span className="sort-mark">{sort.order === 'asc' ? ' ▲' : ' ▼'}</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={padTop} colSpan={columns.length + 1} />
          {items.map((item) => {
            const run = rowAt(pages, item.index);
            // Keyed by position: while pages reload after new runs arrive, one run can briefly sit in two.
            return run ? (
              <RunRow key={item.index} index={item.index} run={run} columns={columns} selected={selectedSet.has(run.id)} onSelect={onSelect} />
            ) : (
              <tr key={item.index} className="pending-row" style={{ height: ROW_HEIGHT }}>
                <td colSpan={columns.length + 1} className="muted">
                  …
                </td>
              </tr>
            );
          })}
          <SpacerRow height={padBottom} colSpan={columns.length + 1} />
          {total === 0 && <EmptyRow colSpan={columns.length + 1}>{emptyText}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}

const RunRow = memo(function RunRow({
  index,
  run,
  columns,
  selected,
  onSelect,
}: {
  index: number;
  run: Run;
  columns: RunColumn[];
  selected: boolean;
  onSelect(index: number, run: Run, shift: boolean): void;
}) {
  const open = () => navigate('runs', run.id);
  return (
    <tr
      className={`run-row${selected ? ' selected' : ''}${run.archived ? ' archived' : ''}`}
      style={{ height: ROW_HEIGHT }}
      data-testid="run-row"
      data-run-id={run.id}
      data-status={run.status}
      data-index={index}
      aria-selected={selected}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open();
        if (e.key === ' ') {
          e.preventDefault();
          onSelect(index, run, e.shiftKey);
        }
      }}
    >
      <td onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          aria-label={`Select run ${run.id}`}
          checked={selected}
          onChange={() => undefined}
          onClick={(e) => onSelect(index, run, e.shiftKey)}
          data-testid="run-select"
        />
      </td>
      {columns.map((c) => (
        <td key={c.id} className={c.numeric ? 'num' : undefined} data-testid={`run-cell-${c.id}`}>
          {c.render(run)}
        </td>
      ))}
    </tr>
  );
});
