/**
 * What every deltaflow package shares: the typed error, the one config checker, the registry mechanism,
 * parameters, and plugins (their entry shapes and their all-or-nothing installation). It depends on nothing,
 * and every other package depends on it.
 *
 * @packageDocumentation
 */
export { DeltaflowError, assertShape } from './errors.js';
export type { ErrorCode } from './errors.js';
export { previewValue } from './preview.js';
export { checkConfig, checkConfigValue, suggest } from './config.js';
export type { CheckConfigOptions, Config, ConfigValue } from './config.js';
export { Registry } from './registry.js';
export { factoryRegistry } from './factory-registry.js';
export type { RegisterOptions, RegistryFactory, RegistryOptions } from './registry.js';
export type { FloatArray, FloatType, Parameter, TensorLike } from './parameter.js';
export { activationEntryProblem, lossEntryProblem, optimizerEntryProblem } from './entries.js';
export type {
  ActivationEntry,
  ActivationPluginEntry,
  ElementwiseActivationEntry,
  ElementwiseActivationFunctions,
  FactoryEntry,
  LossEntry,
  LossPluginEntry,
  OnnxAttributeValue,
  OnnxLowering,
  OnnxLoweringBuilder,
  OptimizerOptions,
  OptimizerRule,
  ParameterState,
  PerSampleLossEntry,
} from './entries.js';
export { definePlugin, installPlugin, pluginRegistries } from './plugin.js';
export { unguarded } from './plugin-guard.js';
export type { InstallPluginOptions, Plugin, PluginKind } from './plugin.js';
