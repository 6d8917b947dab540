// `deltaflow export --format torch|js` and `deltaflow import --from x.safetensors` through the real process: the
// files they write, that the standalone module predicts what `deltaflow predict` does (float64: bit for bit),
// that an export imported back is the same model, and the refusals as one line with a non-zero exit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelFile } from './helpers.js';
import { lastLine, readJson, runCli, softsignPlugin, tempDir, writeFiles } from './helpers.js';

const dir = tempDir('deltaflow-export-');

/** The stderr of a refused command: one line, `deltaflow: ...`. */
function oneLineError(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^deltaflow: /);
  return lines[0]!;
}

beforeAll(async () => {
  writeFiles(dir, {
    'softsign.mjs': softsignPlugin,
    // a plugin whose f uses a variable around it: it works in deltaflow, but its source alone does not
    'scaled.mjs': `const k = 1.5;\nexport default { name: 'scaled-plugin', activations: [{ name: 'scaled', f: (x) => k * Math.tanh(x), df: (x) => k * (1 - Math.tanh(x) ** 2) }] };\n`,
  });
  const runs = await Promise.all([
    runCli(['train', '--dtype', 'float64', '--epochs', '300', '--normalize', '--save', 'xor64.json'], dir),
    runCli(['train', '--epochs', '100', '--activation', 'relu', '--save', 'xor32.json'], dir),
    runCli(
      [
        'train',
        '--epochs',
        '50',
        '--activation',
        'softsign',
        '--plugin',
        './softsign.mjs',
        '--save',
        'soft.json',
      ],
      dir,
    ),
    runCli(
      [
        'train',
        '--epochs',
        '20',
        '--activation',
        'scaled',
        '--plugin',
        './scaled.mjs',
        '--save',
        'scaled.json',
      ],
      dir,
    ),
  ]);
  for (const run of runs) expect(run.stderr).toBe('');
}, 120_000);

describe('deltaflow export --format js', () => {
  it('writes FILE.js and FILE.d.ts; the module predicts what deltaflow predict prints, bit for bit (float64)', async () => {
    const { code, stdout, stderr } = await runCli(
      ['export', '--model', 'xor64.json', '--format', 'js', '--out', 'xor64.mjs'],
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Wrote xor64.mjs and xor64.d.mts');
    expect(readFileSync(join(dir, 'xor64.d.mts'), 'utf8')).toContain('export declare function predictBatch(');
    const rows = ['0,0', '0,1', '1,0', '1,1', '0.25,-3.5'];
    const predicted = await runCli(
      ['predict', '--model', 'xor64.json', ...rows.flatMap((r) => ['--input', r]), '--json'],
      dir,
    );
    const expected = (JSON.parse(lastLine(predicted.stdout)) as { predictions: { output: number[] }[] })
      .predictions;
    const mod = (await import(pathToFileURL(join(dir, 'xor64.mjs')).href)) as {
      predict(x: number[]): number[];
      predictBatch(x: number[][]): number[][];
      scaler: unknown;
    };
    expect(mod.scaler).not.toBeNull(); // trained with --normalize: the module applies the stored scaler
    const inputs = rows.map((r) => r.split(',').map(Number));
    inputs.forEach((x, i) => expect(mod.predict(x)).toEqual(expected[i]!.output));
  });

  it("embeds a plugin activation's function", async () => {
    const { code, stderr } = await runCli(
      ['export', '--model', 'soft.json', '--format', 'js', '--out', 'soft.js', '--plugin', './softsign.mjs'],
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const js = readFileSync(join(dir, 'soft.js'), 'utf8');
    expect(js).toContain("the plugin activation 'softsign'");
    expect(js).toContain('x / (1 + Math.abs(x))');
    expect(existsSync(join(dir, 'soft.d.ts'))).toBe(true);
  });

  it('refuses a plugin function that cannot be serialised, naming it, and writes nothing', async () => {
    const { code, stderr } = await runCli(
      [
        'export',
        '--model',
        'scaled.json',
        '--format',
        'js',
        '--out',
        'scaled.js',
        '--plugin',
        './scaled.mjs',
      ],
      dir,
    );
    expect(code).toBe(1);
    expect(oneLineError(stderr)).toMatch(
      /The plugin activation 'scaled' cannot go into a standalone module: its f uses something outside itself/,
    );
    expect(existsSync(join(dir, 'scaled.js'))).toBe(false);
  });

  it('refuses an --out that is not a .js or .mjs file (usage error)', async () => {
    const { code, stderr } = await runCli(
      ['export', '--model', 'xor64.json', '--format', 'js', '--out', 'xor.txt'],
      dir,
    );
    expect(code).toBe(2);
    expect(oneLineError(stderr)).toMatch(/--out xor\.txt must name a \.js or \.mjs file/);
  });
});

describe('deltaflow export --format torch, then import', () => {
  it('writes DIR/model.safetensors and DIR/model.py, and imports back to the same model file', async () => {
    const exported = await runCli(
      ['export', '--model', 'xor64.json', '--format', 'torch', '--out', 'torch64'],
      dir,
    );
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(readFileSync(join(dir, 'torch64', 'model.py'), 'utf8')).toContain('def load(');
    const imported = await runCli(
      ['import', '--from', join('torch64', 'model.safetensors'), '--save', 'back64.json'],
      dir,
    );
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Wrote back64.json: 2-4-1, float64, sigmoid, sigmoid');
    const before = readJson<ModelFile>(dir, 'xor64.json');
    const after = readJson<ModelFile>(dir, 'back64.json');
    expect(after.layers).toEqual(before.layers);
    expect(after.meta?.['scaler']).toEqual(before.meta?.['scaler']);
  });

  it('keeps float32 weights bit for bit, and takes the layer spec for a file that does not name activations', async () => {
    await runCli(['export', '--model', 'xor32.json', '--format', 'torch', '--out', 'torch32'], dir);
    // the same weights without deltaflow's metadata, as PyTorch's save_file would write them
    const bytes = readFileSync(join(dir, 'torch32', 'model.safetensors'));
    const length = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
    delete header['__metadata__'];
    const text = Buffer.from(JSON.stringify(header));
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(text.length));
    writeFileSync(join(dir, 'plain.safetensors'), Buffer.concat([size, text, bytes.subarray(8 + length)]));

    const missing = await runCli(['import', '--from', 'plain.safetensors', '--save', 'plain.json'], dir);
    expect(missing.code).toBe(1);
    expect(oneLineError(missing.stderr)).toMatch(/does not say which activation its layers use/);

    const wrong = await runCli(
      [
        'import',
        '--from',
        'plain.safetensors',
        '--layers',
        '8',
        '--activation',
        'relu',
        '--save',
        'plain.json',
      ],
      dir,
    );
    expect(wrong.code).toBe(1);
    expect(oneLineError(wrong.stderr)).toMatch(/has the hidden layers 4 but the layer spec says 8/);

    const ok = await runCli(
      [
        'import',
        '--from',
        'plain.safetensors',
        '--layers',
        '4',
        '--activation',
        'relu',
        '--output-activation',
        'sigmoid',
        '--save',
        'plain.json',
      ],
      dir,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const before = readJson<ModelFile>(dir, 'xor32.json');
    const after = readJson<ModelFile>(dir, 'plain.json');
    expect(after.dtype).toBe('float32');
    expect(after.layers.map((l) => [l.weights, l.bias])).toEqual(
      before.layers.map((l) => [l.weights, l.bias]),
    );
  });

  it('refuses a plugin activation, naming it', async () => {
    const { code, stderr } = await runCli(
      [
        'export',
        '--model',
        'soft.json',
        '--format',
        'torch',
        '--out',
        'soft-torch',
        '--plugin',
        './softsign.mjs',
      ],
      dir,
    );
    expect(code).toBe(1);
    expect(oneLineError(stderr)).toMatch(
      /activation 'softsign' of layer 0 comes from a plugin and has no PyTorch module/,
    );
  });

  it('refuses an --out that is a file', async () => {
    const { code, stderr } = await runCli(
      ['export', '--model', 'xor64.json', '--format', 'torch', '--out', 'xor32.json'],
      dir,
    );
    expect(code).toBe(1);
    expect(oneLineError(stderr)).toMatch(/Cannot write --out xor32\.json: it is a file/);
  });
});

describe('deltaflow import: bad input', () => {
  it('refuses a file that is not safetensors, in one sentence', async () => {
    writeFileSync(join(dir, 'junk.safetensors'), 'this is not a safetensors file at all');
    const { code, stderr } = await runCli(['import', '--from', 'junk.safetensors', '--save', 'j.json'], dir);
    expect(code).toBe(1);
    expect(oneLineError(stderr)).toMatch(
      /^deltaflow: junk\.safetensors is not a usable safetensors file: its header length \d+ runs past the end/,
    );
    expect(existsSync(join(dir, 'j.json'))).toBe(false);
  });

  it('refuses a missing file, an unknown extension and an unknown activation', async () => {
    const missing = await runCli(['import', '--from', 'nope.safetensors', '--save', 'j.json'], dir);
    expect(missing.code).toBe(1);
    expect(oneLineError(missing.stderr)).toMatch(
      /Cannot read --from nope\.safetensors: there is no such file/,
    );
    const ext = await runCli(['import', '--from', 'model.bin', '--save', 'j.json'], dir);
    expect(ext.code).toBe(2);
    expect(oneLineError(ext.stderr)).toMatch(/deltaflow imports \.onnx and \.safetensors files/);
    const act = await runCli(
      ['import', '--from', join('torch64', 'model.safetensors'), '--activation', 'relux', '--save', 'j.json'],
      dir,
    );
    expect(act.code).toBe(2);
    expect(oneLineError(act.stderr)).toMatch(/--activation: unknown activation 'relux'/);
  });

  it('shows examples in --help', async () => {
    for (const command of ['export', 'import']) {
      const { code, stdout } = await runCli([command, '--help'], dir);
      expect(code).toBe(0);
      expect(stdout).toContain('Examples:');
      expect(stdout).toContain(`deltaflow ${command} --`);
    }
  });
});
