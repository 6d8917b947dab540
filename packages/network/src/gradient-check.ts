import { getLoss } from '@deltaflow/losses';
import type { LossIdentifier } from '@deltaflow/losses';
import { Random } from '@deltaflow/tensor';
import type { Tensor, TypedArray } from '@deltaflow/tensor';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { Penalty } from './penalty.js';
import type { PenaltyOptions } from './penalty.js';
import type { Sequential } from './sequential.js';

/**
 * Options of {@link gradientCheck}.
 *
 * @example
 * ```ts
 * gradientCheck(model, inputs, targets, 'mse', { epsilon: 1e-6, maxEntries: 100, seed: 1 });
 * ```
 * @category Gradient check
 */
export interface GradientCheckOptions {
  /** Step h of the central difference (E(w + h) - E(w - h)) / 2h; default 1e-5. */
  epsilon?: number;
  /** Gradients smaller than this are compared absolutely: the denominator is max(|a|, |n|, floor). Default 1e-4. */
  floor?: number;
  /** Entries checked per parameter at most (a seeded sample beyond that); default 2000. */
  maxEntries?: number;
  /** Seed of that sample; default 0. */
  seed?: number;
  /**
   * Check the network with dropout ON: the seed of one set of dropout masks, drawn once and then frozen for
   * every E(W + h) and E(W - h), so the masked network is a fixed function whose gradient can be compared.
   * Left out (the default), dropout is off, as in inference.
   */
  dropoutMask?: number;
  /**
   * L1/L2 penalties to include in E (and their derivatives in the analytic gradient), as in training; see
   * {@link Penalty}. An L1 entry whose W is within h of 0 (the kink of |W|) is counted in `atKink`.
   */
  penalty?: PenaltyOptions;
}

/**
 * The worst relative errors of one layer.
 *
 * @example
 * ```ts
 * const [first]: LayerGradientCheck[] = gradientCheck(model, inputs, targets, 'mse').layers;
 * console.log(first.layer, first.weights, first.bias, first.worst); // 0 3e-10 2e-10 3e-10
 * ```
 * @category Gradient check
 */
export interface LayerGradientCheck {
  /** Layer index, input side first. */
  layer: number;
  /** Worst relative error over the checked entries of dE/dW. */
  weights: number;
  /** Worst relative error over dE/dtheta. */
  bias: number;
  /** max(weights, bias). */
  worst: number;
  /** Entries of W and theta compared. */
  checked: number;
  /**
   * Entries left out of the verdict because their step W +/- h moved a net input x of some layer onto or across a
   * kink of its activation (see `Activation.kinks`), where central differences are not valid.
   */
  atKink: number;
}

/**
 * The result of {@link gradientCheck}: per layer, and the worst of all.
 *
 * @example
 * ```ts
 * const result: GradientCheckResult = gradientCheck(model, inputs, targets, 'mse');
 * if (result.worst > 1e-6) console.log(result.layers.filter((l) => l.worst > 1e-6));
 * ```
 * @category Gradient check
 */
export interface GradientCheckResult {
  /** Per layer, input side first. */
  layers: LayerGradientCheck[];
  /** The worst relative error of all layers: below about 1e-6, backpropagation agrees with the numbers. */
  worst: number;
  /** Entries compared, all layers. */
  checked: number;
  /** Entries left out because their step moved a net input onto or across a kink, all layers. */
  atKink: number;
}

function toFloat64(t: Tensor): Tensor {
  return t.dtype === 'float64' ? t : t.clone('float64');
}

/** The indices to check: all of them, or a seeded sample of `max`. */
function entriesToCheck(size: number, max: number, rng: Random): Int32Array {
  const all = Int32Array.from({ length: size }, (_, i) => i);
  if (size <= max) return all;
  return rng.shuffle(all).subarray(0, max);
}

/** True when some net input moved from `before[i]` to `after[i]` onto or across one of `kinks` (or off one). */
function movedOverKink(before: Float64Array, after: TypedArray, kinks: readonly number[]): boolean {
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (a === b) continue; // unmoved: this node adds the same to E(W + h) and E(W - h), kink or not
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    for (const k of kinks) if (low <= k && k <= high) return true;
  }
  return false;
}

/**
 * Checks backpropagation against numbers: for every weight W and bias theta (or a seeded sample), compares the
 * analytic dE/dW from {@link Sequential.backwardLoss} with the central difference (E(W + h) - E(W - h)) / 2h,
 * all in float64 on a copy of `model`. The relative error is |a - n| / max(|a|, |n|, floor).
 *
 * With `penalty`, E includes the L1/L2 penalty of the weights and the analytic gradient its derivative.
 *
 * Dropout is off unless `dropoutMask` is given: then one mask per dropout layer is drawn from that seed and
 * frozen, and the check covers the masked network (dropped nodes get zero gradients on both sides).
 *
 * Central differences are not valid across a point where an activation is not smooth (relu at x = 0, see
 * `Activation.kinks`): an entry whose step W +/- h moves the net input x of some node onto, off or across such a
 * point is left out of the verdict and counted in `atKink`. Entries that move no net input near a kink are still
 * compared, so a wrong derivative still fails.
 *
 * @example
 * ```ts
 * const { worst, layers } = gradientCheck(model, inputs, targets, 'mse');
 * if (worst > 1e-6) throw new Error(`backprop disagrees with finite differences: ${worst}`);
 * ```
 * @category Gradient check
 */
export function gradientCheck(
  model: Sequential,
  inputs: Tensor,
  targets: Tensor,
  lossId: LossIdentifier,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const { epsilon = 1e-5, floor = 1e-4, maxEntries = 2000, seed = 0 } = options;
  const loss = getLoss(lossId);
  const copy = modelFromJSON({ ...modelToJSON(model), dtype: 'float64' });
  const x = toFloat64(inputs);
  const t = toFloat64(targets);
  const kinked = copy.layers.flatMap((layer, i) => {
    const kinks = layer.activation.kinks ?? [];
    return kinks.length > 0 ? [{ layer: i, kinks }] : [];
  });
  const penalty = new Penalty(copy, options.penalty);
  const pass = copy.createPass();
  if (options.dropoutMask !== undefined) {
    pass.dropout = new Random(options.dropoutMask);
    pass.freezeMasks = true; // drawn by the first forward pass below, then reused by every lossAt
  }
  let atKink = false;
  const lossAt = (): number => {
    copy.forward(x, pass);
    for (const { layer, kinks } of kinked) {
      atKink ||= movedOverKink(baseNets[layer]!, pass.layers[layer]!.net.data, kinks);
    }
    return copy.loss(pass, t, loss) + penalty.value();
  };

  copy.zeroGrad();
  copy.forward(x, pass);
  const baseNets = pass.layers.map((layer) => Float64Array.from(layer.net.data));
  copy.backwardLoss(pass, t, loss);
  penalty.addGradients();

  const rng = new Random(seed);
  const check = (value: TypedArray, grad: TypedArray, l1Kink = false) => {
    let worst = 0;
    let checked = 0;
    let skipped = 0;
    for (const i of entriesToCheck(value.length, maxEntries, rng)) {
      const saved = value[i]!;
      if (l1Kink && Math.abs(saved) <= epsilon) {
        skipped++; // |W| is not differentiable at 0
        continue;
      }
      atKink = false;
      value[i] = saved + epsilon;
      const plus = lossAt();
      value[i] = saved - epsilon;
      const minus = lossAt();
      value[i] = saved;
      if (atKink) {
        skipped++;
        continue;
      }
      checked++;
      const numeric = (plus - minus) / (2 * epsilon);
      const analytic = grad[i]!;
      const error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
      worst = Math.max(worst, Number.isNaN(error) ? Infinity : error);
    }
    return { worst, checked, skipped };
  };

  const layers = copy.layers.map((layer, i) => {
    const weights = check(layer.weights.data, layer.weightGrad.data, penalty.l1[i]! > 0);
    const bias = check(layer.bias.data, layer.biasGrad.data);
    return {
      layer: i,
      weights: weights.worst,
      bias: bias.worst,
      worst: Math.max(weights.worst, bias.worst),
      checked: weights.checked + bias.checked,
      atKink: weights.skipped + bias.skipped,
    };
  });
  const sum = (key: 'checked' | 'atKink') => layers.reduce((total, l) => total + l[key], 0);
  return {
    layers,
    worst: Math.max(...layers.map((l) => l.worst)),
    checked: sum('checked'),
    atKink: sum('atKink'),
  };
}
