/**
 * Registers the built-in losses (source `'builtin'`). The only module of this package with side effects; the
 * package entry imports it, so `getLoss('mse')` works after any import from `@deltaflow/losses`.
 */
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import { huber, huberDefaults } from './huber.js';
import { mae } from './mae.js';
import { mse } from './mse.js';
import { registerLoss } from './register-loss.js';
import type { RegisterLossOptions } from './register-loss.js';

const builtin: RegisterLossOptions = { source: 'builtin' };

registerLoss({ name: 'mse', defaults: {}, create: mse }, builtin);
registerLoss({ name: 'mae', defaults: {}, create: mae }, builtin);
registerLoss({ name: 'huber', defaults: huberDefaults, create: huber }, builtin);
registerLoss({ name: 'binary-cross-entropy', defaults: {}, create: binaryCrossEntropy }, builtin);
registerLoss({ name: 'cross-entropy', defaults: {}, create: crossEntropy }, builtin);
