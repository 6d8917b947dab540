import { definePlugin } from '@deltaflow/core';
import { adamax } from './adamax.js';
import { lion } from './lion.js';
import { radam } from './radam.js';

/**
 * The plugin: registers the optimizers `lion`, `adamax` and `radam`. Install it once, in code with
 * `installPlugin`, or with `--plugin @deltaflow/plugin-optimizers` on the command line; then
 * `--optimizer lion --lr 3e-4` works like a built-in.
 *
 * @example
 * ```ts
 * import { installPlugin } from '@deltaflow/core';
 * import optimizersPlugin from '@deltaflow/plugin-optimizers';
 *
 * installPlugin(optimizersPlugin);
 * train(model, xor(), { optimizer: 'radam', lr: 0.05, epochs: 500 });
 * ```
 * @category Plugin
 */
export const optimizersPlugin = definePlugin({
  name: '@deltaflow/plugin-optimizers',
  optimizers: [lion, adamax, radam],
});
