import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dashboard imports the main entry in a browser: nothing reachable from index.ts may import Node modules.
const src = import.meta.dirname;

function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(src, file), 'utf8');
  for (const [, spec] of text.matchAll(/from '(\.\/[^']+)\.js'/g)) reachable(`${spec!.slice(2)}.ts`, seen);
  return seen;
}

describe('the main entry is browser-safe', () => {
  it('imports no node: module, directly or through its files', () => {
    const files = reachable('index.ts');
    expect(files.has('mnist.ts')).toBe(true);
    expect(files.has('read-csv.ts')).toBe(false);
    for (const file of files) {
      expect(readFileSync(join(src, file), 'utf8'), file).not.toMatch(/['"]node:|from '(fs|path|os)'/);
    }
    expect(readdirSync(src)).toContain('node.ts');
  });
});
