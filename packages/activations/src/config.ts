import { checkConfigValue } from '@deltaflow/core';

/**
 * Throws `E_CONFIG` unless `condition`: for the range checks a factory makes after the registry has checked
 * the config's keys and types (with `checkConfig` of `@deltaflow/core`).
 */
export function checkConfig(condition: boolean, name: string, message: string): void {
  checkConfigValue(condition, 'activation', name, message.replace(/\.$/, ''));
}
