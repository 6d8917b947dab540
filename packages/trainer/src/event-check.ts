import { previewValue } from '@deltaflow/core';
import { DeltaflowError } from '@deltaflow/tensor';
import type { TrainingEvent } from './events.js';

/** A field's check: the test, and what was expected, for the message. */
interface Check {
  test(value: unknown): boolean;
  expected: string;
  /** Checks the inside of a value that passed `test`; returns the path and check that failed, if any. */
  inner?(value: unknown): Failure | null;
}

interface Failure {
  path: string;
  check: Check;
  value: unknown;
}

/** A field of a spec: the check, and whether the field may be missing. */
type Spec = Record<string, Check | { optional: Check }>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// JSON has no NaN or Infinity: JSON.stringify writes them as null, so a recorded number may be null.
const NUMBER: Check = {
  test: (v) => typeof v === 'number' || v === null,
  expected: 'a number',
};
const COUNT: Check = {
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  expected: 'a whole number of at least 0',
};
const TEXT: Check = { test: (v) => typeof v === 'string', expected: 'a text' };
const FLAG: Check = { test: (v) => typeof v === 'boolean', expected: 'true or false' };
const oneOf = (...values: string[]): Check => ({
  test: (v) => typeof v === 'string' && values.includes(v),
  expected: `one of ${values.map((v) => `'${v}'`).join(', ')}`,
});

function object(spec: Spec, expected = 'an object'): Check {
  return { test: isObject, expected, inner: (value) => failureOf(value as Record<string, unknown>, spec) };
}

function recordOf(check: Check, expected: string): Check {
  return {
    test: isObject,
    expected,
    inner(value) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (!check.test(item)) return { path: key, check, value: item };
      }
      return null;
    },
  };
}

function arrayOf(check: Check, expected: string): Check {
  return {
    test: Array.isArray,
    expected,
    inner(value) {
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        const failure = checkValue(items[i], check);
        if (failure) return { ...failure, path: `[${i}]${failure.path ? `.${failure.path}` : ''}` };
      }
      return null;
    },
  };
}

function checkValue(value: unknown, check: Check): Failure | null {
  if (!check.test(value)) return { path: '', check, value };
  return check.inner?.(value) ?? null;
}

function failureOf(value: Record<string, unknown>, spec: Spec): Failure | null {
  for (const [key, field] of Object.entries(spec)) {
    const optional = 'optional' in field;
    const check = optional ? field.optional : field;
    const item = value[key];
    if (item === undefined && optional) continue;
    const failure = checkValue(item, check);
    if (failure) {
      const inner = failure.path.startsWith('[') ? failure.path : failure.path && `.${failure.path}`;
      return { ...failure, path: `${key}${inner}` };
    }
  }
  return null;
}

const MODEL_FILE = object(
  {
    format: oneOf('deltaflow-model'),
    layers: arrayOf(object({ type: TEXT }, 'a layer object'), 'a list of layers'),
  },
  'a model file (an object)',
);

const NUMBER_ROWS = arrayOf(arrayOf(NUMBER, 'a list of numbers'), 'a list of rows');

/** What each event type must hold; fields not named here are allowed (newer recorders may add some). */
const EVENTS: Readonly<Record<TrainingEvent['type'], Spec>> = {
  start: {
    config: object({
      epochs: COUNT,
      batchSize: COUNT,
      shuffle: FLAG,
      seed: NUMBER,
      loss: TEXT,
      optimizer: TEXT,
      optimizerOptions: recordOf(
        { test: (v) => typeof v === 'number' || typeof v === 'boolean' || v === null, expected: 'a number' },
        'an object of options',
      ),
      samples: COUNT,
      validationSamples: COUNT,
      task: oneOf('classification', 'regression'),
    }),
    model: object({
      inputs: COUNT,
      outputs: COUNT,
      parameters: COUNT,
      layers: arrayOf(
        object({ inputs: COUNT, units: COUNT, activation: TEXT, parameters: COUNT }, 'a layer object'),
        'a list of layers',
      ),
    }),
  },
  forward: {
    epoch: COUNT,
    loss: NUMBER,
    metrics: recordOf(NUMBER, 'an object of numbers'),
    outputs: { optional: object({ outputs: NUMBER_ROWS, targets: NUMBER_ROWS }) },
  },
  backward: {
    epoch: COUNT,
    layers: arrayOf(
      object(
        {
          layer: COUNT,
          meanAbsDelta: NUMBER,
          maxAbsDelta: NUMBER,
          gradNorm: NUMBER,
          weightNorm: NUMBER,
          updateRatio: NUMBER,
        },
        'a layer object',
      ),
      'a list of layers',
    ),
  },
  batch: { epoch: COUNT, batch: COUNT, loss: NUMBER },
  epoch: {
    epoch: COUNT,
    loss: NUMBER,
    valLoss: { optional: NUMBER },
    metrics: recordOf(NUMBER, 'an object of numbers'),
    elapsedMs: NUMBER,
    samplesPerSecond: NUMBER,
    lr: NUMBER,
  },
  checkpoint: { epoch: COUNT, model: MODEL_FILE },
  end: {
    reason: oneOf('completed', 'early-stopped', 'stopped', 'diverged'),
    epochs: COUNT,
    model: MODEL_FILE,
    hint: { optional: TEXT },
  },
};

const TYPES = Object.keys(EVENTS);

/** A bounded preview (never JSON.stringify of the value: a line nested 100,000 deep would overflow the stack). */
const shown = (value: unknown): string => previewValue(value);

/**
 * Checks that `value` (one parsed line of a recording) is a training event, field by field: its type is one of
 * the event types, and every field the type needs is there with the right kind of value (numbers may be null,
 * which is how JSON writes NaN and infinities). Fields a newer recorder added are allowed. Throws a
 * `DeltaflowError` `E_PARSE` whose one sentence names `where` (e.g. `run.jsonl: line 3`) and the field.
 *
 * @example
 * ```ts
 * checkTrainingEvent(JSON.parse('{"type":"batch","epoch":1,"batch":2,"loss":0.25}'), 'run.jsonl: line 2');
 * // checkTrainingEvent({ type: 'epoch', epoch: 3 }, 'run.jsonl: line 9') throws:
 * // "run.jsonl: line 9: the epoch event's loss must be a number, got nothing; ..."
 * ```
 * @param value - the parsed JSON of one line
 * @param where - the file and line, for the message
 * @returns the value, typed
 * @throws DeltaflowError `E_PARSE` naming the line and the first wrong field
 * @category Replay
 */
export function checkTrainingEvent(value: unknown, where: string): TrainingEvent {
  const type = isObject(value) ? value.type : undefined;
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    throw new DeltaflowError(
      'E_PARSE',
      `${where} is not a training event (its type is ${shown(type)}, expected one of ${TYPES.join(', ')}); a recording holds one event per line, as train --events writes it.`,
    );
  }
  const failure = failureOf(value as Record<string, unknown>, EVENTS[type as TrainingEvent['type']]);
  if (failure) {
    throw new DeltaflowError(
      'E_PARSE',
      `${where}: the ${type} event's ${failure.path} must be ${failure.check.expected}, got ${shown(failure.value)}; the file was edited or is not a recording written by train --events.`,
    );
  }
  return value as unknown as TrainingEvent;
}
