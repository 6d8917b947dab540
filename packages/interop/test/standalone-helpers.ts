// Helpers of the standalone-module tests: the module is written to a real file and imported from there, as a
// user's project would import `model.js`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

/** What a standalone module exports. */
export interface Standalone {
  dtype: string;
  inputs: number;
  outputs: number;
  classNames: readonly string[] | null;
  scaler: { offset: readonly number[]; scale: readonly number[] } | null;
  predict(input: ArrayLike<number>): number[];
  predictBatch(inputs: ArrayLike<ArrayLike<number>>): number[][];
  classify(input: ArrayLike<number>): string | number;
}

let dir: string | undefined;
let files = 0;

/** Writes the module's source to a file of a temporary `"type": "module"` folder and imports it. */
export async function loadStandalone(js: string): Promise<Standalone> {
  if (dir === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'deltaflow-standalone-'));
    dir = made;
    // Node reads a .js file as an ES module inside a "type": "module" package, as a user's project would declare.
    writeFileSync(join(made, 'package.json'), '{ "type": "module" }\n');
    afterAll(() => rmSync(made, { recursive: true, force: true }));
  }
  const path = join(dir, `model-${files++}.js`);
  writeFileSync(path, js);
  return (await import(pathToFileURL(path).href)) as Standalone;
}
