import { saveModel } from '@deltaflow/network/node';
import { EXIT, UsageError, toFlags } from '../errors.js';
import { trainKeys } from '../options/train-flags.js';
import { warn } from '../output.js';
import { readConfig, mergeOptions } from '../options/config.js';
import { loadPlugins } from '../options/plugins.js';
import { checkTrainRequest } from '../options/train-request.js';
import { plural } from '../render/format.js';
import type { RunCollector } from './collector.js';
import type { RunConsumer } from './consumer.js';
import { prepareRun } from './prepare.js';
import type { PreparedRun } from './prepare.js';
import { SIGNAL_EXIT, SignalGuard } from './signals.js';
import type { StopSignal } from './signals.js';
import { readCheckpoint, resumeFiles, runOptions } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';
import { summarize } from './summary.js';
import { testResult } from './test-set.js';

/**
 * `deltaflow train`: options from flags over `--config`, plugins installed, the run prepared and executed for
 * every consumer, the model saved atomically with its meta, the summary printed. Returns the exit code: 0, 1 when
 * the loss diverged, 130 after Ctrl-C (SIGINT), 143 after SIGTERM (the model saved in both cases).
 *
 * @example
 * ```ts
 * const code = await runTrain({ data: 'xor', epochs: 100, plugin: [] });
 * ```
 */
export async function runTrain(flags: Record<string, unknown>): Promise<number> {
  // the checkpoint's model may name a plugin's activation: the --plugin modules first
  if (typeof flags.resume === 'string') await loadPlugins((flags.plugin as string[] | undefined) ?? []);
  const resume = typeof flags.resume === 'string' ? resumeOptions(flags.resume, flags) : undefined;
  const config = typeof flags.config === 'string' ? readConfig(flags.config) : {};
  const merged = mergeOptions(resume?.options ?? config, flags);
  // a resumed run reads its files where its first run found them, whatever the directory now
  const files = resume ? resumeFiles(resume, flags.resume as string) : {};
  const readable = { ...merged, ...files };
  await loadPlugins(readable.plugin as string[]);
  const prepared = await prepareRun(checkTrainRequest(readable), resume?.state);
  // ... and its model file names them as the first run did (a resumed run's file is byte-identical)
  for (const key of ['data', 'init'] as const) {
    if (files[key] !== undefined && prepared.meta[key] !== undefined) prepared.meta[key] = merged[key];
  }
  prepared.runCwd = resume?.cwd ?? process.cwd();
  prepared.plugins = [...((readable.plugin as string[] | undefined) ?? [])];
  const done = resume?.state.epoch ?? 0;
  if (resume && (prepared.options.epochs ?? 0) <= done)
    throw new UsageError(
      `--resume: the checkpoint is at epoch ${done} of ${prepared.options.epochs}; give --epochs above ${done} to train on.`,
    );
  // the schedule's parameters as used (those that default from --epochs too), so a resume keeps the schedule
  const schedule = prepared.meta.schedule as { config: Record<string, number> } | undefined;
  prepared.runOptions = runOptions({ ...merged, ...schedule?.config });
  // Loaded only now, so that a bad flag is reported without loading the renderers.
  const { consumersFor, executeRun } = await import('./execute.js');
  const consumers = consumersFor(prepared);
  // SIGINT and SIGTERM are watched until the model is saved and the consumers finished
  const signals = new SignalGuard(consumers);
  try {
    return await finishRun(prepared, consumers, await executeRun(prepared, consumers, signals));
  } finally {
    signals.release();
  }
}

/**
 * The flags that may change when a run is resumed: its length and where the output goes (the metrics only add
 * to the events and the summary, never change the run).
 */
const RESUME_FLAGS = new Set([
  'epochs',
  'save',
  'saveOptimizerState',
  'events',
  'json',
  'quiet',
  'metrics',
  'dashboard',
  'dashboardWait',
  'checkpoint',
  'checkpointEvery',
  'resume',
  'plugin',
]);

/** `--resume FILE`: the checkpoint, after refusing the flags that would change the run it continues. */
function resumeOptions(path: string, flags: Record<string, unknown>): Checkpoint {
  if (flags.config !== undefined)
    throw new UsageError(
      "--config cannot be combined with --resume: the checkpoint keeps the run's options.",
    );
  for (const key of trainKeys) {
    if (flags[key] !== undefined && !RESUME_FLAGS.has(key)) {
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(
        `${flag} cannot be combined with --resume: the checkpoint keeps the run's options; only --epochs and the output flags may change.`,
      );
    }
  }
  return readCheckpoint(path);
}

/**
 * `created` of a saved model: now, or the time of the environment variable SOURCE_DATE_EPOCH (seconds since
 * 1970, the reproducible-builds convention), so that two runs can give byte-identical files.
 */
function created(meta: Record<string, unknown>): Record<string, unknown> {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || !/^\d+$/.test(epoch)) return meta;
  return { ...meta, created: new Date(Number(epoch) * 1000).toISOString() };
}

/** Saves the model of a run that ended, finishes every consumer, and tells how the run ended. */
async function finishRun(
  prepared: PreparedRun,
  consumers: readonly RunConsumer[],
  { run, interrupted, signal }: { run: RunCollector; interrupted: boolean; signal: StopSignal | null },
): Promise<number> {
  const end = run.end!;
  const { save } = prepared.request;
  // A run that diverged before finishing an epoch holds only its initial weights: nothing worth saving.
  const untrained = end.reason === 'diverged' && end.epochs === 0;
  const summary = summarize(
    run,
    save && !untrained ? save : null,
    await testResult(prepared),
    prepared.request.metrics?.includes('confusion') ?? false,
  );
  try {
    if (save && !untrained) {
      const meta = {
        ...end.model.meta,
        ...prepared.meta,
        finalLoss: summary.loss,
        ...(summary.valLoss !== null ? { valLoss: summary.valLoss } : {}),
        metrics: summary.metrics,
        ...(summary.test ? { testLoss: summary.test.loss, testMetrics: summary.test.metrics } : {}),
        reason: summary.reason,
        // --save-optimizer-state: the optimizer's state at the end (never that of a run that diverged)
        ...(prepared.request.saveOptimizerState && prepared.optimizer && end.reason !== 'diverged'
          ? { optimizerState: prepared.optimizer.stateDict() }
          : {}),
      };
      saveModel(save, end.model, created(meta));
    }
    for (const consumer of consumers)
      await consumer.finish?.({ prepared, run, summary, interrupted, ...(signal ? { signal } : {}) });
  } catch (error) {
    consumers.forEach((consumer) => consumer.abort?.());
    throw error;
  }
  if (signal) {
    const what = signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted';
    warn(
      `deltaflow: ${what}; training stopped after ${plural(summary.epochs, 'epoch')}${save ? ` and the model was saved to ${save}` : ''}.`,
    );
    return SIGNAL_EXIT[signal];
  }
  if (end.reason === 'diverged') {
    const kept = save && untrained ? ` Nothing was saved to ${save}: the model never finished an epoch.` : '';
    warn(
      `deltaflow: training diverged after ${plural(summary.epochs, 'epoch')}.${kept} ${toFlags(end.hint ?? '')}`.trim(),
    );
    return EXIT.failure;
  }
  return EXIT.ok;
}
