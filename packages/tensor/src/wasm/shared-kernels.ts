import { KERNELS_SHARED_WASM_BASE64 } from './kernels-wasm.generated.js';
import { SHARED_MAX_PAGES, abort, decodeBase64, webAssembly } from './wasm-module.js';
import type { KernelExports, WasmMemory } from './wasm-module.js';

// The shared-memory build of the kernels, for the helper thread of the 2-thread backend. Node only: imported by
// threads.node.ts (the "node" condition of package.json's "#threads"), so browser bundles do not carry its bytes.

let sharedBytes: Uint8Array | null = null;

/** The shared-memory build's bytes (decoded once). */
export function sharedKernelBytes(): Uint8Array {
  return (sharedBytes ??= decodeBase64(KERNELS_SHARED_WASM_BASE64));
}

/**
 * The shared-memory build on a new shared memory, for threads: the compiled module (which a worker instantiates
 * again on the same memory) and this thread's instance.
 */
export function instantiateSharedKernels(): { exports: KernelExports; memory: WasmMemory; module: object } {
  const api = webAssembly()!;
  const memory = new api.Memory({ initial: 64, maximum: SHARED_MAX_PAGES, shared: true });
  const module = new api.Module(sharedKernelBytes());
  const exports = new api.Instance(module, { env: { abort, memory } }).exports as KernelExports;
  return { exports, memory, module };
}
