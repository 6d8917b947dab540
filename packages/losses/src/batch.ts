import { assertShape } from '@deltaflow/tensor';
import type { Tensor } from '@deltaflow/tensor';

function same(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function show(t: Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

/**
 * Checks that `output` and `target` (and `grad`, when given) have one shape and that the batch is not empty,
 * and returns the batch size B (a rank-1 tensor is one sample).
 *
 * @param name - the loss name, for the message
 * @param gradName - what `grad` is called in the message (`'grad'`, `'gradX'`, `'x'`)
 * @throws DeltaflowError `E_SHAPE` naming both shapes
 * @internal
 */
export function batchSize(
  name: string,
  output: Tensor,
  target: Tensor,
  grad?: Tensor,
  gradName = 'grad',
): number {
  assertShape(
    same(output, target),
    () =>
      `${name}: output ${show(output)} and target ${show(target)} differ in shape; give one target per output, as [batchSize, outputs].`,
  );
  if (grad) {
    assertShape(
      same(output, grad),
      () =>
        `${name}: ${gradName} ${show(grad)} must have the output's shape ${show(output)}; allocate it like the output.`,
    );
  }
  assertShape(
    output.rows > 0,
    () => `${name}: the batch ${show(output)} has no samples; a loss is a mean over at least one sample.`,
  );
  return output.rows;
}
