import { DeltaflowError } from '@deltaflow/tensor';
import type { Sequential } from './sequential.js';

/**
 * L1 and L2 penalties on the weights, added to the error: one rate for every layer, or one per layer (input
 * side first, output layer included). Rates are numbers >= 0; 0 or left out is no penalty.
 *
 * @example
 * ```ts
 * const global: PenaltyOptions = { l2: 1e-3 };
 * const perLayer: PenaltyOptions = { l1: [1e-4, 0], l2: [1e-3, 1e-3] };
 * ```
 * @category Network
 */
export interface PenaltyOptions {
  /** lambda_1: adds lambda_1 sum |W_ij| to E. */
  l1?: number | readonly number[];
  /** lambda_2: adds lambda_2 / 2 sum W_ij^2 to E (TensorFlow Playground's L2; the gradient is lambda_2 W). */
  l2?: number | readonly number[];
}

function rates(
  model: Sequential,
  given: number | readonly number[] | undefined,
  name: 'l1' | 'l2',
): Float64Array {
  const n = model.layers.length;
  const out = new Float64Array(n);
  if (given === undefined) return out;
  const list = typeof given === 'number' ? new Array<number>(n).fill(given) : given;
  if (list.length !== n) {
    throw new DeltaflowError(
      'E_OPTION',
      `\`${name}\` has ${list.length} rates but the model has ${n} layers; give one rate, or one per layer (output layer included).`,
    );
  }
  list.forEach((rate, i) => {
    if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) {
      throw new DeltaflowError(
        'E_OPTION',
        `\`${name}\` rates must be numbers >= 0, such as 0.001; got ${String(rate)}.`,
      );
    }
    out[i] = rate;
  });
  return out;
}

/**
 * The L1/L2 penalty of a model's weights W (not the biases theta), as part of the error:
 *
 *     E = E_data + sum over layers [ lambda_1 sum |W_ij| + lambda_2 / 2 sum W_ij^2 ]
 *
 * so backpropagation's dE/dW_ij gets lambda_1 sign(W_ij) + lambda_2 W_ij added, and the rest of the delta rule
 * is unchanged (TensorFlow Playground's "Regularization" choices L1 and L2). {@link Penalty.value} and
 * {@link Penalty.addGradients} read the weights as they are now and allocate nothing.
 *
 * @example
 * ```ts
 * import { getLoss } from '@deltaflow/losses';
 *
 * const penalty = new Penalty(model, { l2: 0.01 });
 * const pass = model.createPass();
 * model.zeroGrad();
 * model.forward(inputs, pass);
 * const E = model.loss(pass, targets, getLoss('mse')) + penalty.value();
 * model.backwardLoss(pass, targets, getLoss('mse'));
 * penalty.addGradients(); // dE/dW += lambda_2 W
 * ```
 * @category Network
 */
export class Penalty {
  /** lambda_1 of each layer, input side first. */
  readonly l1: Float64Array;
  /** lambda_2 of each layer, input side first. */
  readonly l2: Float64Array;
  /** Whether any rate is above 0. */
  readonly active: boolean;

  /**
   * @param model - the model whose weights are penalised
   * @param options - the rates, one for all layers or one per layer
   * @throws DeltaflowError `E_OPTION` for a negative rate or a list of the wrong length
   */
  constructor(
    readonly model: Sequential,
    options: PenaltyOptions = {},
  ) {
    this.l1 = rates(model, options.l1, 'l1');
    this.l2 = rates(model, options.l2, 'l2');
    this.active = this.l1.some((r) => r > 0) || this.l2.some((r) => r > 0);
  }

  /** The penalty's part of E now: sum over layers of lambda_1 sum |W| + lambda_2 / 2 sum W^2. */
  value(): number {
    if (!this.active) return 0;
    let total = 0;
    const layers = this.model.layers;
    for (let l = 0; l < layers.length; l++) {
      const a = this.l1[l]!;
      const b = this.l2[l]!;
      if (a === 0 && b === 0) continue;
      const w = layers[l]!.weights.data;
      let abs = 0;
      let squares = 0;
      for (let i = 0; i < w.length; i++) {
        const v = w[i]!;
        abs += Math.abs(v);
        squares += v * v;
      }
      total += a * abs + 0.5 * b * squares;
    }
    return total;
  }

  /** Adds the penalty's gradient to dE/dW: lambda_1 sign(W_ij) + lambda_2 W_ij (sign(0) = 0). */
  addGradients(): void {
    if (!this.active) return;
    const layers = this.model.layers;
    for (let l = 0; l < layers.length; l++) {
      const a = this.l1[l]!;
      const b = this.l2[l]!;
      if (a === 0 && b === 0) continue;
      const w = layers[l]!.weights.data;
      const g = layers[l]!.weightGrad.data;
      for (let i = 0; i < w.length; i++) {
        const v = w[i]!;
        g[i] += a * (v > 0 ? 1 : v < 0 ? -1 : 0) + b * v;
      }
    }
  }

  /** The rates as plain data for a model file's meta or an event: `{ l1?, l2? }`, each a number or per layer. */
  toJSON(): { l1?: number | number[]; l2?: number | number[] } {
    const compact = (r: Float64Array): number | number[] | undefined => {
      if (!r.some((v) => v > 0)) return undefined;
      return r.every((v) => v === r[0]) ? r[0]! : Array.from(r);
    };
    const l1 = compact(this.l1);
    const l2 = compact(this.l2);
    return { ...(l1 !== undefined ? { l1 } : {}), ...(l2 !== undefined ? { l2 } : {}) };
  }
}
