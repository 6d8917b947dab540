import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from './support/tarballs.js';
import { publishables, root, run } from './support/workspace.js';

// Must-show (source maps): every source map shipped in a packed tarball resolves to its sources in devtools, with
// no src/ in the tarball: each map carries every source's text (sourcesContent, tsc's inlineSources), each
// sourceMappingURL names a file of the tarball, and no declaration map points at a missing file.
// What devtools then shows for an app bundled by Vite (and the setting it needs): devtools-source-maps.test.ts.

let scratch = '';
/** Every tarball, unpacked: package name to the folder of its package/. */
const unpacked = new Map<string, string>();

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-maps-'));
  const names = publishables().map(({ name }) => name);
  for (const [name, tarball] of pack(names, join(scratch, 'tgz'))) {
    const dir = join(scratch, 'unpacked', name.replace('/', '+'));
    mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', dir], dir);
    unpacked.set(name, join(dir, 'package'));
  }
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every file under `dir`, as absolute paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
}

/** What is wrong with the source maps of one unpacked package, one line per problem. */
function problems(pkg: string): string[] {
  const found: string[] = [];
  const files = walk(pkg);
  const at = (file: string): string => relative(pkg, file);
  for (const file of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'))?.[1];
    if (url === undefined) continue;
    if (url.startsWith('data:')) continue;
    if (!existsSync(resolve(dirname(file), url)))
      found.push(`${at(file)}: its sourceMappingURL ${url} is not in the tarball`);
  }
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(file, 'utf8')) as SourceMap;
    if (map.sources.length === 0) found.push(`${at(file)}: no sources`);
    map.sources.forEach((source, i) => {
      const content = map.sourcesContent?.[i];
      const onDisk = resolve(dirname(file), map.sourceRoot ?? '', source);
      if (typeof content === 'string' && content.length > 0) return;
      if (onDisk.startsWith(pkg) && existsSync(onDisk)) return;
      found.push(`${at(file)}: source ${source} has no sourcesContent and is not in the tarball`);
    });
  }
  return found;
}

describe('source maps in the packed tarballs', () => {
  it('ships maps, and every one carries or resolves its sources; no declaration map dangles', () => {
    let maps = 0;
    const all: string[] = [];
    for (const [name, pkg] of unpacked) {
      maps += walk(pkg).filter((f) => f.endsWith('.js.map')).length;
      all.push(...problems(pkg).map((p) => `${name}: ${p}`));
    }
    expect(maps).toBeGreaterThan(100);
    expect(all).toEqual([]);
  });

  it("maps @deltaflow/tensor's backends.js to the text of src/backends.ts", () => {
    const pkg = unpacked.get('@deltaflow/tensor')!;
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    const map = JSON.parse(readFileSync(join(pkg, 'dist/backends.js.map'), 'utf8')) as SourceMap;
    expect(map.sources).toEqual(['../src/backends.ts']);
    expect(map.sourcesContent).toEqual([readFileSync(join(root, 'packages/tensor/src/backends.ts'), 'utf8')]);
  });
});
