import { getBackend } from './backends.js';
import { wasmFallback } from './wasm-fallback.js';
import type { WasmFallbackKind } from './wasm-fallback.js';

/**
 * Which backend tensors compute with, and why WebAssembly is not used when it is not: what
 * {@link backendStatus} returns.
 *
 * @example
 * ```ts
 * const status: BackendStatus = backendStatus();
 * if (status.name === 'js' && status.reason) console.info(`deltaflow runs without WebAssembly: ${status.reason}`);
 * ```
 * @category Backend
 */
export interface BackendStatus {
  /** The active backend's name: `'wasm-simd'`, `'wasm-simd-2t'` (with a helper thread), `'js'`, or a custom one. */
  readonly name: string;
  /**
   * Why the WebAssembly SIMD kernels could not be used, as a clause (e.g. compiling WebAssembly was refused by
   * the page's Content-Security-Policy); undefined when nothing failed.
   */
  readonly reason?: string;
  /** What kind of failure `reason` describes; undefined when nothing failed. */
  readonly fallback?: WasmFallbackKind;
  /** What to do to get the WebAssembly backend back; undefined when nothing failed. */
  readonly fix?: string;
}

/**
 * The backend every tensor operation uses (choosing it now if nobody has yet) and, when WebAssembly could not be
 * used, why and how to fix it. deltaflow also says so once on the console (`console.warn`) when it falls back.
 *
 * @example
 * ```ts
 * backendStatus().name; // 'wasm-simd' in Node 20 and current browsers; 'js' under a CSP without 'wasm-unsafe-eval'
 * ```
 * @returns the active backend's name and, after a fallback, its reason and fix
 * @category Backend
 */
export function backendStatus(): BackendStatus {
  const { name } = getBackend();
  const fallback = wasmFallback();
  if (fallback === undefined) return { name };
  return { name, reason: fallback.reason, fallback: fallback.kind, fix: fallback.fix };
}
