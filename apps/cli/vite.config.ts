import { defineConfig } from 'vitest/config';

// The end-to-end tests spawn the built CLI (bin/deltaflow.js -> dist/main.js); Nx builds it first (see the
// test target's dependsOn in package.json). Unit tests beside the sources run from source.
export default defineConfig({
  resolve: { conditions: ['@deltaflow/source'] },
  ssr: { resolve: { conditions: ['@deltaflow/source'] } },
  test: {
    name: '@deltaflow/cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
