import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@deltaflow/source'] },
  ssr: { resolve: { conditions: ['@deltaflow/source'] } },
  test: {
    name: '@deltaflow/interop',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // DELTAFLOW_BACKEND=js|wasm runs the suite on one backend (see packages/tensor/vitest.setup.ts).
    setupFiles: ['../tensor/vitest.setup.ts'],
  },
});
