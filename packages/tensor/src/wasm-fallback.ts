// Why the WebAssembly backend could not be used, as the backend choice (backends.ts) records it, and the one-time
// console warning about it. backend-status.ts reads it for backendStatus().

/**
 * Why WebAssembly could not be used: no WebAssembly, no SIMD, or a compile that was refused (a page's
 * Content-Security-Policy without `'wasm-unsafe-eval'`) or failed.
 *
 * @example
 * ```ts
 * const kind: WasmFallbackKind | undefined = backendStatus().fallback; // undefined when nothing failed
 * ```
 * @category Backend
 */
export type WasmFallbackKind = 'no-webassembly' | 'no-simd' | 'refused' | 'failed';

/** A recorded fallback: its kind, the reason as a sentence, and what to do about it. */
export interface WasmFallback {
  readonly kind: WasmFallbackKind;
  readonly reason: string;
  readonly fix: string;
}

let fallback: WasmFallback | undefined;
let warned = false;

/** Describes why the kernels could not be instantiated: `cause` is what was thrown, or the kind found. */
export function describeWasmFallback(cause: unknown): WasmFallback {
  if (cause === 'no-webassembly') {
    return {
      kind: 'no-webassembly',
      reason: 'this runtime has no WebAssembly',
      fix: 'run in a runtime with WebAssembly (every current browser and Node 20+)',
    };
  }
  if (cause === 'no-simd') {
    return {
      kind: 'no-simd',
      reason: 'this runtime rejects the WebAssembly SIMD kernels (no SIMD support)',
      fix: 'update the browser or Node to a version with WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4, Node 16.4)',
    };
  }
  const name = (cause as { name?: unknown } | null)?.name;
  const message = String((cause as { message?: unknown } | null)?.message ?? cause);
  const detail = `${typeof name === 'string' ? `${name}: ` : ''}${message}`;
  if (
    name === 'CompileError' ||
    name === 'EvalError' ||
    /unsafe-eval|Content Security Policy|Content-Security-Policy|CSP/i.test(message)
  ) {
    return {
      kind: 'refused',
      reason: `compiling WebAssembly was refused, most likely by the page's Content-Security-Policy (${detail})`,
      fix: "add 'wasm-unsafe-eval' to the page's script-src (Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval')",
    };
  }
  if (name === 'RangeError' && /main thread/i.test(message)) {
    return {
      kind: 'refused',
      reason: `this thread allows no synchronous WebAssembly compile (${detail})`,
      fix: 'call `await loadWasmBackendAsync()` before training, or train in a Web Worker',
    };
  }
  return {
    kind: 'failed',
    reason: `instantiating the WebAssembly kernels failed (${detail})`,
    fix: 'report this with the message above; `setBackend(jsBackend)` silences this warning',
  };
}

/**
 * Records that the WebAssembly kernels could not be used (the first cause is kept) and warns on the console,
 * once per copy of this package.
 */
export function noteWasmFallback(cause: unknown): void {
  fallback ??= describeWasmFallback(cause);
  if (warned) return;
  warned = true;
  const console = (globalThis as { console?: { warn?: (message: string) => void } }).console;
  console?.warn?.(
    `deltaflow: the WebAssembly SIMD backend cannot be used: ${fallback.reason}. Tensors use the TypeScript 'js' ` +
      `backend instead, about 5x slower for float32 training. Fix: ${fallback.fix}.`,
  );
}

/** Forgets a recorded fallback: the WebAssembly kernels were instantiated after all (asynchronously). */
export function noteWasmReady(): void {
  fallback = undefined;
}

/** The recorded fallback, or undefined when WebAssembly has not failed (yet). */
export function wasmFallback(): WasmFallback | undefined {
  return fallback;
}
