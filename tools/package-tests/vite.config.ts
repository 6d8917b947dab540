import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@deltaflow/source'] },
  ssr: { resolve: { conditions: ['@deltaflow/source'] } },
  test: {
    name: '@deltaflow/package-tests',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
