import type { CsvEncoding } from '@deltaflow/data';
import type { DType } from '@deltaflow/tensor';
import { RUN_DEFAULTS } from '@deltaflow/trainer';
import { SCHEDULE_NAMES } from '@deltaflow/trainer';
import type { ActivationChoice, MetricName, ScheduleConfig, TargetType } from '@deltaflow/trainer';
import { UsageError, registeredName } from '../errors.js';
import { orList } from './check-flags.js';
import { checkOptimizerFlags } from './optimizer-flags.js';
import {
  boolean,
  fraction,
  integer,
  number,
  parseColumns,
  parseLayers,
  parseMetrics,
  parsePenalty,
  parseRates,
  portNumber,
  text,
} from './parse.js';
import { activationChoice, optFlags, optimizerOptions } from './settings.js';

/**
 * The checked options of a training run (flags over `--config`). Fields left undefined get defaults that depend
 * on the data or on the `--init` model: the library's recipe (`prepareRun` of `@deltaflow/trainer`) fills them.
 */
export interface TrainRequest {
  data: string;
  target?: string[];
  /** `--target-type class|value`: how one numeric target column is read (inferred when left out). */
  targetType?: TargetType;
  /** `--encoding utf-8|latin1`: how a CSV file's bytes are read (strict UTF-8 when left out). */
  encoding?: CsvEncoding;
  /** `--memory-budget MB`: a CSV file needing more memory trains out-of-core (default: half the available memory). */
  memoryBudget?: number;
  layers?: number[];
  /** `--dropout P` or `P1,P2,...`: dropout rate of every hidden layer, or of each. */
  dropout?: number | number[];
  /** `--activation NAME` or `NAME:key=value,...` (a config file: also `{ name, config }`). */
  activation?: ActivationChoice;
  /** `--output-activation`, like `activation`. */
  outputActivation?: ActivationChoice;
  dtype?: DType;
  seed: number;
  loss?: string;
  optimizer: string;
  /** Whether `--optimizer` was given (else an `--init` model's optimizer is restored). */
  optimizerGiven: boolean;
  /**
   * `--opt key=value` and `optimizerOptions`: the optimizer's other options, as given (text from `--opt`);
   * checked and typed against the optimizer's defaults by `optimizerOptions` of settings.ts.
   */
  optimizerOptions: Record<string, unknown>;
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** `--l1 R` or `R1,R2,...`: L1 penalty of the weights, for every layer or per layer. */
  l1?: number | number[];
  /** `--l2 R` or `R1,R2,...`: L2 penalty of the weights, for every layer or per layer. */
  l2?: number | number[];
  batchSize?: number;
  epochs?: number;
  shuffle: boolean;
  validationSplit?: number;
  /** `--test-split F`: rows held out as a test set, measured at the end. */
  testSplit?: number;
  /** `--schedule NAME`: the learning-rate schedule. */
  schedule?: (typeof SCHEDULE_NAMES)[number];
  /** The schedule's parameters given as flags (`--step-size`, `--gamma`, `--t-max`, ...). */
  scheduleConfig: ScheduleConfig;
  /** `--early-stopping` with `--patience`, `--min-delta`, `--restore-best`. */
  earlyStopping?: { patience?: number; minDelta?: number; restoreBest?: boolean };
  normalize: boolean;
  init?: string;
  save?: string;
  /** `--save-optimizer-state`: the saved model file keeps the optimizer's state (`meta.optimizerState`). */
  saveOptimizerState: boolean;
  events?: string;
  json: boolean;
  quiet: boolean;
  /** `--metrics LIST`: classification metrics for the epoch events and the summary. */
  metrics?: MetricName[];
  /** `--dashboard [PORT]`: serve the live dashboard on 127.0.0.1 (0 = any free port). */
  dashboard?: number;
  /** `--dashboard-wait`: start training only once the first dashboard page has connected. */
  dashboardWait: boolean;
  /** `--checkpoint FILE`: where the run's checkpoint goes. */
  checkpoint?: string;
  /** `--checkpoint-every N`: also write the checkpoint every N epochs. */
  checkpointEvery?: number;
}

type Check<T> = (flag: string, value: unknown) => T;

/** Checks `raw[key]` with `check` when it is there, naming the flag `--kebab-key` in messages. */
function field<T>(raw: Record<string, unknown>, key: string, check: Check<T>): T | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (typeof value === 'number' && Number.isNaN(value)) throw new UsageError(`${flag} must be a number.`);
  return check(flag, value);
}

const name =
  (kind: 'activation' | 'loss' | 'optimizer'): Check<string> =>
  (flag, value) =>
    registeredName(flag, kind, text(flag, value));

const dtype: Check<DType> = (flag, value) => {
  if (value !== 'float32' && value !== 'float64')
    throw new UsageError(
      `${flag} must be float32 or float64, got ${typeof value === 'string' ? `'${value}'` : String(value)}.`,
    );
  return value;
};

const targetType: Check<TargetType> = (flag, value) => {
  if (value !== 'class' && value !== 'value')
    throw new UsageError(`${flag} must be class or value, got ${JSON.stringify(value)}.`);
  return value;
};

const encoding: Check<CsvEncoding> = (flag, value) => {
  if (value !== 'utf-8' && value !== 'latin1')
    throw new UsageError(`${flag} must be utf-8 or latin1, got ${JSON.stringify(value)}.`);
  return value;
};

const scheduleName: Check<NonNullable<TrainRequest['schedule']>> = (flag, value) => {
  if (!(SCHEDULE_NAMES as readonly unknown[]).includes(value))
    throw new UsageError(`${flag} must be ${orList(SCHEDULE_NAMES)}, got ${JSON.stringify(value)}.`);
  return value as NonNullable<TrainRequest['schedule']>;
};

/** The flags of the schedules' parameters, each with the schedules that take it. */
const SCHEDULE_FLAGS = {
  stepSize: ['step'],
  gamma: ['step', 'exponential'],
  tMax: ['cosine'],
  etaMin: ['cosine'],
  warmupEpochs: ['warmup'],
  startFactor: ['warmup'],
} as const satisfies Record<keyof ScheduleConfig, readonly string[]>;

const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The schedule parameters given, checked as numbers (their ranges are the recipe's). */
function scheduleConfig(raw: Record<string, unknown>, name: TrainRequest['schedule']): ScheduleConfig {
  const config: ScheduleConfig = {};
  for (const [key, owners] of Object.entries(SCHEDULE_FLAGS)) {
    const value = field(raw, key, (f, v) => number(f, v));
    if (value === undefined) continue;
    if (name === undefined) {
      throw new UsageError(
        `${flagOf(key)} is a parameter of a learning-rate schedule: add ${orList(owners.map((o) => `--schedule ${o}`))}.`,
      );
    }
    config[key as keyof ScheduleConfig] = value;
  }
  return config;
}

/** `--early-stopping` and its settings; a setting without `--early-stopping` is refused. */
function earlyStopping(raw: Record<string, unknown>): TrainRequest['earlyStopping'] {
  const on = field(raw, 'earlyStopping', boolean);
  const settings = {
    patience: field(raw, 'patience', (f, v) => integer(f, v, 1)),
    minDelta: field(raw, 'minDelta', (f, v) => number(f, v)),
    restoreBest: field(raw, 'restoreBest', boolean),
  };
  const given = Object.entries(settings).filter(([, v]) => v !== undefined);
  if (!on) {
    if (given.length > 0)
      throw new UsageError(`${flagOf(given[0]![0])} is a setting of early stopping: add --early-stopping.`);
    return undefined;
  }
  return Object.fromEntries(given) as TrainRequest['earlyStopping'];
}

/** `optimizerOptions` (an object, from a config file) with `--opt key=value` over it. */
function optimizerTexts(raw: Record<string, unknown>): Record<string, unknown> {
  const given = raw.optimizerOptions;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    throw new UsageError(
      `optimizerOptions must be an object such as { "beta1": 0.8 }, got ${JSON.stringify(given)}.`,
    );
  return {
    ...(given as Record<string, unknown> | undefined),
    ...(raw.opt === undefined ? {} : optFlags(raw.opt)),
  };
}

/** `--dashboard` alone means any free port; `--dashboard 8080` that port. */
const port: Check<number> = (flag, value) => {
  if (value === '' || value === true) return 0;
  return portNumber(flag, value);
};

/**
 * Checks every train option (from flags or a config file) and fills the defaults that depend on nothing else:
 * xor, seed 42 and sgd (the recipe's `RUN_DEFAULTS`), shuffling on. Registry names are checked after `--plugin` modules are installed.
 *
 * @example
 * ```ts
 * checkTrainRequest({ layers: '8,4', lr: 0.1 }); // { data: 'xor', layers: [8, 4], lr: 0.1, ... }
 * ```
 * @throws UsageError naming the first bad flag
 */
export function checkTrainRequest(raw: Record<string, unknown>): TrainRequest {
  const request: TrainRequest = {
    data: field(raw, 'data', text) ?? 'xor',
    target: field(raw, 'target', parseColumns),
    targetType: field(raw, 'targetType', targetType),
    encoding: field(raw, 'encoding', encoding),
    memoryBudget: field(raw, 'memoryBudget', (f, v) => number(f, v, { positive: true })),
    layers: field(raw, 'layers', (_, v) => parseLayers(v)),
    dropout: field(raw, 'dropout', parseRates),
    activation: field(raw, 'activation', activationChoice),
    outputActivation: field(raw, 'outputActivation', activationChoice),
    dtype: field(raw, 'dtype', dtype),
    seed: field(raw, 'seed', (f, v) => integer(f, v, 0)) ?? RUN_DEFAULTS.seed,
    loss: field(raw, 'loss', name('loss')),
    optimizer: field(raw, 'optimizer', name('optimizer')) ?? RUN_DEFAULTS.optimizer,
    optimizerGiven: raw.optimizer !== undefined,
    optimizerOptions: optimizerTexts(raw),
    lr: field(raw, 'lr', (f, v) => number(f, v, { positive: true })),
    momentum: field(raw, 'momentum', (f, v) => number(f, v)),
    nesterov: field(raw, 'nesterov', boolean),
    weightDecay: field(raw, 'weightDecay', (f, v) => number(f, v)),
    l1: field(raw, 'l1', parsePenalty),
    l2: field(raw, 'l2', parsePenalty),
    batchSize: field(raw, 'batchSize', (f, v) => integer(f, v, 1)),
    epochs: field(raw, 'epochs', (f, v) => integer(f, v, 0)),
    shuffle: field(raw, 'shuffle', boolean) ?? true,
    validationSplit: field(raw, 'validationSplit', fraction),
    testSplit: field(raw, 'testSplit', fraction),
    schedule: field(raw, 'schedule', scheduleName),
    scheduleConfig: {},
    earlyStopping: earlyStopping(raw),
    normalize: field(raw, 'normalize', boolean) ?? false,
    init: field(raw, 'init', text),
    save: field(raw, 'save', text),
    saveOptimizerState: field(raw, 'saveOptimizerState', boolean) ?? false,
    events: field(raw, 'events', text),
    json: field(raw, 'json', boolean) ?? false,
    quiet: field(raw, 'quiet', boolean) ?? false,
    metrics: field(raw, 'metrics', parseMetrics),
    dashboard: field(raw, 'dashboard', port),
    dashboardWait: field(raw, 'dashboardWait', boolean) ?? false,
    checkpoint: field(raw, 'checkpoint', text),
    checkpointEvery: field(raw, 'checkpointEvery', (f, v) => integer(f, v, 1)),
  };
  if (request.saveOptimizerState && request.save === undefined)
    throw new UsageError(
      "--save-optimizer-state stores the optimizer's state in the saved model file: add --save FILE.",
    );
  if (request.checkpointEvery !== undefined && request.checkpoint === undefined)
    throw new UsageError('--checkpoint-every says how often to write the checkpoint: add --checkpoint FILE.');
  request.scheduleConfig = scheduleConfig(raw, request.schedule);
  if (request.dashboardWait && request.dashboard === undefined) {
    throw new UsageError('--dashboard-wait waits for a dashboard page to connect: add --dashboard.');
  }
  if (request.init) {
    for (const key of ['layers', 'activation', 'outputActivation', 'dtype', 'dropout'] as const) {
      if (request[key] !== undefined) {
        const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new UsageError(
          `${flag} cannot be combined with --init: the model file gives the architecture.`,
        );
      }
    }
  }
  checkOptimizerFlags(request);
  // with --init and no --optimizer, the model's optimizer is known later (describeRequest checks them then)
  if (!request.init || request.optimizerGiven) optimizerOptions(request.optimizer, request.optimizerOptions);
  if (request.json && request.quiet)
    throw new UsageError('--json and --quiet cannot be combined; choose one.');
  return request;
}
