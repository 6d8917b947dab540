import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { ActivationIdentifier } from './index.js';
import { getActivation } from './index.js';

// Reference values from PyTorch 1.13.0a0 (Debian's python3-torch), float64, at x = -3, -0.5, 0.7, 2.5:
// y = F.<function>(x), and dy/dx = x.grad after y.sum().backward(). The functions, in the order below:
// torch.sigmoid, torch.tanh, F.relu, F.leaky_relu (negative_slope 0.01, then 0.2), F.elu (alpha 1, then 0.5),
// F.softplus (beta 1 threshold 20, then beta 2 threshold 3), F.gelu (approximate 'none', then 'tanh'), F.silu,
// and the identity.
const X = [-3, -0.5, 0.7, 2.5];
const reference: [ActivationIdentifier, number[], number[]][] = [
  [
    'sigmoid',
    [0.04742587317756678, 0.3775406687981454, 0.6681877721681662, 0.9241418199787566],
    [0.04517665973091214, 0.2350037122015945, 0.22171287329310904, 0.07010371654510807],
  ],
  [
    'tanh',
    [-0.9950547536867305, -0.46211715726000974, 0.6043677771171635, 0.9866142981514303],
    [0.009866037165440166, 0.7864477329659274, 0.6347395899824586, 0.02659222668316057],
  ],
  ['relu', [0, 0, 0.7, 2.5], [0, 0, 1, 1]],
  ['leaky-relu', [-0.03, -0.005, 0.7, 2.5], [0.01, 0.01, 1, 1]],
  [
    { name: 'leaky-relu', config: { negativeSlope: 0.2 } },
    [-0.6000000000000001, -0.1, 0.7, 2.5],
    [0.2, 0.2, 1, 1],
  ],
  [
    'elu',
    [-0.950212931632136, -0.3934693402873666, 0.7, 2.5],
    [0.049787068367863944, 0.6065306597126334, 1, 1],
  ],
  [
    { name: 'elu', config: { alpha: 0.5 } },
    [-0.475106465816068, -0.1967346701436833, 0.7, 2.5],
    [0.024893534183931972, 0.3032653298563167, 1, 1],
  ],
  [
    'softplus',
    [0.04858735157374206, 0.4740769841801067, 1.103186048885458, 2.5788897342925496],
    [0.04742587317756679, 0.37754066879814546, 0.6681877721681662, 0.9241418199787564],
  ],
  [
    { name: 'softplus', config: { beta: 2, threshold: 3 } },
    [0.0012378425688652247, 0.15663084375911143, 0.8102087049592255, 2.5],
    [0.0024726231566347748, 0.2689414213699951, 0.8021838885585817, 1],
  ],
  [
    'gelu',
    [-0.00404969409489031, -0.15426876936299344, 0.5306254434438489, 2.4844758366855597],
    [-0.01194564720418392, 0.13250487534383712, 0.9766141011336599, 1.037611085908145],
  ],
  [
    { name: 'gelu', config: { approximate: 'tanh' } },
    [-0.0036373920817729943, -0.15428599017485606, 0.5305701347051167, 2.484915733910001],
    [-0.011584166630969648, 0.13263009646535764, 0.976357218656104, 1.037951576212666],
  ],
  [
    'swish',
    [-0.14227761953270035, -0.1887703343990727, 0.46773144051771626, 2.3103545499468914],
    [-0.08810410601516962, 0.2600388126973482, 0.8233867834733425, 1.0994011113415267],
  ],
  ['linear', X, [1, 1, 1, 1]],
];

function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(
      1e-14 * Math.max(1, Math.abs(expected[i]!)),
    );
  }
}

describe('values against PyTorch (float64)', () => {
  for (const [id, y, dydx] of reference) {
    const activation = getActivation(id);
    it(`${activation.name} ${JSON.stringify(activation.config)} gives torch's outputs and derivatives`, () => {
      const x = Tensor.fromNested(X, 'float64');
      const out = Tensor.zeros([4], 'float64');
      const dx = Tensor.zeros([4], 'float64');
      activation.forward(x, out);
      activation.backward(x, out, Tensor.fromNested([1, 1, 1, 1], 'float64'), dx);
      expectClose(out.data, y);
      expectClose(dx.data, dydx);
    });
  }

  it('softmax gives torch.softmax(x, dim=1) and its backward for a given dy', () => {
    // torch 1.13.0a0: y = torch.softmax(x, dim=1); y.backward(dy); x.grad
    const x = Tensor.fromNested(
      [
        [-3, -0.5, 0.7, 2.5],
        [1, 2, 3, 1000],
      ],
      'float64',
    );
    const dy = Tensor.fromNested(
      [
        [0.1, -0.2, 0.3, 0.4],
        [0.5, -0.5, 0.25, 1],
      ],
      'float64',
    );
    const y = Tensor.zeros([2, 4], 'float64');
    const dx = Tensor.zeros([2, 4], 'float64');
    const softmax = getActivation('softmax');
    softmax.forward(x, y);
    softmax.backward(x, y, dy, dx);
    expectClose(
      y.data,
      [0.00335208567622298, 0.040836763506347074, 0.13558282958721318, 0.8202283212302168, 0, 0, 0, 1],
    );
    expectClose(
      dx.data,
      [-0.0008746732352448058, -0.022906730457862935, -0.008261608644108846, 0.03204301233721655, 0, 0, 0, 0],
    );
  });
});
