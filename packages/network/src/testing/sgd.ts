import type { Parameter } from '@deltaflow/core';

/**
 * Plain gradient descent with optional momentum, for this package's tests (network does not depend on
 * `@deltaflow/optimizers`): v <- momentum v + dE/dW, W <- W - eta v, as torch.optim.SGD without dampening.
 * The velocity buffers are made once, so a step allocates nothing.
 */
export function sgdForTests(
  parameters: readonly Parameter[],
  options: { lr: number; momentum?: number },
): { step(): void } {
  const { lr, momentum = 0 } = options;
  const velocities = parameters.map((p) => new Float64Array(p.value.size));
  return {
    step(): void {
      parameters.forEach((p, k) => {
        const w = p.value.data;
        const g = p.grad.data;
        const v = velocities[k]!;
        for (let i = 0; i < w.length; i++) {
          v[i] = momentum * v[i]! + g[i]!;
          w[i] = w[i]! - lr * v[i]!;
        }
      });
    },
  };
}
