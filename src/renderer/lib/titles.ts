/**
 * The tab's title for where the user is: "Jobs · Trainyard", "Job 1a2b3c4d · Trainyard",
 * "Compare 3 runs · Trainyard", so a row of tabs says which is which.
 */
import { shortId } from './format';

const SINGULAR: Record<string, string> = { jobs: 'Job', runs: 'Run', studies: 'Study', datasets: 'Dataset' };

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function pageTitle(view: string, id: string | null): string {
  let place = capitalise(view);
  if (id && view === 'compare') {
    const n = id.split(',').filter(Boolean).length;
    place = `Compare ${n} run${n === 1 ? '' : 's'}`;
  } else if (id && view === 'models') {
    place = `Model ${id}`;
  } else if (id) {
    place = `${SINGULAR[view] ?? capitalise(view)} ${shortId(id)}`;
  }
  return `${place} · Trainyard`;
}
