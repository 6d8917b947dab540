import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@deltaflow/source'] },
  ssr: { resolve: { conditions: ['@deltaflow/source'] } },
  test: {
    name: '@deltaflow/tensor',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
  },
});
