/**
 * Optimizers with torch.optim's exact update rules and defaults (sgd, adam, adamw, rmsprop, adagrad), written as
 * per-parameter rules; the {@link Optimizer} that steps them and saves/restores their state; a registry that
 * plugins add rules to; and learning-rate schedules.
 *
 * @packageDocumentation
 */
import './register-builtins.js';

export type { OptimizerOptions, OptimizerRule, Parameter, ParameterState } from './rule.js';
export { Optimizer } from './optimizer.js';
export type { OptimizerStateDict, ParameterStateDict } from './state-dict.js';
export { createOptimizer, getOptimizerRule } from './get-optimizer.js';
export type { OptimizerId } from './get-optimizer.js';
export { optimizers, registerOptimizer } from './registry.js';
export type { BuiltinOptimizerName } from './registry.js';
export { sgd } from './sgd.js';
export type { SgdOptions, SgdState } from './sgd.js';
export { adam } from './adam.js';
export type { AdamOptions, AdamState } from './adam.js';
export { adamw } from './adamw.js';
export { rmsprop } from './rmsprop.js';
export type { RmspropOptions, RmspropState } from './rmsprop.js';
export { adagrad } from './adagrad.js';
export type { AdagradOptions, AdagradState } from './adagrad.js';
export { cosineAnnealing, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';
export type { LrSchedule } from './schedules.js';
export { getSchedule } from './get-schedule.js';
export type { ScheduleId, ScheduleName } from './get-schedule.js';
export { schedules } from './schedule-registry.js';
export type { ScheduleFactory } from './schedule-registry.js';
