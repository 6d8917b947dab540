import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, companionName, isRunnable, markdownFiles } from './support/markdown.js';
import { cleanEnv, root } from './support/workspace.js';

// The code examples of the READMEs and guides are compiled and run, so none can rot. Runnable: every ```ts block
// that imports from '@deltaflow/...' in a README.md of the workspace or a guide of docs/guides (opt out with
// `<!-- not-runnable -->` on the line before the fence). Each is written into the workspace, where @deltaflow/*
// resolve to the built packages (their published entry points and .d.ts), type-checked and compiled by one tsc
// run with the workspace's compiler settings, then run by node in a scratch folder, with the files its document
// names (a block whose first line is `// my-plugin.mjs`) beside it.

const blocks = markdownFiles().flatMap(codeBlocks);
const examples = blocks.filter(isRunnable).map((block, i) => ({
  ...block,
  name: `${block.file}:${block.line}`,
  module: `example-${i}-${block.file.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
}));
const dir = join(root, 'tools/package-tests/.examples');
const errors = new Map<string, string[]>();
let unattributed = '';
let scratch = '';

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const example of examples) writeFileSync(join(dir, `${example.module}.ts`), `${example.code}\n`);
  const tsconfig = {
    extends: '../../../tsconfig.base.json',
    compilerOptions: {
      // the workspace's settings, resolving @deltaflow/* as users do (the built packages, not their sources)
      customConditions: [],
      composite: false,
      incremental: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      inlineSources: false,
      noUnusedLocals: false,
      rootDir: '.',
      outDir: 'out',
      types: ['node'],
    },
    include: ['*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  let output = '';
  try {
    execFileSync('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? String(error);
  }
  for (const line of output.split('\n')) {
    const match = /(example-[^/(]+)\.ts\((\d+),\d+\): (.*)$/.exec(line);
    if (!match) {
      if (/error TS/.test(line)) unattributed += `${line}\n`;
      continue;
    }
    const example = examples.find((e) => e.module === match[1]);
    const at = example ? `${example.file}:${example.line + Number(match[2])}` : match[1]!;
    const list = errors.get(match[1]!) ?? [];
    list.push(`${at}: ${match[3]}`);
    errors.set(match[1]!, list);
  }
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-examples-'));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('examples in the READMEs and guides', () => {
  it('finds the examples of every package README and guide', () => {
    const files = new Set(examples.map((e) => e.file));
    for (const file of markdownFiles().filter(
      (f) => f.startsWith('packages/') || f.startsWith('docs/guides/'),
    )) {
      if (/cli\.md|dashboard\.md/.test(file)) continue; // outlines that point to the apps' READMEs
      expect(files, `${file} has no runnable example`).toContain(file);
    }
  });

  it('tsc reports no error outside the examples', () => {
    expect(unattributed).toBe('');
  });

  it.each(examples)('$name type-checks and runs', (example) => {
    const typeErrors = errors.get(example.module) ?? [];
    expect(typeErrors, typeErrors.join('\n')).toEqual([]);
    const cwd = mkdtempSync(join(scratch, 'run-'));
    for (const block of blocks.filter((b) => b.file === example.file)) {
      const name = companionName(block);
      if (name) writeFileSync(join(cwd, name), `${block.code}\n`);
    }
    try {
      execFileSync('node', [join(dir, 'out', `${example.module}.js`)], {
        cwd,
        env: cleanEnv(),
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 30_000,
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      expect.fail(`${example.name} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
  });
});
