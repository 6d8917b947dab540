// Node module hooks that run the workspace's TypeScript sources as compiled by the TSDoc examples' program
// (support/tsdoc.ts), in place: `node --conditions=@deltaflow/source --import ./source-hooks.mjs example.ts`,
// with DELTAFLOW_TS_ROOT (the workspace root) and DELTAFLOW_TS_OUT (where the program wrote its JavaScript) set.
// A `.ts` module keeps its own URL (so relative imports, import.meta.url and node_modules lookups behave as in
// the sources) and gets the emitted JavaScript as its source; `./x.js` resolves to `./x.ts` when only that exists.
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

// Imported by --import on the main thread, it registers itself; node then loads it again on its hooks thread.
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  if (/^\.{1,2}\/.*\.js$/.test(specifier) && context.parentURL?.startsWith('file:')) {
    const js = new URL(specifier, context.parentURL);
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!existsSync(js) && existsSync(ts)) return { url: ts.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const path = fileURLToPath(url);
    const root = process.env.DELTAFLOW_TS_ROOT ?? '';
    const emitted = join(process.env.DELTAFLOW_TS_OUT ?? '', relative(root, path)).replace(/\.ts$/, '.js');
    return { format: 'module', source: readFileSync(emitted, 'utf8'), shortCircuit: true };
  }
  return nextLoad(url, context);
}
