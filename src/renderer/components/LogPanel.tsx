/**
 * A job's log, following new lines as they arrive unless the user has scrolled up to read;
 * "Follow" jumps back to the newest line.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useJobLog } from '../stores/logs';
import { fmtClock } from '../lib/format';

/** Lines drawn at once; the panel keeps the newest. */
const SHOWN = 3000;
const NEAR_BOTTOM_PX = 24;

export function LogPanel({ jobId }: { jobId: string }) {
  const log = useJobLog(jobId);
  const boxRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const followRef = useRef(true);

  const hidden = Math.max(0, log.lines.length - SHOWN) + log.dropped;
  const lines = log.lines.length > SHOWN ? log.lines.slice(-SHOWN) : log.lines;
  const lastId = lines.length ? lines[lines.length - 1].id : 0;

  const onScroll = useCallback(() => {
    const box = boxRef.current;
    if (!box) return;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom !== followRef.current) {
      followRef.current = atBottom;
      setFollow(atBottom);
    }
  }, []);

  const jumpToEnd = useCallback(() => {
    const box = boxRef.current;
    if (box) box.scrollTop = box.scrollHeight;
    followRef.current = true;
    setFollow(true);
  }, []);

  useLayoutEffect(() => {
    followRef.current = true;
    setFollow(true);
  }, [jobId]);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box && followRef.current) box.scrollTop = box.scrollHeight;
  }, [lastId, jobId]);

  return (
    <div className="log-panel">
      <div className="log-toolbar">
        <span className="muted">
          {log.lines.length.toLocaleString()} line{log.lines.length === 1 ? '' : 's'}
          {log.loading ? ' · loading…' : ''}
        </span>
        {!follow && (
          <button type="button" className="button button-small" onClick={jumpToEnd} data-testid="log-follow">
            Follow ↓
          </button>
        )}
      </div>
      {log.error && <div className="log-error">Could not load the log: {log.error}</div>}
      <div
        ref={boxRef}
        className="log-box"
        data-testid="job-log"
        data-lines={log.lines.length}
        data-following={follow}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-live="off"
      >
        {hidden > 0 && <div className="log-more">{hidden.toLocaleString()} earlier lines not shown</div>}
        {lines.length === 0 && !log.loading && <div className="log-empty">No log lines yet.</div>}
        {lines.map((l) => (
          <div key={l.id} className={`log-line log-${l.level}`}>
            <span className="log-ts">{fmtClock(l.ts)}</span>
            <span className="log-level">{l.level}</span>
            <span className="log-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
