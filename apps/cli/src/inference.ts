import type { Tensor } from '@deltaflow/tensor';

/** Rows of a `[N, K]` tensor as plain arrays. */
export function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.rows }, (_, i) => Array.from(t.data.subarray(i * t.cols, (i + 1) * t.cols)));
}
