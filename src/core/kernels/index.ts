/** CPU kernels for Trainyard's own network trainers: the contract, its reference implementation and the WebAssembly SIMD one. */
export type { Kernels, Ptr } from './types';
export { referenceKernels } from './reference';
export { createKernels, wasmKernels, wasmKernelsAvailable } from './wasm';
