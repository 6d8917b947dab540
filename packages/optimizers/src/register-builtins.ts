// The only module with side effects (listed under "sideEffects" in package.json): registers the built-in rules
// and schedules under their names, with source 'builtin'. index.ts imports it, so importing the package is enough.
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import type { Config, OptimizerRule } from '@deltaflow/core';
import { warmupDefaults } from './get-schedule.js';
import { schedules } from './schedule-registry.js';
import type { ScheduleFactory } from './schedule-registry.js';
import { optimizers, registerOptimizer } from './registry.js';
import { cosineAnnealing, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

// A second copy of this package shares the tables (see Registry's `shared`): the first copy's built-ins stay.
for (const rule of [sgd, adam, adamw, rmsprop, adagrad] as unknown as OptimizerRule[]) {
  if (!optimizers.has(rule.name)) registerOptimizer(rule, { source: 'builtin' });
}
const builtinSchedules: ScheduleFactory<Config>[] = [
  { name: 'step-decay', defaults: { stepSize: 30, gamma: 0.1 }, required: ['stepSize'], create: stepDecay },
  { name: 'exponential-decay', defaults: { gamma: 0.9 }, required: ['gamma'], create: exponentialDecay },
  {
    name: 'cosine-annealing',
    defaults: { tMax: 100, etaMin: 0 },
    required: ['tMax'],
    create: cosineAnnealing,
  },
  { name: 'linear-warmup', defaults: warmupDefaults, required: ['warmupSteps'], create: linearWarmup },
] as ScheduleFactory<Config>[];
for (const factory of builtinSchedules) {
  if (!schedules.has(factory.name)) schedules.register(factory.name, factory, { source: 'builtin' });
}
