import type { Backend } from './backend.js';
import { gemmJs, linearJs } from './kernels/gemm.js';
import {
  addRowVectorJs,
  argmaxRowsJs,
  columnSumsJs,
  mapJs,
  rowSumsJs,
  sgdMomentumStepJs,
  sgdStepJs,
  zipJs,
} from './kernels/elementwise.js';

/**
 * The pure-TypeScript backend: a packed, register-blocked gemm and scalar loops, for float32 and float64,
 * available everywhere; the fallback of every faster backend.
 *
 * @example
 * ```ts
 * setBackend(jsBackend); // e.g. to compare with the WebAssembly backend
 * ```
 * @category Backend
 */
export const jsBackend: Backend = Object.freeze({
  name: 'js',
  gemm: gemmJs,
  linear: linearJs,
  addRowVector: addRowVectorJs,
  columnSums: columnSumsJs,
  rowSums: rowSumsJs,
  argmaxRows: argmaxRowsJs,
  sgdStep: sgdStepJs,
  sgdMomentumStep: sgdMomentumStepJs,
  map: mapJs,
  zip: zipJs,
});
