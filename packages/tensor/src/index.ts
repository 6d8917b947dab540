/**
 * Row-major float32/float64 tensors, the kernels deltaflow computes with (behind a swappable backend), a seeded
 * PRNG and weight initializers, plus the error and registry types every other package shares.
 *
 * @packageDocumentation
 */
export { DeltaflowError, assertShape, Registry } from '@deltaflow/core';
export { Tensor, allocate, dtypeOf, expectShape } from './tensor.js';
export type { DType, NestedArray, Rank, Shape, Tensor1D, Tensor2D, TypedArray } from './tensor.js';
export type { Backend, SgdStepOptions } from './backend.js';
export type { WasmBackendOptions } from './backends.js';
export {
  getBackend,
  jsBackend,
  loadWasmBackend,
  loadWasmBackendAsync,
  selectBackend,
  setBackend,
} from './backends.js';
export { addRowVector, argmaxRows, columnSums, linear, map, matmul, rowSums, zip } from './ops.js';
export type { MatmulOptions } from './ops.js';
export { Random } from './random.js';
export { getInitializer, initializers } from './initializers.js';
export type { Initializer, InitializerFactory, InitializerId, InitializerName } from './initializers.js';
export { backendStatus } from './backend-status.js';
export type { BackendStatus } from './backend-status.js';
export type { WasmFallbackKind } from './wasm-fallback.js';
export { ResidentActivation, ResidentMemory } from './wasm/resident.js';
export type { ResidentHelper, ResidentOwner, StagingArea } from './wasm/resident.js';
export type { KernelExports, WasmMemory } from './wasm/wasm-module.js';
