import { definePlugin } from '@deltaflow/network';
import type { Plugin } from '@deltaflow/network';

/**
 * An example plugin, built as a third party would: softsign, x / (1 + |x|), whose derivative is 1 / (1 + |x|)^2.
 * It shows up in the activation selector next to the built-ins.
 * @category Plugins
 */
export const softsignPlugin = definePlugin({
  name: 'dashboard-softsign',
  activations: [
    {
      name: 'softsign',
      f: (x: number) => x / (1 + Math.abs(x)),
      df: (x: number) => 1 / (1 + Math.abs(x)) ** 2,
    },
  ],
});

/**
 * The plugins the standalone page trains with. Add yours here (import its module's default export): its
 * activations, losses and optimizers then appear in the selectors.
 * @category Plugins
 */
export const DASHBOARD_PLUGINS: readonly Plugin[] = [softsignPlugin];
