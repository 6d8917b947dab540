import { activations } from '@deltaflow/activations';
import { losses } from '@deltaflow/losses';
import { optimizers } from '@deltaflow/optimizers';
import type { Registry } from '@deltaflow/tensor';
import { UsageError } from '../errors.js';

/** The three registries plugins add to, by the word used in messages. */
export const registries = {
  activation: activations as Registry<unknown>,
  loss: losses as Registry<unknown>,
  optimizer: optimizers as Registry<unknown>,
} as const;

/**
 * Checks that `name` is registered (a built-in or installed by a `--plugin`), else a UsageError naming the
 * registered ones and the plugin flag.
 *
 * @example
 * ```ts
 * registeredName('--activation', 'activation', 'tanh'); // → 'tanh'
 * ```
 */
export function registeredName(flag: string, kind: keyof typeof registries, name: string): string {
  const registry = registries[kind];
  if (!registry.has(name)) {
    throw new UsageError(
      `${flag}: unknown ${kind} '${name}'; registered: ${registry.names().join(', ')}. A plugin may provide it (--plugin MODULE).`,
    );
  }
  return name;
}
