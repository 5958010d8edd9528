/** Command jobs: the argv template, the metric line format, bounded output, process groups. */
export { commandInvocation, commandName, fillTemplate, templateParams, type CommandFiles, type CommandInvocation } from './template';
export { METRIC_PREFIX, metricLineBody, parseMetricObject, type MetricPoint } from './metric-lines';
export { LineSplitter, LogBudget, TRUNCATED_MARKER } from './lines';
export { GroupRecords, groupMembers, signalGroup, type GroupRecord } from './process-group';
export { CommandProcess, type CommandExit } from './process';
export { collectArtifacts, writeCommandCard, COMMAND_CARD } from './artifacts';
export { MetricsFileTail } from './metrics-file';
export { CommandOutput, epochsOf, LOG_LINES_PER_SECOND, LOG_LINES_PER_START, MAX_LINE_BYTES, STOP_ASK_MS } from './output';
export { followCommand, type FollowedCommand } from './run';
