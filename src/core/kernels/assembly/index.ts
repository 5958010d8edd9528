// The WebAssembly kernels' entry: every kernel group is exported from here (built by `npm run wasm`).
export { gemm, PACK_FLOATS } from './gemm';
export { addBias, columnSums, relu, reluBackward } from './elementwise';
export { adam } from './adam';
export { lstmCellForward, lstmCellBackward } from './lstm';
