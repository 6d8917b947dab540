/**
 * Node-only helpers of `@deltaflow/network`: atomic model files on disk.
 *
 * @packageDocumentation
 */
export { loadModel, saveModel, writeFileAtomic } from './model-file.js';
