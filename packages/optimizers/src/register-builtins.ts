// The only module with side effects (listed under "sideEffects" in package.json): registers the built-in rules
// under their names, with source 'builtin'. index.ts imports it, so importing the package is enough.
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { registerOptimizer } from './registry.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

registerOptimizer(sgd, { source: 'builtin' });
registerOptimizer(adam, { source: 'builtin' });
registerOptimizer(adamw, { source: 'builtin' });
registerOptimizer(rmsprop, { source: 'builtin' });
registerOptimizer(adagrad, { source: 'builtin' });
