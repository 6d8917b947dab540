import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// One config for the page (`vite`, `vite build`) and for the tests (`vitest`). The page and its worker are
// bundled from the workspace packages' sources (condition "@deltaflow/source"); the build goes to dist/page,
// where the Node server (src/server, built by tsc into dist/node) finds it.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { conditions: ['@deltaflow/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@deltaflow/source', ...defaultServerConditions] } },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist/page', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  test: {
    name: '@deltaflow/dashboard',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // The browser tests share one chromium and two cores with everyone else: one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
