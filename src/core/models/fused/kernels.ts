/** The kernels Trainyard's fused trainers run on. */
import { referenceKernels, type Kernels } from '../../kernels';

/** Kernels over an arena of `floats` floats. */
export async function cpuKernels(floats: number): Promise<Kernels> {
  return referenceKernels(floats);
}
