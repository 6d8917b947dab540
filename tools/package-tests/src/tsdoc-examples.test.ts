import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, generate, runExample, sourceFiles, tsdocExamples } from './support/tsdoc.js';
import type { CompileResult, GeneratedExample } from './support/tsdoc.js';
import { pool, root } from './support/workspace.js';

// The ```ts blocks of the `@example` tags of every TSDoc comment in packages/*/src and apps/*/src are compiled
// as modules by ONE TypeScript program, from the sources (no build needed), and those that use no free variable
// are run by node, checking every `// → VALUE` they state. The conventions are in ../README.md ("TSDoc
// examples"). A fixture with broken examples, compiled and run in the same program, proves that each kind of
// mistake fails, naming the documented file and line.

const fixture = 'tools/package-tests/src/fixtures/tsdoc/broken.ts';
const dir = join(root, 'tools/package-tests/.tsdoc-examples');
const workspace = sourceFiles().flatMap(tsdocExamples);
const fixtures = tsdocExamples(fixture);
let generated: GeneratedExample[] = [];
let compiled: CompileResult;
const runs = new Map<string, { ok: boolean; output: string }>();
let scratch = '';
const seconds = { compile: 0, run: 0 };

beforeAll(async () => {
  const start = performance.now();
  generated = generate([...workspace, ...fixtures], dir);
  compiled = compile(generated, dir);
  seconds.compile = (performance.now() - start) / 1000;
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-tsdoc-'));
  const runnable = generated.filter((e) => e.runnable && !compiled.errors.has(e.name));
  await pool(runnable, Math.max(2, availableParallelism()), async (example) => {
    runs.set(
      example.name,
      await runExample(example, dir, compiled.outDir, mkdtempSync(join(scratch, 'run-'))),
    );
  });
  seconds.run = (performance.now() - start) / 1000 - seconds.compile;
}, 600_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const byName = (name: string): GeneratedExample => generated.find((e) => e.name === name)!;

describe('TSDoc examples of packages/*/src and apps/*/src', () => {
  it('finds the examples of every package', () => {
    const packages = new Set(workspace.map((e) => e.file.split('/').slice(0, 2).join('/')));
    for (const name of [
      'core',
      'tensor',
      'activations',
      'losses',
      'optimizers',
      'network',
      'trainer',
      'data',
    ]) {
      expect(packages).toContain(`packages/${name}`);
    }
    expect(workspace.length).toBeGreaterThan(200);
  });

  it('the program reports no error outside the examples (options, the prelude)', () => {
    expect(compiled.other, compiled.other.join('\n')).toEqual([]);
  });

  it('runs the examples without free variables, and checks their stated values', () => {
    const ours = generated.filter((e) => !e.file.startsWith('tools/'));
    expect(ours.filter((e) => e.runnable).length).toBeGreaterThan(50);
    const checks = ours.reduce((n, e) => n + e.checks, 0);
    console.info(
      `${ours.length} TSDoc examples type-checked in ${seconds.compile.toFixed(1)} s; ` +
        `${ours.filter((e) => runs.has(e.name)).length} run in ${seconds.run.toFixed(1)} s, checking ${checks} stated values`,
    );
    expect(checks).toBeGreaterThan(20);
  });

  it.each(workspace.map((e) => ({ name: e.name })))('$name', ({ name }) => {
    const errors = compiled.errors.get(name) ?? [];
    expect(errors, errors.join('\n')).toEqual([]);
    const run = runs.get(name);
    if (run) expect(run.ok, `${name} failed when run:\n${run.output}`).toBe(true);
  });
});

describe('a broken example fails (fixture)', () => {
  const at = (line: number): string => `${fixture}:${line}`;

  it('a correct example passes, type-checked and run', () => {
    expect(compiled.errors.get(at(8))).toBeUndefined();
    expect(byName(at(8)).checks).toBe(1);
    expect(runs.get(at(8))?.ok).toBe(true);
  });

  it('a type error is reported at its line of the documented file', () => {
    expect(compiled.errors.get(at(12))).toEqual([
      `${at(12)}: Argument of type 'string' is not assignable to parameter of type 'number'.`,
    ]);
  });

  it('a name that is neither imported, exported nor in the prelude is an error', () => {
    expect(compiled.errors.get(at(16))).toEqual([`${at(16)}: Cannot find name 'someNumber'.`]);
  });

  it('a stated value that is not the value fails the run, naming the line', () => {
    const run = runs.get(at(20));
    expect(run?.ok).toBe(false);
    expect(run?.output).toContain(`${at(21)}: the example states → 5, but the value is 4`);
  });

  it('an example that throws fails the run', () => {
    expect(runs.get(at(25))?.ok).toBe(false);
    expect(runs.get(at(25))?.output).toContain('thrown by the example');
  });

  it('an example with a free variable of the prelude is type-checked but not run', () => {
    expect(compiled.errors.get(at(29))).toBeUndefined();
    expect(byName(at(29))).toMatchObject({ runnable: false, freeVariables: ['epoch'] });
    expect(runs.has(at(29))).toBe(false);
  });
});
