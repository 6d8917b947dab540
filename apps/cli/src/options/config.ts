import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { suggest } from '@deltaflow/core';
import { CliError, UsageError } from '../errors.js';
import { isBuiltinDataset } from './data.js';
import { resolvePluginFrom } from './plugins.js';
import { NAMED_OPTIMIZER_FLAGS } from './settings.js';
import { trainKeys } from './train-flags.js';

const camel = (key: string): string => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Accepts the library's run description form `"optimizer": { "name": "adam", "options": { "lr": 0.01 } }` beside
 * the flags' `"optimizer": "adam", "lr": 0.01`: the options become their flags.
 */
function optimizerFlat(json: Record<string, unknown>, path: string): Record<string, unknown> {
  const optimizer = json.optimizer;
  if (typeof optimizer !== 'object' || optimizer === null || Array.isArray(optimizer)) return json;
  const { name, options = {} } = optimizer as { name?: unknown; options?: unknown };
  if (typeof options !== 'object' || options === null) {
    throw new UsageError(`--config ${path}: optimizer.options must be an object such as { "lr": 0.01 }.`);
  }
  return { ...json, optimizer: name, optimizerOptions: { ...objectOr(json.optimizerOptions), ...options } };
}

const objectOr = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * `"optimizerOptions": { "beta1": 0.8, "lr": 0.01 }`: the options with a flag of their own (`lr`, `momentum`,
 * `nesterov`, `weightDecay`) become that flag (so a flag given on the command line wins), the others stay.
 */
function optimizerOptionsFlat(json: Record<string, unknown>, path: string): Record<string, unknown> {
  const given = json.optimizerOptions;
  if (given === undefined) return json;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new UsageError(`--config ${path}: optimizerOptions must be an object such as { "beta1": 0.8 }.`);
  }
  const flat: Record<string, unknown> = { ...json };
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (NAMED_OPTIMIZER_FLAGS[key] !== undefined) flat[key] = value;
    else rest[key] = value;
  }
  flat.optimizerOptions = rest;
  return flat;
}

/**
 * Accepts the run description forms `"schedule": { "name": "step", "config": { "stepSize": 30 } }` and
 * `"earlyStopping": { "patience": 5, "restoreBest": true }` beside the flags' `"schedule": "step", "stepSize": 30`
 * and `"earlyStopping": true, "patience": 5`: the settings become their flags.
 */
function runControlsFlat(json: Record<string, unknown>, path: string): Record<string, unknown> {
  const flat = { ...json };
  const { schedule, earlyStopping } = json;
  if (typeof schedule === 'object' && schedule !== null && !Array.isArray(schedule)) {
    const { name, config = {} } = schedule as { name?: unknown; config?: unknown };
    if (typeof config !== 'object' || config === null) {
      throw new UsageError(`--config ${path}: schedule.config must be an object such as { "stepSize": 30 }.`);
    }
    Object.assign(flat, { schedule: name }, config);
  }
  if (typeof earlyStopping === 'object' && earlyStopping !== null && !Array.isArray(earlyStopping)) {
    Object.assign(flat, { earlyStopping: true }, earlyStopping);
  }
  return flat;
}

/**
 * Reads a `--config RUN.json` file: one JSON object whose keys are train options, camelCase or kebab-case
 * (`{ "data": "iris", "layers": [8], "epochs": 300, "plugin": ["./my-plugin.mjs"] }`); a run description of the
 * library (`RunDescription` of `@deltaflow/trainer`) with a built-in dataset's name is one too, its optimizer
 * written `{ "name": "adam", "options": { "lr": 0.01 } }` (or `"optimizerOptions": { "beta1": 0.8 }` beside
 * `"optimizer": "adam"`), an activation `"isru:a=0.5"` or `{ "name": "isru", "config": { "a": 0.5 } }`, its schedule `{ "name", "config" }` and its early stopping
 * `{ "patience", ... }` (options the CLI has no flag for are refused). Paths in it (a CSV
 * `data`, `init`, `save`, `events`, plugin paths) are relative to the file's directory. Values are checked
 * later, like flags.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.json
 * const options = readConfig('run.json'); // { data: '/abs/dir/points.csv', epochs: 300, ... }
 * ```
 * @throws CliError when the file cannot be read or is not JSON; UsageError naming an unknown key
 */
export function readConfig(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'there is no such file'
        : (code ?? `it is not valid JSON (${(error as Error).message})`);
    throw new CliError(`Cannot read --config ${path}: ${reason}.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliError(`--config ${path} must hold one JSON object of options, such as { "epochs": 100 }.`);
  }
  const dir = dirname(resolve(path));
  const options: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(
    runControlsFlat(optimizerOptionsFlat(optimizerFlat(json as Record<string, unknown>, path), path), path),
  )) {
    const key = camel(rawKey === 'plugins' ? 'plugin' : rawKey);
    if (!trainKeys.includes(key)) {
      const close = suggest(key, trainKeys);
      throw new UsageError(
        `--config ${path}: unknown option '${rawKey}'; ${close ? `did you mean '${close}'?` : 'the options are the flags of deltaflow train --help, in camelCase or kebab-case.'}`,
      );
    }
    options[key] = value;
  }
  for (const key of ['init', 'save', 'events'] as const) {
    if (typeof options[key] === 'string') options[key] = resolve(dir, options[key]);
  }
  if (typeof options.data === 'string' && !isBuiltinDataset(options.data))
    options.data = resolve(dir, options.data);
  if (options.plugin !== undefined) {
    const list = [options.plugin].flat();
    if (!list.every((p) => typeof p === 'string')) {
      throw new UsageError(`--config ${path}: plugin must be a module name or path, or a list of them.`);
    }
    options.plugin = (list as string[]).map((p) => resolvePluginFrom(dir, p));
  }
  return options;
}

/**
 * The options of a run: the config file's, overridden by every train flag given on the command line (other keys
 * of `flags` are ignored). Plugins, `--opt` and `optimizerOptions` add up.
 *
 * @example
 * ```ts
 * mergeOptions({ epochs: 100, plugin: ['a'] }, { epochs: 5, plugin: ['b'] }); // → { epochs: 5, plugin: ['a', 'b'] }
 * ```
 */
export function mergeOptions(
  config: Record<string, unknown>,
  flags: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  for (const key of trainKeys) if (flags[key] !== undefined && key !== 'plugin') merged[key] = flags[key];
  const plugins = [
    ...((config.plugin as string[] | undefined) ?? []),
    ...((flags.plugin as string[] | undefined) ?? []),
  ];
  merged.plugin = plugins;
  // --opt adds up too (a key given twice: the command line's wins)
  const opt = [config.opt, flags.opt].flat().filter((o) => o !== undefined);
  if (opt.length > 0) merged.opt = opt;
  if (config.optimizerOptions !== undefined || flags.optimizerOptions !== undefined)
    merged.optimizerOptions = { ...objectOr(config.optimizerOptions), ...objectOr(flags.optimizerOptions) };
  return merged;
}
