import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Index from './index.js';

/** A fresh copy of the package, so the backend is chosen again under the stubbed globals. */
async function fresh(): Promise<typeof Index> {
  vi.resetModules();
  return import('./index.js');
}

const realWebAssembly = (globalThis as unknown as Record<string, object>)['WebAssembly']!;

/** WebAssembly as a page with `script-src 'self'` (no 'wasm-unsafe-eval') has it: compiles are refused. */
function cspWebAssembly(): object {
  const refuse = function (): never {
    const error = new Error(
      "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script",
    );
    error.name = 'CompileError';
    throw error;
  };
  return { ...realWebAssembly, Module: refuse, instantiate: () => Promise.reject(new Error('refused')) };
}

describe('backendStatus', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('names the WebAssembly backend and gives no reason where it runs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { backendStatus } = await fresh();
    expect(backendStatus()).toEqual({ name: 'wasm-simd' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('says js with the reason and the fix under a CSP without wasm-unsafe-eval, and warns once', async () => {
    vi.stubGlobal('WebAssembly', cspWebAssembly());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { backendStatus, loadWasmBackend, getBackend, matmul, Tensor } = await fresh();
    const status = backendStatus();
    expect(status.name).toBe('js');
    expect(status.fallback).toBe('refused');
    expect(status.reason).toMatch(/Content-Security-Policy.*CompileError/);
    expect(status.fix).toMatch(/'wasm-unsafe-eval'/);
    // Asked again, and computing: still one warning.
    expect(loadWasmBackend()).toBeNull();
    backendStatus();
    matmul(Tensor.fromNested([[1, 2]]), Tensor.fromNested([[3], [4]]), Tensor.zeros([1, 1]));
    expect(getBackend().name).toBe('js');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^deltaflow: the WebAssembly SIMD backend cannot be used: .*'js' backend.*5x slower.*Fix: .*'wasm-unsafe-eval'/,
    );
  });

  it('tells a runtime without WebAssembly from one without SIMD', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal('WebAssembly', undefined);
    expect((await fresh()).backendStatus()).toMatchObject({ name: 'js', fallback: 'no-webassembly' });
    vi.stubGlobal('WebAssembly', { ...realWebAssembly, validate: () => false });
    expect((await fresh()).backendStatus()).toMatchObject({ name: 'js', fallback: 'no-simd' });
  });

  it('forgets the fallback once the asynchronous compile succeeds', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal('WebAssembly', {
      ...realWebAssembly,
      Module: function () {
        throw new RangeError('WebAssembly.Compile is disallowed on the main thread');
      },
    });
    const { backendStatus, loadWasmBackendAsync } = await fresh();
    expect(backendStatus()).toMatchObject({ name: 'js', fallback: 'refused' });
    expect(backendStatus().fix).toMatch(/loadWasmBackendAsync/);
    expect(await loadWasmBackendAsync()).not.toBeNull();
    expect(backendStatus()).toEqual({ name: 'wasm-simd' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
