import type { Backend } from '../backend.js';

// What package.json's "#threads" gives browsers (and any runtime without the "node" condition): no 2-thread
// backend, so bundles carry neither the Node helper thread nor the shared-memory build of the kernels.

/** The 2-thread backend: never available outside Node, so always null (the 1-thread backend is used). */
export function loadThreadedBackend(): Backend | null {
  return null;
}

/** Hardware threads of this machine, as the browser tells them (1 when unknown). */
export function hardwareThreads(): number {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}
