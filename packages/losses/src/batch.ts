import { DeltaflowError } from '@deltaflow/tensor';
import type { Tensor } from '@deltaflow/tensor';

function same(a: Tensor, b: Tensor): boolean {
  // Rank 1 or 2: rows and cols (1 and n for rank 1) with the rank fix the shape.
  return a.shape.length === b.shape.length && a.rows === b.rows && a.cols === b.cols;
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
  // Plain tests, not assertShape: its message closures would be allocated on every batch.
  if (!same(output, target)) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${name}: output ${show(output)} and target ${show(target)} differ in shape; give one target per output, as [batchSize, outputs].`,
    );
  }
  if (grad && !same(output, grad)) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${name}: ${gradName} ${show(grad)} must have the output's shape ${show(output)}; allocate it like the output.`,
    );
  }
  if (output.rows <= 0) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${name}: the batch ${show(output)} has no samples; a loss is a mean over at least one sample.`,
    );
  }
  return output.rows;
}
