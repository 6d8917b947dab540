/**
 * Data for deltaflow: the built-in datasets (xor, circle, spiral, gauss, plane, iris, mnist), a strict and fast
 * CSV parser, feature scaling, seeded shuffling and splitting, and a batcher that fills preallocated tensors.
 * Browser-safe; reading files from disk lives in `@deltaflow/data/node`.
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
export { checkDataset, selectRows } from './dataset.js';
export type { Dataset, DatasetOptions, Task } from './dataset.js';
export { xor } from './xor.js';
export { circle } from './circle.js';
export { spiral } from './spiral.js';
export { gauss } from './gauss.js';
export { plane } from './plane.js';
export { iris } from './iris.js';
export { loadMnist } from './mnist.js';
export type { MnistDigits, MnistOptions } from './mnist.js';
export { createDataset, datasetNames, loadDataset } from './load-dataset.js';
export type { DatasetName } from './load-dataset.js';
export { parseCsv } from './csv.js';
export type { CsvOptions } from './csv.js';
export { parseCsvStream } from './csv-stream.js';
export type { CsvSource } from './csv-stream.js';
export type { CsvEncoding } from './csv-decode.js';
export { csvColumns } from './csv-columns-of.js';
export { MAX_INFERRED_CLASSES, integerClassLabels, oneHotTargets } from './categorical.js';
export { Scaler } from './scaler.js';
export type { ScalerJSON, ScalerKind } from './scaler.js';
export { permutation, shuffleDataset } from './shuffle.js';
export { splitDataset } from './split.js';
export type { SplitOptions } from './split.js';
export { Batcher } from './batcher.js';
export type { Batch, BatcherOptions } from './batcher.js';
