/**
 * An example deltaflow plugin, built as a third party would build one: three optimizers, lion, adamax and radam,
 * each written as a per-parameter rule over flat typed arrays.
 *
 * @packageDocumentation
 */
import { optimizersPlugin } from './plugin.js';

export { optimizersPlugin };
export { lion } from './lion.js';
export type { LionOptions, LionState } from './lion.js';
export { adamax } from './adamax.js';
export type { AdamaxOptions, AdamaxState } from './adamax.js';
export { radam } from './radam.js';
export type { RadamOptions, RadamState } from './radam.js';

export default optimizersPlugin;
