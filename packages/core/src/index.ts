/**
 * What every deltaflow package shares: the typed error, the registry mechanism, parameters and plugin
 * installation. It depends on nothing, and every other package depends on it.
 *
 * @packageDocumentation
 */
export { DeltaflowError, assertShape } from './errors.js';
export { Registry } from './registry.js';
