/// <reference types="@webgpu/types" />
/**
 * A real WebGPU device without a GPU: Dawn (the `webgpu` package) on SwiftShader, the Vulkan
 * implementation on the CPU that Debian's Chromium ships. Dawn refuses Mesa's lavapipe, but takes
 * SwiftShader once the Vulkan loader is pointed at its ICD file, so the WGSL shaders and the tfjs
 * webgpu backend run here as they would on a GPU, only slower. Chromium is installed for the
 * end-to-end tests (.ci/run), so these tests run wherever the suite does.
 */
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points the Vulkan loader at SwiftShader; must run before Dawn makes its first instance. */
export function useSwiftShader(): void {
  if (!existsSync(SWIFTSHADER_ICD)) throw new Error(`${SWIFTSHADER_ICD} is missing: install Debian's chromium (it ships SwiftShader's Vulkan driver)`);
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

let gpu: GPU | null = null;

/** A WebGPU device on SwiftShader, with the adapter's own limits. */
export async function softwareGpuDevice(): Promise<GPUDevice> {
  useSwiftShader();
  const { create } = (await import('webgpu')) as unknown as { create(o: string[]): GPU };
  gpu ??= create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('Dawn found no adapter on SwiftShader');
  return adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize } });
}
