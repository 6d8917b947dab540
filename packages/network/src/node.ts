/**
 * Node-only helpers of `@deltaflow/network`: atomic model files on disk, and loading plugin modules.
 *
 * @packageDocumentation
 */
export { loadModel, saveModel, writeFileAtomic } from './model-file.js';
export { loadPlugin } from './plugin-loader.js';
