import { describe, expect, it } from 'vitest';
import { jsBackend } from '@deltaflow/tensor';
import { W2, W3, head, initialWeights, mnistData, wideData } from '../workloads.js';
import type { Data, Workload } from '../workloads.js';
import { DeltaflowRunner } from './deltaflow.js';
import type { RunPlan } from './runner.js';
import { TorchRunner, probeTorch, torchEnv } from './torch.js';

const torch = probeTorch();

/** One epoch of one batch: its loss is E before the update, the same whatever the order of the samples. */
function oneBatch(workload: Workload, data: Data): RunPlan {
  return { workload, weights: initialWeights(workload), data, epochs: 1 };
}

describe('the PyTorch column', () => {
  it('runs torch on the asked threads, with idle OpenMP threads asleep (spinning ones starve OpenBLAS)', () => {
    expect(torchEnv(2)).toMatchObject({
      OMP_NUM_THREADS: '2',
      OPENBLAS_NUM_THREADS: '2',
      OMP_WAIT_POLICY: 'PASSIVE',
    });
  });

  it('says why it is missing: no such Python, or a Python without torch', () => {
    const missing = probeTorch('/nonexistent/python3');
    expect('reason' in missing && missing.reason).toMatch(/\/nonexistent\/python3 not found/);
    const noTorch = probeTorch(process.execPath); // node is not a Python: "cannot import torch"
    expect('reason' in noTorch && noTorch.reason).toMatch(/cannot import torch/);
  });

  it('trains the same network from the same weights as deltaflow: equal loss on W2 and W3 (or says why not)', async () => {
    if (!('version' in torch)) {
      // no torch here: the column's reason is what the bench prints instead of the numbers
      expect(torch.reason).toMatch(/torch|not found/);
      return;
    }
    const deltaflow = new DeltaflowRunner('deltaflow-js', () => jsBackend, true);
    const { train } = await mnistData();
    for (const plan of [oneBatch(W2, head(train, 32)), oneBatch(W3, wideData(8))]) {
      const ours = await deltaflow.run(plan);
      for (const threads of [1, 2]) {
        const runner = new TorchRunner(threads, torch.version, torch.blas);
        const theirs = await runner.run(plan);
        expect(theirs.samples).toBe(plan.data.rows);
        expect(theirs.loss).toBeCloseTo(ours.loss, 5);
        runner.stop();
      }
    }
  });
});
