/** Compute backends: what this machine offers, and starting the right one in a worker. */
export {
  BACKEND_CANDIDATES,
  backendCandidates,
  requestAdapterInfo,
  tensorflowGpuBackend,
  tensorflowBackend,
  webgpuCandidate,
  wasmBackend,
  cpuBackend,
  nativeTensorflowBackend,
  webgpuBackend,
  optionalImport,
  packageDir,
  cpuDevice,
  type BackendCandidate,
  type Probe,
} from './backends';
export { detectBackends, selectBackend, forcedBackend, type ActiveBackend } from './select';
export { forkProbeProcess, webgpuProbeEntry, electronProcessType, type ProbeProcess, type ProbeAnswer, type AdapterInfo } from './probe';
