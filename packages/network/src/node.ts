/**
 * Node-only helpers of `@deltaflow/network`: atomic model files on disk, and loading plugin modules.
 *
 * @packageDocumentation
 */
export { writeFileAtomic } from '@deltaflow/core/node';
export { loadModel, saveModel } from './model-file.js';
export { loadPlugin } from './plugin-loader.js';
