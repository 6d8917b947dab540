import type { Backend } from '../backend.js';
import { GemmThread } from './gemm-thread.js';
import { instantiateSharedKernels } from './shared-kernels.js';
import { wasmBackendOf } from './wasm-backend.js';
import { wasmSimdSupported } from './wasm-module.js';

// The 2-thread WebAssembly backend, for Node: what package.json's "#threads" gives under the "node" condition (and
// to the workspace's sources). Browsers get threads.browser.ts, which has neither the helper thread nor the
// shared-memory build of the kernels.

/** The 2-thread backend (a helper worker thread over shared WebAssembly memory), or null where it cannot run. */
export function loadThreadedBackend(): Backend | null {
  if (!GemmThread.available() || !wasmSimdSupported()) return null;
  const shared = instantiateSharedKernels();
  const helper = GemmThread.create(shared.module, shared.memory);
  return helper ? wasmBackendOf(shared, helper) : null;
}

/** Hardware threads of this machine (1 when unknown). */
export function hardwareThreads(): number {
  const g = globalThis as {
    navigator?: { hardwareConcurrency?: number };
    process?: { getBuiltinModule?: (id: string) => unknown };
  };
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
}
