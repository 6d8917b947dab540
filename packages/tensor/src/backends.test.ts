import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Backends from './backends.js';

/** A fresh copy of the backends module, so its choice is made again under the stubbed globals. */
async function freshBackends(): Promise<typeof Backends> {
  vi.resetModules();
  return import('./backends.js');
}

/** The runtime's WebAssembly object (the spec build has no DOM types to name it). */
const realWebAssembly = (globalThis as unknown as Record<string, object>)['WebAssembly']!;

describe('backend selection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('picks WebAssembly SIMD by itself where the runtime supports it', async () => {
    const { selectBackend, loadWasmBackend } = await freshBackends();
    expect(loadWasmBackend()).not.toBeNull();
    expect(selectBackend().name).toBe('wasm-simd');
  });

  it('falls back to the TypeScript backend when there is no WebAssembly', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const { getBackend, loadWasmBackend, loadWasmBackendAsync, jsBackend } = await freshBackends();
    expect(loadWasmBackend()).toBeNull();
    expect(await loadWasmBackendAsync()).toBeNull();
    expect(getBackend()).toBe(jsBackend);
  });

  it('falls back when WebAssembly cannot validate the SIMD module (no SIMD support)', async () => {
    vi.stubGlobal('WebAssembly', { ...realWebAssembly, validate: () => false });
    const { getBackend, jsBackend } = await freshBackends();
    expect(getBackend()).toBe(jsBackend);
  });

  it('falls back when compiling fails (e.g. a main thread that refuses synchronous compiles)', async () => {
    vi.stubGlobal('WebAssembly', {
      ...realWebAssembly,
      validate: () => true,
      Module: function () {
        throw new RangeError('WebAssembly.Compile is disallowed on the main thread');
      },
    });
    const { getBackend, jsBackend } = await freshBackends();
    expect(getBackend()).toBe(jsBackend);
  });

  it('lets setBackend override the choice and returns the previous backend', async () => {
    const { getBackend, jsBackend, setBackend } = await freshBackends();
    const auto = getBackend();
    expect(setBackend(jsBackend)).toBe(auto);
    expect(getBackend()).toBe(jsBackend);
    setBackend(auto);
  });

  it('loads asynchronously too (the path for a browser main thread)', async () => {
    const { loadWasmBackendAsync, getBackend } = await freshBackends();
    const wasm = await loadWasmBackendAsync();
    expect(wasm?.name).toBe('wasm-simd');
    expect(getBackend()).toBe(wasm);
  });
});
