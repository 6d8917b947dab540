// Registers the built-in activations; the one module of this package with a side effect (see "sideEffects" in
// package.json). index.ts imports it, so `import { getActivation } from '@deltaflow/activations'` finds them.
import { elu } from './elu.js';
import { gelu } from './gelu.js';
import { leakyRelu } from './leaky-relu.js';
import { linear } from './linear.js';
import type { ActivationDefinition } from './registry.js';
import { activations, registerActivation } from './registry.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { softplus } from './softplus.js';
import { swish } from './swish.js';
import { tanh } from './tanh.js';

const builtins: ActivationDefinition[] = [
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  elu,
  softplus,
  gelu,
  swish,
  softmax,
  linear,
];
// A second copy of this package shares the table (see Registry's `shared`): the first copy's built-ins stay.
for (const definition of builtins) {
  if (!activations.has(definition.name)) registerActivation(definition, { source: 'builtin' });
}
