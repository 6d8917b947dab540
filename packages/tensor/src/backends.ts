import type { Backend } from './backend.js';
import { gemmJs } from './kernels/gemm.js';
import {
  addRowVectorJs,
  argmaxRowsJs,
  columnSumsJs,
  mapJs,
  rowSumsJs,
  zipJs,
} from './kernels/elementwise.js';

/**
 * The pure-TypeScript backend: cache-blocked scalar loops, available everywhere, the fallback of every
 * faster backend.
 *
 * @category Backend
 */
export const jsBackend: Backend = Object.freeze({
  name: 'js',
  gemm: gemmJs,
  addRowVector: addRowVectorJs,
  columnSums: columnSumsJs,
  rowSums: rowSumsJs,
  argmaxRows: argmaxRowsJs,
  map: mapJs,
  zip: zipJs,
});

let active: Backend = jsBackend;

/**
 * The backend every tensor operation uses now.
 *
 * @example
 * ```ts
 * getBackend().name; // 'js'
 * ```
 * @category Backend
 */
export function getBackend(): Backend {
  return active;
}

/**
 * Makes `backend` the one every tensor operation uses; returns the previous one so it can be restored.
 *
 * @example
 * ```ts
 * const previous = setBackend(myBackend);
 * try { train(); } finally { setBackend(previous); }
 * ```
 * @category Backend
 */
export function setBackend(backend: Backend): Backend {
  const previous = active;
  active = backend;
  return previous;
}
