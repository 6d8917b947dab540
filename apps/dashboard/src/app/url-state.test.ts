import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../shared/playground-config.js';
import { configFromQuery, configToQuery, parseLayers } from './url-state.js';

describe('the configuration in the URL', () => {
  it('round-trips every field', () => {
    const config = {
      ...DEFAULT_CONFIG,
      dataset: 'spiral' as const,
      noise: 0.15,
      layers: [8, 4, 2],
      activation: 'softsign',
      lr: 0.003,
      seed: 9,
    };
    expect(configFromQuery(`?${configToQuery(config)}`)).toEqual(config);
  });

  it('writes short, readable keys in a fixed order', () => {
    expect(configToQuery(DEFAULT_CONFIG)).toBe(
      'dataset=circle&noise=0&points=400&train=0.5&layers=4%2C2&activation=tanh&loss=mse&optimizer=sgd&lr=0.03&batch=10&wd=0&seed=42',
    );
  });

  it('falls back to the defaults for missing or bad values', () => {
    expect(configFromQuery('')).toEqual(DEFAULT_CONFIG);
    const bad = configFromQuery(
      '?dataset=mnist&noise=2&points=-1&train=0&layers=4,x&activation=<script>&lr=0&batch=1.5&seed=-3',
    );
    expect(bad).toEqual(DEFAULT_CONFIG);
  });

  it('parses hidden layers', () => {
    expect(parseLayers('8, 4')).toEqual([8, 4]);
    expect(parseLayers('')).toEqual([]);
    expect(parseLayers('0')).toBeNull();
    expect(parseLayers('1,1,1,1,1,1,1,1,1')).toBeNull();
  });
});
