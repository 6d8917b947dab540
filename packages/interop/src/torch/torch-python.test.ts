// The PyTorch export, loaded by PyTorch itself: for every built-in activation, both dtypes, with and without a
// stored scaler, `load()` of model.py (torch alone) gives the network's outputs within 1e-6 (float32) and 1e-12
// (float64). Runs Debian's python3 with python3-torch (or $DELTAFLOW_PYTHON) as a subprocess; on a machine without
// torch it says, visibly, that it was skipped and why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { modelFromJSON } from '@deltaflow/network';
import { ACTIVATIONS, label, randomInputs, reference, testModel } from '../testing/models.js';
import { fromSafetensors } from './from-safetensors.js';
import type { TestActivation } from '../testing/models.js';
import { toTorch } from './to-torch.js';

const python =
  process.env['DELTAFLOW_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
const torchVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
const missing = `${python} cannot import torch (${
  probe.error ? probe.error.message : (probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`)
}); install Debian's python3-torch (apt-get install python3-torch) or set DELTAFLOW_PYTHON`;

const RUNNER = `
import importlib.util, json, sys
import torch

jobs = json.load(open(sys.argv[1]))
results = []
for i, job in enumerate(jobs):
    spec = importlib.util.spec_from_file_location("deltaflow_model_%d" % i, job["dir"] + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.load()
    with torch.no_grad():
        y = net(torch.tensor(job["inputs"], dtype=module.DTYPE))
    results.append({
        "outputs": y.to(torch.float64).tolist(),
        "dtype": str(y.dtype),
        "training": net.training,
        "modules": [type(m).__name__ for m in net],
        "classNames": module.CLASS_NAMES,
        "classify": module.classify(y),
    })
print(json.dumps(results))
`;

interface TorchResult {
  outputs: number[][];
  dtype: string;
  training: boolean;
  modules: string[];
  classNames: string[] | null;
  classify: (string | number)[];
}

interface Case {
  name: string;
  activation: TestActivation;
  dtype: 'float32' | 'float64';
  scaler: boolean;
  dropout: number;
}

const cases: Case[] = ACTIVATIONS.flatMap((activation) =>
  (['float32', 'float64'] as const).flatMap((dtype) =>
    [false, true].map((scaler) => ({
      name: `${label(activation)}, ${dtype}, ${scaler ? 'with' : 'without'} a scaler`,
      activation,
      dtype,
      scaler,
      dropout: scaler ? 0.2 : 0,
    })),
  ),
);

if (torchVersion === undefined) {
  describe('PyTorch export checked by PyTorch', () => {
    it(`SKIPPED, torch is not available: ${missing}`, () => {
      console.warn(`PyTorch export checks SKIPPED: ${missing}.`);
      expect(torchVersion).toBeUndefined();
    });
  });
} else
  describe(`PyTorch export checked by PyTorch ${torchVersion}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'deltaflow-torch-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const rows = randomInputs(20, 3, 11);
    let results: TorchResult[] = [];

    beforeAll(() => {
      const jobs = cases.map((c, i) => {
        const model = testModel(c.activation, {
          dtype: c.dtype,
          scaler: c.scaler,
          sizes: [3, 5, 4, 3],
          dropout: c.dropout,
          classNames: ['a', 'b', 'c'],
        });
        const { safetensors, python: source } = toTorch(model);
        const out = join(dir, `m${i}`);
        mkdirSync(out);
        writeFileSync(join(out, 'model.safetensors'), safetensors);
        writeFileSync(join(out, 'model.py'), source);
        return { dir: out, inputs: rows };
      });
      writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
      writeFileSync(join(dir, 'runner.py'), RUNNER);
      const run = spawnSync(python, [join(dir, 'runner.py'), join(dir, 'jobs.json')], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
      results = JSON.parse(run.stdout) as TorchResult[];
    }, 180_000);

    cases.forEach((c, i) => {
      it(`${c.name}: load() matches the network`, () => {
        const result = results[i]!;
        const model = testModel(c.activation, {
          dtype: c.dtype,
          scaler: c.scaler,
          sizes: [3, 5, 4, 3],
          dropout: c.dropout,
          classNames: ['a', 'b', 'c'],
        });
        // float32: the TypeScript kernels, which sum in float64 like torch's own reference is closest to
        const expected = reference(model, rows, { js: true });
        const tolerance = c.dtype === 'float64' ? 1e-12 : 1e-6;
        expect(result.dtype).toBe(c.dtype === 'float64' ? 'torch.float64' : 'torch.float32');
        expect(result.training).toBe(false);
        expect(result.classNames).toEqual(['a', 'b', 'c']);
        expect(result.modules[0]).toBe(c.scaler ? 'Standardize' : 'Linear');
        expect(result.modules.includes('Dropout')).toBe(c.dropout > 0);
        let worst = 0;
        result.outputs.forEach((row, r) =>
          row.forEach((v, k) => {
            const e = expected[r]![k]!;
            worst = Math.max(worst, Math.abs(v - e) / Math.max(1, Math.abs(e)));
          }),
        );
        expect(worst).toBeLessThanOrEqual(tolerance);
      });
    });

    // The other direction: a state dict that PyTorch made, written as safetensors' save_file writes it (tensors
    // sorted by name, header padded to 8 bytes; the safetensors Python package is not in Debian, so the writer is
    // spelled out here from the format), imported with a layer spec, predicts what torch predicted.
    const IMPORT_RUNNER = `
import json, struct, sys
import torch
from torch import nn

def save_file(tensors, path):
    names = sorted(tensors)
    header, offset, blobs = {}, 0, []
    for name in names:
        t = tensors[name].contiguous()
        data = t.numpy().tobytes() if hasattr(t, "numpy") else bytes(t.untyped_storage())
        header[name] = {"dtype": {torch.float32: "F32", torch.float64: "F64"}[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

dtype = {"float32": torch.float32, "float64": torch.float64}[sys.argv[2]]
torch.manual_seed(5)
net = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 4), nn.ELU(), nn.Linear(4, 2), nn.Softmax(dim=-1)).to(dtype).eval()
save_file(net.state_dict(), sys.argv[1])
x = torch.tensor(json.loads(sys.argv[3]), dtype=dtype)
with torch.no_grad():
    print(json.dumps(net(x).to(torch.float64).tolist()))
`;

    it.each(['float32', 'float64'] as const)(
      'imports a state dict PyTorch saved (%s) and predicts what torch predicted',
      (dtype) => {
        writeFileSync(join(dir, 'import-runner.py'), IMPORT_RUNNER);
        const file = join(dir, `state-${dtype}.safetensors`);
        const inputs = randomInputs(12, 3, 21);
        const run = spawnSync(python, [join(dir, 'import-runner.py'), file, dtype, JSON.stringify(inputs)], {
          encoding: 'utf8',
        });
        if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
        const torchOutputs = JSON.parse(run.stdout) as number[][];
        const json = fromSafetensors(readFileSync(file), {
          layers: [6, 4],
          activation: 'tanh',
          outputActivation: 'softmax',
        });
        json.layers[1] = { ...json.layers[1]!, activation: 'elu' } as (typeof json.layers)[number];
        const model = modelFromJSON(json);
        expect(model.dtype).toBe(dtype);
        const ours = reference(model, inputs, { js: true });
        const tolerance = dtype === 'float64' ? 1e-12 : 1e-6;
        ours.forEach((row, r) =>
          row.forEach((v, k) => expect(Math.abs(v - torchOutputs[r]![k]!)).toBeLessThanOrEqual(tolerance)),
        );
      },
      60_000,
    );
  });
