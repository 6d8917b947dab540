import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@deltaflow/source'] },
  ssr: { resolve: { conditions: ['@deltaflow/source'] } },
  test: {
    name: '@deltaflow/core',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
