import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activations } from '@deltaflow/activations';
import { xor } from '@deltaflow/data';
import { gradientCheck, installPlugin, mlp } from '@deltaflow/network';
import { loadModel, loadPlugin, saveModel } from '@deltaflow/network/node';
import { createOptimizer, optimizers } from '@deltaflow/optimizers';
import { Tensor } from '@deltaflow/tensor';
import { train } from '@deltaflow/trainer';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './support/markdown.js';
import { cleanEnv, root } from './support/workspace.js';

// Must-show: a plugin written from the guide alone ("Writing a plugin"), a plain module with no imports holding
// an elementwise activation and an optimizer rule, works in code (loadPlugin + one installPlugin call; train,
// gradientCheck, save and load) and in every CLI command the guide shows; without it, a saved model naming its
// activation fails to load with a message naming the activation and --plugin.

const guide = 'docs/guides/writing-a-plugin.md';
const blocks = codeBlocks(guide);
const moduleBlock = blocks.find((block) => block.code.startsWith('// my-plugin.mjs'));
const commands = blocks
  .filter((block) => block.lang === 'sh')
  .flatMap((block) => block.code.split('\n'))
  .filter((line) => line.startsWith('deltaflow '));
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deltaflow-plugin-guide-'));
  writeFileSync(join(dir, 'my-plugin.mjs'), moduleBlock!.code);
});
afterAll(() => {
  activations.unregister('isru');
  optimizers.unregister('heavy-ball');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the plugin of "Writing a plugin"', () => {
  it('is a plain module with no imports', () => {
    expect(moduleBlock, `${guide} has no block starting with // my-plugin.mjs`).toBeDefined();
    expect(moduleBlock!.code).not.toMatch(/^\s*import\b|require\(/m);
  });

  it('in code: loads, installs with one call, trains, passes the gradient check, saves and loads', async () => {
    installPlugin(await loadPlugin('./my-plugin.mjs', { cwd: dir }));
    expect([activations.source('isru'), optimizers.source('heavy-ball')]).toEqual(['my-plugin', 'my-plugin']);

    const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'isru' }, { units: 1 }], seed: 42 });
    const data = xor();
    expect(gradientCheck(model, data.inputs, data.targets, 'mse').worst).toBeLessThan(1e-6);
    const end = await lastValueFrom(
      train(model, data, { epochs: 1000, batchSize: 4, optimizer: 'heavy-ball', lr: 0.3 }),
    );
    expect(end.type === 'end' && end.reason).toBe('completed');
    const outputs = Array.from(model.forward(data.inputs).data);
    expect(outputs.map(Math.round)).toEqual([0, 1, 1, 0]);

    saveModel(join(dir, 'model.json'), model, { optimizer: 'heavy-ball' });
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).layers[0].activation).toBe('isru');
    expect(Array.from(loadModel(join(dir, 'model.json')).forward(data.inputs).data)).toEqual(outputs);
  });

  it("in code: the framework steps, stores and restores the optimizer rule's state", () => {
    const w = {
      name: 'w',
      value: Tensor.fromArray([1, -2], [2], 'float64'),
      grad: Tensor.fromArray([0.5, -1], [2], 'float64'),
    };
    const optimizer = createOptimizer('heavy-ball', [w], { momentum: 0.5 });
    optimizer.step();
    optimizer.step(); // b = 0.5 g + g = 1.5 g after two steps
    expect(Array.from(w.value.data)).toEqual([1 - 0.1 * 0.5 - 0.1 * 0.75, -2 + 0.1 * 1 + 0.1 * 1.5]);
    const restored = createOptimizer('heavy-ball', [w]);
    restored.loadStateDict(JSON.parse(JSON.stringify(optimizer.stateDict())));
    expect(restored.stateDict()).toEqual(optimizer.stateDict());
  });

  it('without the plugin, the saved model fails to load, naming the activation and installPlugin', () => {
    // a fresh Node process that never installed the plugin, using the built packages
    const script = `import { loadModel } from '@deltaflow/network/node';
try { loadModel(${JSON.stringify(join(dir, 'model.json'))}); console.log('loaded'); } catch (e) { console.log(e.message); }`;
    const out = execFileSync('node', ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/Unknown activation 'isru'.*a plugin may add it \(installPlugin\)/);
  });

  it('on the command line: every deltaflow command of the guide does what the guide says', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const cli = join(root, 'apps/cli/bin/deltaflow.js');
    for (const line of commands) {
      const [command, comment = ''] = line.split(/\s+#\s+/);
      const args = command!.trim().split(/\s+/).slice(1);
      let status = 0;
      let output = '';
      try {
        output = execFileSync('node', [cli, ...args], {
          cwd: dir,
          env: cleanEnv(),
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        const failure = error as { status?: number; stdout?: string; stderr?: string };
        status = failure.status ?? 1;
        output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
      }
      if (comment.startsWith('fails')) {
        expect(status, line).not.toBe(0);
        expect(output, line).toMatch(/Unknown activation 'isru'.*--plugin/);
      } else {
        expect(status, `${line}\n${output}`).toBe(0);
      }
      if (args[0] === 'plugins') expect(output).toMatch(/isru[\s\S]*heavy-ball/);
      if (args[0] === 'gradcheck') expect(output).toMatch(/passed/);
    }
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).meta.optimizer).toBe('heavy-ball');
  });
});
