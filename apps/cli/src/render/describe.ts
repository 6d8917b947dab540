import { getOptimizerRule } from '@deltaflow/optimizers';
import type { PreparedRun } from '../train/prepare.js';
import { plural } from './format.js';
import { wrapParts } from './width.js';

/** The optimizer with the learning rate in use (the given one, else the optimizer's default) and other options. */
function optimizerText(name: string, given: Record<string, unknown>): string {
  let lr = given.lr;
  if (lr === undefined) {
    try {
      lr = getOptimizerRule(name).defaults.lr;
    } catch {
      lr = undefined; // a plugin's optimizer that cannot be looked up here: shown without its rate
    }
  }
  const rest = Object.entries(given).filter(([key]) => key !== 'lr');
  return [
    name,
    ...(lr === undefined ? [] : [`lr ${String(lr)}`]),
    ...rest.map(([k, v]) => `${k} ${String(v)}`),
  ].join(' ');
}

/** ` + l2 0.001` for a penalty that is on (a rate, or rates per layer), else nothing. */
function penaltyText(rates: number | readonly number[] | undefined, name: string): string {
  if (rates === undefined) return '';
  const list = typeof rates === 'number' ? [rates] : rates;
  return list.some((r) => r > 0) ? ` + ${name} ${list.join(',')}` : '';
}

/** A schedule as the recipe stores it in meta. */
interface ScheduleText {
  name: string;
  config: Record<string, number>;
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `schedule step (step-size 10, gamma 0.5)`, or nothing without a schedule. */
function scheduleText(schedule: ScheduleText | undefined): string[] {
  if (!schedule) return [];
  const config = Object.entries(schedule.config).map(([k, v]) => `${kebab(k)} ${Number(v.toPrecision(6))}`);
  return [`schedule ${schedule.name} (${config.join(', ')})`];
}

/** `early stopping (patience 10, min-delta 0, restore best)`. */
function earlyStoppingText(options: { patience: number; minDelta?: number; restoreBest?: boolean }): string {
  const parts = [`patience ${options.patience}`, `min-delta ${options.minDelta ?? 0}`];
  if (options.restoreBest) parts.push('restore best');
  return `early stopping (${parts.join(', ')})`;
}

/**
 * What is printed before training: data (training, validation and test rows), architecture, loss, optimizer
 * with its learning rate, schedule, batch size, epochs and early stopping. One line by default (files and pipes); given a `width`, broken between its parts into lines that fit.
 *
 * @example
 * ```ts
 * describeRun(prepared);
 * // 'xor: 4 samples, model 2-4-1 (sigmoid, sigmoid) float32, loss mse, sgd lr 0.5, batch size 1, 2000 epochs'
 * ```
 */
export function describeRun(prepared: PreparedRun, width = Number.POSITIVE_INFINITY): string {
  const { model, train, validation, test, options, scaler, meta } = prepared;
  const sizes = [model.inputs, ...model.layers.map((l) => l.units)].join('-');
  const activations = model
    .summary()
    .layers.map((l) => l.activation)
    .join(', ');
  const dropout = model.layers.map((l) => l.dropout);
  const dropoutText = dropout.some((p) => p > 0) ? `, dropout ${dropout.slice(0, -1).join(',')}` : '';
  const counts = prepared.outOfCore?.counts ?? {
    train: train.inputs.rows,
    validation: validation?.inputs.rows ?? 0,
    test: test?.inputs.rows ?? 0,
  };
  const samples = `${plural(counts.train, 'sample')}${counts.validation ? ` + ${counts.validation} for validation` : ''}${counts.test ? ` + ${counts.test} for testing` : ''}${prepared.outOfCore ? ' (out-of-core)' : ''}`;
  const parts = [
    `${prepared.dataset.name}: ${samples}${scaler ? ' (normalized)' : ''}`,
    `model ${sizes} (${activations}) ${model.dtype}${dropoutText}`,
    `loss ${String(options.loss)}${penaltyText(options.l1, 'l1')}${penaltyText(options.l2, 'l2')}`,
    optimizerText(String(options.optimizer), {
      ...options.optimizerOptions,
      ...(options.lr === undefined ? {} : { lr: options.lr }),
    }),
    ...scheduleText(meta.schedule as ScheduleText | undefined),
    `batch size ${Math.min(options.batchSize ?? 32, counts.train)}`,
    plural(options.epochs ?? 100, 'epoch'),
    ...(options.earlyStopping ? [earlyStoppingText(options.earlyStopping)] : []),
  ];
  return wrapParts(
    parts.map((part, i) => (i < parts.length - 1 ? `${part},` : part)),
    width,
    2,
  );
}
