import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareImports, pluginFilesForPage } from './plugins.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bareImports', () => {
  it('finds the packages a module imports by name at run time', () => {
    const source = [
      "import { definePlugin } from '@deltaflow/core';",
      'import {',
      '  a,',
      '  b as c,',
      '} from "rxjs";',
      "import 'side-effect';",
      "import * as fs from 'node:fs';",
      "export { x } from 'pkg';",
      "import type { Plugin } from '@deltaflow/network';",
      "import local from './local.js';",
      "import parent from '../parent.js';",
      'export default definePlugin({',
      "  name: 'p', // adapted from 'a paper'",
      '});',
    ].join('\n');
    expect(bareImports(source)).toEqual(['@deltaflow/core', 'rxjs', 'side-effect', 'node:fs', 'pkg']);
  });

  it('finds none in a self-contained module', () => {
    expect(
      bareImports(
        "export default {\n  name: 'p',\n  activations: [{ name: 'x', f: (x) => x, df: () => 1 }],\n};\n",
      ),
    ).toEqual([]);
  });
});

describe('pluginFilesForPage', () => {
  it('gives the files, and says why a package or a file with imports cannot be loaded by the page', () => {
    writeFileSync(join(dir, 'plain.mjs'), 'export default { name: "plain" };\n');
    writeFileSync(
      join(dir, 'bare.mjs'),
      "import { definePlugin } from '@deltaflow/core';\nexport default 1;\n",
    );
    const lines: string[] = [];
    const files = pluginFilesForPage([join(dir, 'plain.mjs'), join(dir, 'bare.mjs'), 'some-plugin'], (line) =>
      lines.push(line),
    );
    expect(files).toEqual([join(dir, 'plain.mjs'), join(dir, 'bare.mjs')]);
    expect(lines).toEqual([
      `deltaflow: --plugin ${join(dir, 'bare.mjs')} imports "@deltaflow/core", which the page cannot load; for the dashboard, give a self-contained module (no imports at run time but its own files by relative path; \`import type\` is fine), bundled into one file.`,
      'deltaflow: --plugin some-plugin is a package, and the page loads plugin files only; give the path of its module file to use it in the dashboard.',
    ]);
  });
});
