import { DeltaflowError } from '@deltaflow/tensor';

/**
 * What the compatibility rules look at: the loss name, the output layer's transfer function and its number of
 * outputs (the target columns).
 *
 * @example
 * ```ts
 * const pairing: OutputPairing = { loss: 'cross-entropy', outputActivation: 'softmax', outputs: 3 };
 * ```
 * @category Recipe
 */
export interface OutputPairing {
  /** The loss name, such as `'cross-entropy'`. */
  loss: string;
  /** The output layer's transfer function name, such as `'softmax'`. */
  outputActivation: string;
  /** The output layer's units: the data's target columns. */
  outputs: number;
}

/**
 * The loss/output rules every run obeys, wherever it is described (your code, the CLI, the dashboard):
 *
 * - cross-entropy (-sum_k t_k log O_k) needs two or more outputs: on one output it is 0 whenever t = 0, so a
 *   network learns to say 1 everywhere; one 0/1 target takes binary-cross-entropy;
 * - a softmax output needs two or more outputs: on one output O = 1 always, and nothing can be learnt.
 *
 * @example
 * ```ts
 * checkOutputPairing({ loss: 'cross-entropy', outputActivation: 'sigmoid', outputs: 1 }); // throws E_OPTION
 * ```
 * @throws DeltaflowError `E_OPTION` with one sentence naming the rule and the fix
 * @category Recipe
 */
export function checkOutputPairing(pairing: OutputPairing): void {
  const { loss, outputActivation, outputs } = pairing;
  if (loss === 'cross-entropy' && outputs < 2) {
    throw new DeltaflowError(
      'E_OPTION',
      `The loss cross-entropy needs one-hot targets (two or more target columns), but the data has ${outputs}; for one 0/1 target use the loss binary-cross-entropy, or read its labels as classes with \`targetType\` class.`,
    );
  }
  if (outputActivation === 'softmax' && outputs < 2) {
    throw new DeltaflowError(
      'E_OPTION',
      `The output activation softmax needs two or more outputs (it always gives 1 on one output), but the data has ${outputs} target column; use sigmoid for one 0/1 target.`,
    );
  }
}
