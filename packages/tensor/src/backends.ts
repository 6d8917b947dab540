// "#threads" is package.json's "imports" entry: the 2-thread backend under the "node" condition, a stub for
// browsers (so bundles carry neither the Node helper thread nor the shared-memory kernels).
// eslint-disable-next-line @nx/enforce-module-boundaries -- a subpath import, resolved by export conditions
import { hardwareThreads, loadThreadedBackend } from '#threads';
import type { Backend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { wasmBackendOf } from './wasm/wasm-backend.js';
import {
  instantiateKernels,
  instantiateKernelsAsync,
  wasmSimdSupported,
  webAssembly,
} from './wasm/wasm-module.js';
import { noteWasmFallback, noteWasmReady } from './wasm-fallback.js';

export { jsBackend };

/**
 * Options of {@link loadWasmBackend}.
 *
 * @example
 * ```ts
 * const options: WasmBackendOptions = { threads: 2 };
 * setBackend(loadWasmBackend(options) ?? jsBackend);
 * ```
 * @category Backend
 */
export interface WasmBackendOptions {
  /**
   * 1: products on the calling thread only. 2: large products (from about 4 million multiply-adds) split with a
   * helper worker thread over shared WebAssembly memory (Node only; elsewhere this gives the 1-thread backend).
   * `'auto'` (default): 2 where the machine has at least 4 hardware threads, else 1. On 2 cores a second thread
   * makes large products 1.3-1.9x faster while the other core is idle and 5-20 % slower while it is busy (see
   * tools/bench/README.md), so it is not turned on by itself there.
   */
  threads?: 1 | 2 | 'auto';
}

/** undefined: not tried yet; null: not available here. */
let wasm: Backend | null | undefined;
let wasmThreaded: Backend | null | undefined;
let active: Backend | null = null;

/** The 2-thread backend, or null where a helper thread cannot run (then the 1-thread one is used). */
function loadThreaded(): Backend | null {
  if (wasmThreaded === undefined) {
    wasmThreaded = null;
    try {
      wasmThreaded = loadThreadedBackend();
    } catch {
      wasmThreaded = null;
    }
  }
  return wasmThreaded;
}

/**
 * The WebAssembly SIMD backend, instantiated on first use (synchronously, from bytes embedded in the package), or
 * null when this runtime has no WebAssembly, no SIMD, or refuses to compile it (e.g. a browser main thread
 * that allows only small synchronous compiles: use {@link loadWasmBackendAsync} there).
 *
 * @example
 * ```ts
 * const wasm = loadWasmBackend();           // or loadWasmBackend({ threads: 2 })
 * if (wasm) setBackend(wasm);
 * ```
 * @category Backend
 */
export function loadWasmBackend(options: WasmBackendOptions = {}): Backend | null {
  const threads = options.threads ?? 'auto';
  if (threads === 2 || (threads === 'auto' && hardwareThreads() >= 4)) {
    const threaded = loadThreaded();
    if (threaded) return threaded;
  }
  if (wasm === undefined) {
    try {
      wasm = wasmSimdSupported() ? wasmBackendOf(instantiateKernels()) : null;
      if (!wasm) noteWasmFallback(webAssembly() ? 'no-simd' : 'no-webassembly');
    } catch (error) {
      wasm = null;
      noteWasmFallback(error);
    }
  }
  return wasm;
}

/**
 * Like {@link loadWasmBackend} but compiles asynchronously, which every browser allows on its main thread;
 * also makes the result the active backend when nobody has chosen one yet.
 *
 * @example
 * ```ts
 * await loadWasmBackendAsync(); // then train as usual
 * ```
 * @category Backend
 */
export async function loadWasmBackendAsync(): Promise<Backend | null> {
  if (wasm) return wasm;
  try {
    wasm = wasmSimdSupported() ? wasmBackendOf(await instantiateKernelsAsync()) : null;
    if (wasm) noteWasmReady();
    else noteWasmFallback(webAssembly() ? 'no-simd' : 'no-webassembly');
  } catch (error) {
    wasm = null;
    noteWasmFallback(error);
  }
  if (wasm && (active === null || active === jsBackend)) active = wasm;
  return wasm;
}

/**
 * The backend deltaflow picks by itself: WebAssembly SIMD when the runtime supports it
 * (`WebAssembly.validate` of the SIMD kernels module), else the TypeScript {@link jsBackend}.
 *
 * @example
 * ```ts
 * selectBackend().name; // 'wasm-simd' in Node 20 and current browsers, else 'js'
 * ```
 * @category Backend
 */
export function selectBackend(): Backend {
  return loadWasmBackend() ?? jsBackend;
}

/**
 * The backend every tensor operation uses now: the one last given to {@link setBackend}, or else
 * {@link selectBackend}'s choice.
 *
 * @example
 * ```ts
 * getBackend().name; // 'wasm-simd' or 'js'
 * ```
 * @category Backend
 */
export function getBackend(): Backend {
  return active ?? (active = selectBackend());
}

/**
 * Makes `backend` the one every tensor operation uses; returns the previous one so it can be restored.
 *
 * @example
 * ```ts
 * const previous = setBackend(jsBackend);
 * try {
 *   matmul(Tensor.fromNested([[1, 2]]), Tensor.fromNested([[3], [4]]), Tensor.zeros([1, 1])); // the JavaScript kernels
 * } finally {
 *   setBackend(previous);
 * }
 * ```
 * @category Backend
 */
export function setBackend(backend: Backend): Backend {
  const previous = getBackend();
  active = backend;
  return previous;
}
