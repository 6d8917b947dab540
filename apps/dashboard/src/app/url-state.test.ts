import { describe, expect, it } from 'vitest';
import { prepareRun } from '@deltaflow/trainer';
import {
  DEFAULT_CONFIG,
  activationOfText,
  describePlaygroundRun,
  optimizerOfText,
} from '../shared/playground-config.js';
import {
  DEFAULT_SPEED,
  configFromQuery,
  configToQuery,
  describeProblem,
  linkProblemSentences,
  PLUGIN_NAME_HINT,
  parseConfigQuery,
  parseLayers,
  parseSpeedQuery,
} from './url-state.js';

describe('the configuration in the URL', () => {
  it('round-trips every field', () => {
    const config = {
      ...DEFAULT_CONFIG,
      dataset: 'spiral' as const,
      noise: 0.15,
      layers: [8, 4, 2],
      activation: 'softsign',
      lr: 0.003,
      dropout: 0.25,
      regularization: 'l1' as const,
      regularizationRate: 0.3,
      seed: 9,
    };
    expect(configFromQuery(`?${configToQuery(config)}`)).toEqual(config);
  });

  it('writes short, readable keys in a fixed order', () => {
    expect(configToQuery(DEFAULT_CONFIG)).toBe(
      'dataset=circle&noise=0&points=400&train=0.5&layers=4%2C2&activation=tanh&loss=mse&optimizer=sgd&lr=0.03&batch=10&wd=0&dropout=0&reg=none&regrate=0&seed=42',
    );
  });

  it('falls back to the defaults for missing or bad values', () => {
    expect(configFromQuery('')).toEqual(DEFAULT_CONFIG);
    const bad = configFromQuery(
      '?dataset=mnist&noise=2&points=-1&train=0&layers=4,x&activation=<script>&lr=0&batch=1.5&seed=-3',
    );
    expect(bad).toEqual(DEFAULT_CONFIG);
  });

  it('says a well-formed name is not one the page has, and how a plugin name gets its module', () => {
    const { config, problems } = parseConfigQuery('?dataset=moons');
    expect(config.dataset).toBe(DEFAULT_CONFIG.dataset);
    expect(problems.map(describeProblem)).toEqual([
      "The link's dataset=moons is not a dataset this page has (xor, circle, spiral, gauss, plane, iris); using the default, circle.",
    ]);
    for (const kind of ['activation', 'loss', 'optimizer'] as const) {
      const problem = { key: kind, value: 'isru', fallback: 'x', unknown: kind };
      expect(describeProblem(problem)).toMatch(
        new RegExp(`^The link's ${kind}=isru is not an? ${kind} this page has; using the default, x\\.$`),
      );
      // the hint for plugins' names comes once, after every unknown name
      expect(linkProblemSentences([problem, { ...problem, value: 'other' }])).toEqual([
        describeProblem(problem),
        describeProblem({ ...problem, value: 'other' }),
        PLUGIN_NAME_HINT,
      ]);
    }
    expect(linkProblemSentences(problems)).toEqual(problems.map(describeProblem));
  });

  it('names every bad value it replaced', () => {
    const { config, problems } = parseConfigQuery('?activation=<x>&lr=abc&points=7&layers=4,x&seed=3');
    expect(config).toEqual({ ...DEFAULT_CONFIG, seed: 3 });
    expect(problems.map(describeProblem)).toEqual([
      "The link's layers=4,x is not valid here; using the default, 4,2.",
      "The link's points=7 is not valid here; using the default, 400.",
      "The link's activation=<x> is not valid here; using the default, tanh.",
      "The link's lr=abc is not valid here; using the default, 0.03.",
    ]);
    expect(parseConfigQuery('?lr=').problems).toHaveLength(1);
    // dropout below 1, a known penalty, and only Playground's rates
    const regularization = parseConfigQuery('?dropout=1&reg=l3&regrate=0.02');
    expect(regularization.config).toEqual(DEFAULT_CONFIG);
    expect(regularization.problems.map((p) => p.key)).toEqual(['dropout', 'reg', 'regrate']);
    expect(parseConfigQuery('?dropout=0.2&reg=l2&regrate=0.03').config).toMatchObject({
      dropout: 0.2,
      regularization: 'l2',
      regularizationRate: 0.03,
    });
    expect(parseConfigQuery(`?${configToQuery(DEFAULT_CONFIG)}`).problems).toEqual([]);
  });

  it("takes an activation's config, activation=elu:alpha=0.5, as the CLI's --activation does, into the run", async () => {
    const { config, problems } = parseConfigQuery('?activation=elu:alpha=0.5');
    expect(problems).toEqual([]);
    expect(config.activation).toBe('elu:alpha=0.5');
    expect(configFromQuery(`?${configToQuery(config)}`)).toEqual(config);
    const description = describePlaygroundRun(config);
    expect(description.activation).toEqual({ name: 'elu', config: { alpha: 0.5 } });
    const run = await prepareRun({ ...description, data: 'xor', validationSplit: undefined, epochs: 1 });
    expect(run.model.layers[0]!.activation.config).toEqual({ alpha: 0.5 });
    expect(activationOfText('gelu:approximate=tanh')).toEqual({
      name: 'gelu',
      config: { approximate: 'tanh' },
    });
    // a misspelt key reaches the recipe, which names the closest one
    await expect(
      prepareRun({ ...describePlaygroundRun(configFromQuery('?activation=elu:alpah=0.5')), data: 'xor' }),
    ).rejects.toThrow(/did you mean 'alpha'\?/);
    // not key=value, or a number that is not finite: replaced, and said so
    for (const bad of ['elu:alpha', 'elu:alpha=1e999', 'elu:=1']) {
      const parsed = parseConfigQuery(`?activation=${encodeURIComponent(bad)}`);
      expect(parsed.config.activation).toBe(DEFAULT_CONFIG.activation);
      expect(parsed.problems.map(describeProblem)).toEqual([
        `The link's activation=${bad} is not valid here; using the default, tanh.`,
      ]);
    }
  });

  it("takes an optimizer's options, optimizer=adam:beta1=0.8, as the CLI's --opt does, into the run", async () => {
    const { config, problems } = parseConfigQuery('?optimizer=adam:beta1=0.8,beta2=0.99&lr=0.01&wd=0.001');
    expect(problems).toEqual([]);
    expect(config.optimizer).toBe('adam:beta1=0.8,beta2=0.99');
    expect(configFromQuery(`?${configToQuery(config)}`)).toEqual(config);
    const description = describePlaygroundRun(config);
    expect(description.optimizer).toEqual({
      name: 'adam',
      options: { beta1: 0.8, beta2: 0.99, lr: 0.01, weightDecay: 0.001 },
    });
    const run = await prepareRun({ ...description, data: 'xor', validationSplit: undefined, epochs: 1 });
    expect(run.trainOptions.optimizer).toBe('adam');
    expect(run.trainOptions.optimizerOptions).toMatchObject({ beta1: 0.8, beta2: 0.99 });
    expect(optimizerOfText('sgd')).toEqual({ name: 'sgd', options: {} });
    // a misspelt key reaches the recipe, which names the closest one
    await expect(
      prepareRun({ ...describePlaygroundRun(configFromQuery('?optimizer=adam:beta=0.8')), data: 'xor' }),
    ).rejects.toThrow(/did you mean 'beta1'\?/);
    // not key=value, not finite, or eta / the weight decay (boxes of their own): replaced, and said so
    for (const bad of ['adam:beta1', 'adam:beta1=1e999', 'adam:lr=0.1', 'adam:weightDecay=0.1']) {
      const parsed = parseConfigQuery(`?optimizer=${encodeURIComponent(bad)}`);
      expect(parsed.config.optimizer).toBe(DEFAULT_CONFIG.optimizer);
      expect(parsed.problems.map(describeProblem)).toEqual([
        `The link's optimizer=${bad} is not valid here; using the default, sgd.`,
      ]);
    }
  });

  it('reads the speed: one of the offered ones, max, or the default with the problem', () => {
    expect(parseSpeedQuery('')).toEqual({ speed: DEFAULT_SPEED, problem: null });
    expect(parseSpeedQuery('?speed=200').speed).toBe(200);
    expect(parseSpeedQuery('?speed=max').speed).toBeNull();
    expect(parseSpeedQuery('?speed=7')).toEqual({
      speed: DEFAULT_SPEED,
      problem: { key: 'speed', value: '7', fallback: `${DEFAULT_SPEED} epochs per second` },
    });
  });

  it('parses hidden layers', () => {
    expect(parseLayers('8, 4')).toEqual([8, 4]);
    expect(parseLayers('')).toEqual([]);
    expect(parseLayers('0')).toBeNull();
    expect(parseLayers('1,1,1,1,1,1,1,1,1')).toBeNull();
  });
});
