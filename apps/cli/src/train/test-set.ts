import { getLoss } from '@deltaflow/losses';
import { computeMetrics, evaluateSource } from '@deltaflow/trainer';
import type { Metrics } from '@deltaflow/trainer';
import type { PreparedRun } from './prepare.js';

/** The trained model measured on the `--test-split` rows: loss E (mean over the rows), metrics, rows. */
export interface TestResult {
  loss: number;
  metrics: Metrics;
  samples: number;
}

/**
 * Measures the model of a finished run on its held-out test rows (`--test-split`): the loss E of the run's loss
 * function (without the L1/L2 penalties, as evaluate measures it) and the metrics of the task. Undefined without
 * a test split. The rows were scaled like the training rows by the recipe; dropout is off (inference).
 *
 * @example
 * ```ts
 * // after the run of `prepared` has ended
 * const result = await testResult(prepared); // { loss: 0.08, metrics: { accuracy: 0.96 }, samples: 30 }
 * ```
 */
export async function testResult(prepared: PreparedRun): Promise<TestResult | undefined> {
  const { test, model, options } = prepared;
  const source = prepared.outOfCore?.test;
  if (source) {
    // out-of-core: the test rows of the cache, batch by batch
    return evaluateSource(model, source, {
      loss: options.loss ?? 'mse',
      ...(options.task ? { task: options.task } : {}),
    });
  }
  if (!test) return undefined;
  const pass = model.createPass();
  const inputs = test.inputs.dtype === model.dtype ? test.inputs : test.inputs.clone(model.dtype);
  const targets = test.targets.dtype === model.dtype ? test.targets : test.targets.clone(model.dtype);
  const outputs = model.forward(inputs, pass);
  const loss = model.loss(pass, targets, getLoss(options.loss ?? 'mse'));
  const metrics = computeMetrics(outputs, targets, options.task ?? test.task);
  return { loss, metrics, samples: test.inputs.rows };
}
