import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { writeFileAtomic } from '@deltaflow/core/node';
import { modelFromJSON, modelToJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import type { ResumeState, TrainingEvent } from '@deltaflow/trainer';
import type { Subscription } from 'rxjs';
import { CliError, oneLine } from '../errors.js';
import { isBuiltinDataset } from '../options/data.js';
import { resolvePluginFrom } from '../options/plugins.js';
import type { RunConsumer } from './consumer.js';

/** The version of the checkpoint part this deltaflow writes and reads. */
export const CHECKPOINT_VERSION = 1;

/**
 * The run part of a checkpoint file, under the model file's `checkpoint` key: the version, the run's options
 * (the train flags, as given) and its state at the end of an epoch, without the parameters (the model file's
 * layers hold them).
 */
export interface CheckpointPart {
  format: 'deltaflow-checkpoint';
  version: number;
  options: Record<string, unknown>;
  state: Omit<ResumeState, 'parameters'>;
  /**
   * The working directory of the run that wrote it: relative paths in `options` (the CSV of `--data`, `--init`,
   * `--plugin` files) are relative to it. Older checkpoints lack it (their paths are relative to where
   * `--resume` runs).
   */
  cwd?: string;
}

/** What `--resume FILE` reads: the run's options and its full state (parameters from the layers). */
export interface Checkpoint {
  options: Record<string, unknown>;
  state: ResumeState;
  /** The working directory of the run that wrote it (see {@link CheckpointPart.cwd}). */
  cwd?: string;
}

/** Flags that are about where output goes, not about the run: not kept in a checkpoint. */
const OUTPUT_KEYS = new Set([
  'save',
  'events',
  'json',
  'quiet',
  'config',
  'dashboard',
  'dashboardWait',
  'checkpoint',
  'checkpointEvery',
  'resume',
]);

/** The options of a run as a checkpoint keeps them: the train flags without the output ones. */
export function runOptions(merged: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(merged).filter(([key, value]) => value !== undefined && !OUTPUT_KEYS.has(key)),
  );
}

/**
 * The checkpoint file of a run's state: the model file of the state's parameters (a valid model file, which
 * `predict` and `evaluate` read as one), with `meta`, and the run part under `checkpoint` (with the directory
 * `cwd` its relative paths are relative to).
 *
 * @example
 * ```ts
 * import type { EndEvent } from '@deltaflow/trainer';
 *
 * declare const end: EndEvent; // the end event of a run with `resumable: true`
 * const json = checkpointJSON(end.model, end.state!, { data: 'circle', epochs: 100 }, {});
 * ```
 */
export function checkpointJSON(
  model: ModelJSON,
  state: ResumeState,
  options: Record<string, unknown>,
  meta: Record<string, unknown>,
  cwd?: string,
): ModelJSON & { checkpoint: CheckpointPart } {
  const at = modelFromJSON(model);
  at.parameters().forEach((p, i) => p.value.data.set(state.parameters[i]!));
  const { parameters: _, ...rest } = state;
  return {
    ...modelToJSON(at, { ...meta, epochs: state.epoch }),
    checkpoint: {
      format: 'deltaflow-checkpoint',
      version: CHECKPOINT_VERSION,
      options,
      state: rest,
      ...(cwd !== undefined ? { cwd } : {}),
    },
  };
}

const bad = (path: string, what: string): never => {
  throw new CliError(`--resume ${path}: ${what}; resume from a file written by train --checkpoint.`);
};

/**
 * Reads and validates a checkpoint file (`--resume`): a model file (checked as `loadModel` checks one) with a
 * `checkpoint` part of a version this deltaflow reads, whose options are an object; the state itself is checked
 * against the model and the data when the run starts (`checkResumeState`).
 *
 * @example
 * ```ts
 * // not-runnable: reads run.ckpt.json
 * const { options, state } = readCheckpoint('run.ckpt.json');
 * ```
 * @throws CliError naming the file and what is wrong with it
 */
export function readCheckpoint(path: string): Checkpoint {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    bad(
      path,
      code === 'ENOENT'
        ? 'there is no such file'
        : code
          ? `cannot be read (${code})`
          : `is not valid JSON, perhaps truncated (${oneLine((error as Error).message)})`,
    );
  }
  let parameters: number[][];
  try {
    parameters = modelFromJSON(json, path)
      .parameters()
      .map((p) => Array.from(p.value.data));
  } catch (error) {
    throw new CliError(`--resume: ${oneLine((error as Error).message).replace(/\.$/, '')}.`, {
      cause: error,
    });
  }
  const part = (json as { checkpoint?: Partial<CheckpointPart> }).checkpoint;
  if (typeof part !== 'object' || part === null || part.format !== 'deltaflow-checkpoint')
    bad(path, 'it is a model file without a run state (no "checkpoint" part)');
  if (part!.version !== CHECKPOINT_VERSION)
    bad(
      path,
      `its checkpoint version is ${JSON.stringify(part!.version)}, but this deltaflow reads version ${CHECKPOINT_VERSION}`,
    );
  if (typeof part!.options !== 'object' || part!.options === null || Array.isArray(part!.options))
    bad(path, 'its checkpoint has no options object');
  if (typeof part!.state !== 'object' || part!.state === null)
    bad(path, 'its checkpoint has no state object');
  return {
    options: part!.options!,
    state: { ...(part!.state as Omit<ResumeState, 'parameters'>), parameters },
    ...(typeof part!.cwd === 'string' && isAbsolute(part!.cwd) ? { cwd: part!.cwd } : {}),
  };
}

/**
 * The files a checkpoint's run reads, resolved from the directory the run was started in (so `--resume` works
 * from any directory): the CSV of `data`, the `init` model file and `plugin` paths. A file that is gone is
 * reported in one sentence naming the checkpoint, the path it holds and where that was looked for.
 *
 * @example
 * ```ts
 * // not-runnable: reads the checkpoint
 * resumeFiles(readCheckpoint('runs/a.ckpt.json'), 'runs/a.ckpt.json'); // { data: '/home/me/data.csv' }
 * ```
 * @throws CliError when the data or the init file is missing
 */
export function resumeFiles(checkpoint: Checkpoint, path: string): Record<string, unknown> {
  const { options, cwd } = checkpoint;
  const from = cwd ?? process.cwd();
  const found: Record<string, unknown> = {};
  for (const [key, what] of [
    ['data', 'data file'],
    ['init', 'initial model file (--init)'],
  ] as const) {
    const value = options[key];
    if (typeof value !== 'string' || (key === 'data' && isBuiltinDataset(value))) continue;
    const file = resolve(from, value);
    if (!existsSync(file)) {
      throw new CliError(
        `--resume ${path}: the run's ${what} ${value} is not at ${file}${cwd ? ` (the run was started in ${cwd})` : ''}; put it back there to resume the run.`,
      );
    }
    found[key] = file;
  }
  if (Array.isArray(options.plugin) && cwd) {
    found.plugin = options.plugin.map((p: unknown) =>
      typeof p === 'string' ? resolvePluginFrom(cwd, p) : p,
    );
  }
  return found;
}

/**
 * `--checkpoint FILE`: writes the run's checkpoint (atomically) every `--checkpoint-every` epochs and when the
 * run ends, however it ends (completed, early-stopped, stopped by Ctrl-C or SIGTERM: then the state of the last
 * complete epoch, so a resume repeats the interrupted epoch exactly).
 *
 * @example
 * ```ts
 * const writer = checkpointWriter('run.ckpt.json', { data: 'circle', epochs: 100 }, { data: 'circle' });
 * ```
 */
export function checkpointWriter(
  path: string,
  options: Record<string, unknown>,
  meta: Record<string, unknown>,
  cwd: string = process.cwd(),
): RunConsumer {
  let failure: unknown = null;
  let subscription: Subscription | null = null;
  const write = (model: ModelJSON, state: ResumeState): void => {
    if (failure) return;
    try {
      const json = checkpointJSON(model, state, options, { ...model.meta, ...meta }, cwd);
      writeFileAtomic(path, `${JSON.stringify(json)}\n`);
    } catch (error) {
      failure = error;
    }
  };
  return {
    attach(events$) {
      subscription = events$.subscribe({
        next: (event: TrainingEvent) => {
          if ((event.type === 'checkpoint' || event.type === 'end') && event.state)
            write(event.model, event.state);
        },
        error: () => undefined,
      });
    },
    finish() {
      if (!failure) return;
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new CliError(`--checkpoint: ${oneLine(reason).replace(/\.$/, '')}.`, { cause: failure });
    },
    abort() {
      subscription?.unsubscribe();
    },
  };
}
