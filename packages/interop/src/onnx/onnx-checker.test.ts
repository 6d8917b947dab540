// Every exported file passes onnx.checker.check_model (full_check) of Debian's python3-onnx, an independent
// reader of the format. Without /usr/bin/python3 and its onnx module the test says it was skipped, and why.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivationIdentifier } from '@deltaflow/activations';
import { pluginRegistries } from '@deltaflow/core';
import { mlp } from '@deltaflow/network';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON, checkTitle, pythonWith } from '../../test/onnx-helpers.js';
import { toOnnx } from './export.js';

const found = pythonWith(['onnx']);
const dir = mkdtempSync(join(tmpdir(), 'deltaflow-onnx-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACTIVATIONS: ActivationIdentifier[] = [
  ...pluginRegistries.activation.names().filter((n) => pluginRegistries.activation.source(n) === 'builtin'),
  { name: 'gelu', config: { approximate: 'tanh' } },
  { name: 'softplus', config: { beta: 2, threshold: 5 } },
];

describe(checkTitle('onnx.checker.check_model (python3-onnx)', found), () => {
  it.skipIf(!found.ok)(
    'accepts every exported file: each built-in activation, both dtypes, with and without a scaler',
    () => {
      const files: string[] = [];
      for (const activation of ACTIVATIONS) {
        for (const dtype of ['float32', 'float64'] as const) {
          for (const scaled of [false, true]) {
            const model = mlp({
              inputs: 3,
              dtype,
              seed: 1,
              layers: [
                { units: 4, activation, dropout: 0.2 },
                { units: 2, activation },
              ],
            });
            if (scaled)
              model.meta = {
                scaler: { kind: 'standard', offset: [1, 2, 3], scale: [1, 2, 3] },
                classNames: ['x', 'y'],
              };
            const file = join(
              dir,
              `${files.length}-${typeof activation === 'string' ? activation : (activation as { name: string }).name}-${dtype}${scaled ? '-scaled' : ''}.onnx`,
            );
            writeFileSync(file, toOnnx(model));
            files.push(file);
          }
        }
      }
      const script = [
        'import sys, onnx',
        'for path in sys.argv[1:]:',
        '    model = onnx.load(path)',
        '    onnx.checker.check_model(model, full_check=True)',
        '    print("ok", path, model.opset_import[0].version, dict((p.key, p.value) for p in model.metadata_props).get("deltaflow.classNames", "-"))',
      ].join('\n');
      const run = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(files.length);
      expect(lines.every((line) => line.startsWith('ok ') && / 17 /.test(line))).toBe(true);
      expect(lines.filter((line) => line.endsWith('["x","y"]'))).toHaveLength(files.length / 2);
    },
  );
});
