// `deltaflow gradcheck` at kinks: on the default data (xor, whose sample (0,0) and zero biases put net inputs
// exactly on x = 0) every built-in activation and every example plugin activation passes, the entries whose step
// moved a net input onto or across a declared kink are counted and left out, and wrong derivatives still fail.
import { describe, expect, it } from 'vitest';
import { cliRoot, lastLine, runCli, tempDir, writeFiles } from './helpers.js';

interface GradcheckJson {
  passed: boolean;
  worst: number;
  checked: number;
  atKink: number;
  layers: { layer: number; worst: number; checked: number; atKink: number }[];
}

const parse = (stdout: string) => JSON.parse(lastLine(stdout)) as GradcheckJson;

// From the CLI's own folder, so that the package name @deltaflow/plugin-activations resolves.
const examples = ['--plugin', '@deltaflow/plugin-activations'];

describe('deltaflow gradcheck --activation A on the default data', async () => {
  const list = await runCli(['plugins', '--json'], cliRoot);
  const builtins = (
    JSON.parse(lastLine(list.stdout)) as { activations: { name: string; source: string }[] }
  ).activations
    .filter((a) => a.source === 'builtin')
    .map((a) => a.name);

  it('lists the built-in activations, kinked ones among them', () => {
    expect(builtins).toEqual(expect.arrayContaining(['sigmoid', 'relu', 'leaky-relu', 'elu', 'tanh']));
  });

  it.each(builtins)('passes for the built-in %s', async (activation) => {
    const { code, stdout, stderr } = await runCli(
      ['gradcheck', '--activation', activation, '--json'],
      cliRoot,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = parse(stdout);
    expect(result).toMatchObject({ passed: true });
    expect(result.worst).toBeLessThan(1e-6);
    expect(result.checked).toBeGreaterThan(0);
    // relu, leaky-relu and elu: the four first-layer biases move the (0,0) sample's net input off x = 0
    expect(result.atKink).toBe(['relu', 'leaky-relu', 'elu'].includes(activation) ? 4 : 0);
  });

  it.each(['mish', 'softsign', 'hard-sigmoid'])(
    'passes for the example plugin activation %s',
    async (activation) => {
      const { code, stdout } = await runCli(
        ['gradcheck', ...examples, '--activation', activation, '--json'],
        cliRoot,
      );
      expect(code).toBe(0);
      const result = parse(stdout);
      expect(result.passed).toBe(true);
      expect(result.worst).toBeLessThan(1e-6);
      expect(result.atKink).toBe(activation === 'softsign' ? 4 : 0);
    },
  );

  it('says how many entries sat at a kink, per layer in --json and in the text', async () => {
    const text = await runCli(['gradcheck', '--activation', 'relu'], cliRoot);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^4 entries sat at a kink and were left out \(.*\); 13 checked\.$/m);
    expect(text.stdout).toMatch(/tolerance 1e-6: passed/);
    const json = parse((await runCli(['gradcheck', '--activation', 'relu', '--json'], cliRoot)).stdout);
    expect(json.layers.map((l) => [l.atKink, l.checked])).toEqual([
      [4, 8], // 2 x 4 weights checked, 4 biases left out
      [0, 5],
    ]);
  });
});

describe('deltaflow gradcheck with wrong derivatives', () => {
  const dir = tempDir();
  // Each declares its kink, so a wrong derivative cannot hide behind it.
  writeFiles(dir, {
    'wrong.mjs': `export default {
  name: 'wrong-derivatives',
  activations: [
    { name: 'half-relu', f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 0.5 : 0), kinks: [0] },
    { name: 'bad-softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)), kinks: [0] },
    { name: 'good-relu', f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
    { name: 'undeclared-relu', f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  ],
};
`,
  });
  const plugin = ['--plugin', './wrong.mjs'];

  it.each(['half-relu', 'bad-softsign'])('fails for %s', async (activation) => {
    const { code, stdout, stderr } = await runCli(['gradcheck', ...plugin, '--activation', activation], dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/4 entries sat at a kink and were left out/);
    expect(stdout).toMatch(/: FAILED$/m);
    expect(stderr).toMatch(
      /^deltaflow: gradient check failed: the worst relative error .* is above the tolerance/,
    );
    const json = parse(
      (await runCli(['gradcheck', ...plugin, '--activation', activation, '--json'], dir)).stdout,
    );
    expect(json.passed).toBe(false);
    expect(json.worst).toBeGreaterThan(1e-2);
  });

  it('passes for a correct plugin relu that declares its kink, and fails for one that does not', async () => {
    const good = parse(
      (await runCli(['gradcheck', ...plugin, '--activation', 'good-relu', '--json'], dir)).stdout,
    );
    expect(good).toMatchObject({ passed: true, atKink: 4 });
    const undeclared = await runCli(
      ['gradcheck', ...plugin, '--activation', 'undeclared-relu', '--json'],
      dir,
    );
    expect(undeclared.code).toBe(1);
    expect(parse(undeclared.stdout)).toMatchObject({ passed: false, atKink: 0 });
  });
});

describe('deltaflow gradcheck sweeps every activation over -10..10', () => {
  const dir = tempDir();
  // Right within -2.5..2.5, where xor's net inputs stay, 10% off outside: the layer check cannot see it.
  writeFiles(dir, {
    'far.mjs': `export default {
  name: 'far-off',
  activations: [
    { name: 'far-tanh', f: (x) => Math.tanh(x), df: (x, y) => (1 - y * y) * (Math.abs(x) > 2.5 ? 1.1 : 1) },
  ],
};
`,
  });

  it('catches a df that is wrong only for |x| > 2.5, naming the activation and the worst x', async () => {
    const args = ['gradcheck', '--plugin', './far.mjs', '--activation', 'far-tanh'];
    const json = await runCli([...args, '--json'], dir);
    expect(json.code).toBe(1);
    const result = JSON.parse(lastLine(json.stdout)) as GradcheckJson & {
      activations: { name: string; worst: number; worstX: number }[];
    };
    // the layers alone pass: the net inputs of xor stay within |x| <= 2.5
    expect(result.worst).toBeLessThan(1e-6);
    expect(result.passed).toBe(false);
    const far = result.activations.find((a) => a.name === 'far-tanh')!;
    expect(far.worst).toBeGreaterThan(0.05);
    expect(Math.abs(far.worstX)).toBeGreaterThan(2.5);
    expect(result.activations.find((a) => a.name === 'sigmoid')!.worst).toBeLessThan(1e-6);
    const text = await runCli(args, dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^far-tanh: worst relative error .* at x = -?\d/m);
    expect(text.stdout).toMatch(/: FAILED$/m);
    expect(text.stderr).toMatch(
      /^deltaflow: gradient check failed: the derivative of the activation far-tanh is off at x = -?\d.*; fix its df there\.$/m,
    );
  });

  it('sweeps the output activation too, and passes a right one', async () => {
    const ok = await runCli(['gradcheck', '--output-activation', 'tanh', '--json'], cliRoot);
    expect(ok.code).toBe(0);
    const names = (JSON.parse(lastLine(ok.stdout)) as { activations: { name: string }[] }).activations.map(
      (a) => a.name,
    );
    expect(names).toEqual(['sigmoid', 'tanh']);
    const bad = await runCli(
      ['gradcheck', '--plugin', './far.mjs', '--output-activation', 'far-tanh', '--json'],
      dir,
    );
    expect(bad.code).toBe(1);
  });
});
