/**
 * Registers the built-in losses (source `'builtin'`). The only module of this package with side effects; the
 * package entry imports it, so `getLoss('mse')` works after any import from `@deltaflow/losses`.
 */
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import { huber, huberDefaults } from './huber.js';
import { mae } from './mae.js';
import { mse } from './mse.js';
import { losses, registerLoss } from './registry.js';
import type { LossFactory, RegisterLossOptions } from './registry.js';

const builtin: RegisterLossOptions = { source: 'builtin' };
// A second copy of this package shares the table (see Registry's `shared`): the first copy's built-ins stay.
const definitions: LossFactory[] = [
  { name: 'mse', defaults: {}, create: mse },
  { name: 'mae', defaults: {}, create: mae },
  { name: 'huber', defaults: huberDefaults, create: huber },
  { name: 'binary-cross-entropy', defaults: {}, create: binaryCrossEntropy },
  { name: 'cross-entropy', defaults: {}, create: crossEntropy },
];
for (const definition of definitions) {
  if (!losses.has(definition.name)) registerLoss(definition, builtin);
}
