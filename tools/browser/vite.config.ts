import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@deltaflow/test-browser',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Unpacking the npm package's chromium (about 200 MB) takes a few seconds the first time on a machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
