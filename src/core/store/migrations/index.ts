/**
 * The schema's history, oldest first. Add a file per change and append it here; never edit a
 * migration that has shipped.
 */
import { initial } from './001-initial';
import { queue } from './002-queue';
import { tracking } from './003-tracking';
import { studies } from './004-studies';
import { studyFailure } from './005-study-failure';
import { registry } from './006-registry';
import { monitor } from './007-monitor';
import { clusters } from './008-clusters';
import { commandJobs } from './009-command-jobs';
import { metricSummaries } from './010-metric-summaries';
import type { Migration } from './types';

export type { Migration } from './types';
export const MIGRATIONS: readonly Migration[] = [initial, queue, tracking, studies, studyFailure, registry, monitor, clusters, commandJobs, metricSummaries];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
