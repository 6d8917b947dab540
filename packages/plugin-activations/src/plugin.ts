import type { Plugin } from '@deltaflow/core';
import { hardSigmoid } from './hard-sigmoid.js';
import { mish } from './mish.js';
import { softsign } from './softsign.js';

/**
 * The plugin: registers `mish`, `softsign` and `hard-sigmoid`. Install it once, in code with `installPlugin`, or
 * with `--plugin @deltaflow/plugin-activations` on the command line; then the names work like built-ins. It
 * imports only types from deltaflow (`satisfies Plugin`), so its build output also loads by URL as it is.
 *
 * @example
 * ```ts
 * import { installPlugin } from '@deltaflow/core';
 * import { mlp } from '@deltaflow/network';
 * import activationsPlugin from '@deltaflow/plugin-activations';
 *
 * installPlugin(activationsPlugin);
 * const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'mish' }, { units: 1, activation: 'hard-sigmoid' }] });
 * ```
 * @category Plugin
 */
export const activationsPlugin = {
  name: '@deltaflow/plugin-activations',
  activations: [mish, softsign, hardSigmoid],
} satisfies Plugin;
