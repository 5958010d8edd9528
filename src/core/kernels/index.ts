/** CPU kernels for Trainyard's own network trainers: the contract and its reference implementation. */
export type { Kernels, Ptr } from './types';
export { referenceKernels } from './reference';
