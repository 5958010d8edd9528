/** System and GPU sampling: what the machine, its GPUs and the worker processes use, live and over the last day. */
export { startSystemSampler, SYSTEM_METRIC_KEYS, SYSTEM_METRIC_PREFIX, DEFAULT_SAMPLE_INTERVAL_MS, type SystemSamplerOptions } from './sampler';
export { NvidiaSmi, nvidiaSmi, type GpuSample, type GpuProcess, type GpuReading } from './nvidia-smi';
export { SystemMonitor, MONITOR_INTERVAL_MS, type MonitorDeps } from './monitor';
export { MonitorHistoryStore, RESOLUTIONS, SLOTS } from './history';
