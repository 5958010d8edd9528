/** System and GPU sampling: what the machine and a worker process use while a run runs. */
export { startSystemSampler, SYSTEM_METRIC_KEYS, SYSTEM_METRIC_PREFIX, DEFAULT_SAMPLE_INTERVAL_MS, type SystemSamplerOptions } from './sampler';
export { NvidiaSmi, type GpuSample, type GpuProcess } from './nvidia-smi';
