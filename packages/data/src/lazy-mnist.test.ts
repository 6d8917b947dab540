import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Node's CommonJS loader keeps every module it loaded in require.cache, also those imported from ESM.
const require = createRequire(import.meta.url);
const mnistLoaded = (): boolean =>
  Object.keys(require.cache).some((key) => /[\\/]mnist[\\/]src[\\/]/.test(key));

describe('mnist is loaded lazily', () => {
  it('importing the package does not load the mnist digits; loadMnist does', async () => {
    const data = await import('./index.js');
    expect(data.iris().inputs.rows).toBe(150);
    expect(mnistLoaded()).toBe(false);
    await data.loadMnist();
    expect(mnistLoaded()).toBe(true);
  });
});
