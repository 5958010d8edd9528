/** Command jobs: the argv template, the metric line format, bounded output, process groups. */
export { commandInvocation, commandName, fillTemplate, templateParams, type CommandFiles, type CommandInvocation } from './template';
export { METRIC_PREFIX, metricLineBody, parseMetricObject, type MetricPoint } from './metric-lines';
export { LineSplitter, LogBudget, TRUNCATED_MARKER } from './lines';
export { GroupRecords, groupMembers, signalGroup, type GroupRecord } from './process-group';
export { CommandProcess, type CommandExit } from './process';
export { collectArtifacts, writeCommandCard, COMMAND_CARD } from './artifacts';
export { MetricsFileTail } from './metrics-file';
