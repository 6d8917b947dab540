import { DeltaflowError } from '@deltaflow/core';
import type {
  Activation,
  ActivationConfig,
  ActivationSpec,
  ElementwiseActivationSpec,
} from './activation.js';
import { describe, elementwise, isActivation } from './elementwise.js';
import type { BuiltinActivationName } from './registry.js';
import { activations } from './registry.js';

/**
 * Anything {@link getActivation} resolves: a name (built-in names complete in editors), `{ name, config }`, an
 * activation or an elementwise spec.
 *
 * @example
 * ```ts
 * const ids: ActivationIdentifier[] = ['relu', { name: 'elu', config: { alpha: 0.5 } }, getActivation('tanh')];
 * ids.map((id) => getActivation(id).name); // → ['relu', 'elu', 'tanh']
 * ```
 * @category Registry
 */
export type ActivationIdentifier =
  | BuiltinActivationName
  | (string & Record<never, never>)
  | {
      readonly name: BuiltinActivationName | (string & Record<never, never>);
      readonly config?: ActivationConfig;
    }
  | ActivationSpec;

/**
 * How an activation is written to a model file: its name, and its config when it has one.
 *
 * @example
 * ```ts
 * activationToJSON(getActivation('sigmoid')); // → { name: 'sigmoid' }
 * activationToJSON(getActivation({ name: 'elu', config: { alpha: 0.5 } })); // → { name: 'elu', config: { alpha: 0.5 } }
 * ```
 * @category Registry
 */
export interface ActivationJSON {
  /** The registry name. */
  name: string;
  /** The parameters, left out when there are none. */
  config?: ActivationConfig;
}

/**
 * Resolves an activation: a registered name (with its default parameters), `{ name, config }` as stored in a
 * model file, an {@link Activation} (returned as it is) or an elementwise spec (wrapped, not registered).
 *
 * @example
 * ```ts
 * getActivation('sigmoid');
 * getActivation({ name: 'leaky-relu', config: { negativeSlope: 0.2 } });
 * getActivation({ name: 'gelu', config: { approximate: 'tanh' } });
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered activations; `E_CONFIG` naming a bad config key; `E_DEFINITION`
 * for anything else
 * @category Registry
 */
export function getActivation(id: ActivationIdentifier): Activation {
  if (typeof id === 'string') return activations.create(id);
  if (isActivation(id)) return id;
  if (typeof id === 'object' && id !== null) {
    if (typeof (id as Partial<ElementwiseActivationSpec>).f === 'function') {
      return elementwise(id as ElementwiseActivationSpec);
    }
    if (typeof id.name === 'string') return activations.create(id.name, (id as ActivationJSON).config);
  }
  throw new DeltaflowError(
    'E_DEFINITION',
    `getActivation: expected a name, { name, config } or an activation, got ${describe(id)}.`,
  );
}

/**
 * What a model file stores for `activation`: `{ name }`, plus `config` when it is not empty. `getActivation`
 * turns it back into the same activation.
 *
 * @example
 * ```ts
 * activationToJSON(getActivation('sigmoid'));    // → { name: 'sigmoid' }
 * activationToJSON(getActivation('leaky-relu')); // → { name: 'leaky-relu', config: { negativeSlope: 0.01 } }
 * ```
 * @category Registry
 */
export function activationToJSON(activation: Activation): ActivationJSON {
  const config = activation.config ?? {};
  return Object.keys(config).length > 0
    ? { name: activation.name, config: { ...config } }
    : { name: activation.name };
}
