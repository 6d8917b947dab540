import { describe, expect, it } from 'vitest';
import { explainPluginProblem, pagePluginUrls, pluginLabel, selfContainedProblem } from './page-plugins.js';

/** A document with a `deltaflow-plugin` meta tag per content. */
const docWith = (contents: string[]): Pick<Document, 'querySelectorAll'> =>
  ({ querySelectorAll: () => contents.map((content) => ({ content })) }) as unknown as Pick<
    Document,
    'querySelectorAll'
  >;

const CHROMIUM =
  'Failed to resolve module specifier "@deltaflow/core". Relative references must start with either "/", "./", or "../".';
const FIREFOX =
  'The specifier “@deltaflow/core” was a bare specifier, but was not remapped to anything. Relative module specifiers must start with “./”, “../” or “/”.';

describe('pagePluginUrls', () => {
  it("gives the server's modules, then the link's, absolute and each once however they are escaped", () => {
    const page = 'http://127.0.0.1:4873/?plugin=plugins/0/a%5B1%5D.mjs&plugin=https://cdn.example/x.mjs';
    expect(pagePluginUrls(page, docWith(['plugins/0/a%5B1%5D.mjs', 'plugins/1/b.mjs']))).toEqual([
      'http://127.0.0.1:4873/plugins/0/a%5B1%5D.mjs',
      'http://127.0.0.1:4873/plugins/1/b.mjs',
      'https://cdn.example/x.mjs',
    ]);
    expect(
      pagePluginUrls('http://127.0.0.1:4873/?plugin=plugins/0/a[1].mjs', docWith(['plugins/0/a%5B1%5D.mjs'])),
    ).toHaveLength(1);
    expect(pagePluginUrls('http://127.0.0.1:4873/', docWith([]))).toEqual([]);
  });
});

describe('plugin notices', () => {
  it("names a module of the page's server by its path, another by its URL", () => {
    expect(pluginLabel('http://127.0.0.1:4873/plugins/0/my%20isru.mjs', 'http://127.0.0.1:4873/')).toBe(
      'plugins/0/my isru.mjs',
    );
    expect(pluginLabel('https://cdn.example/x.mjs', 'http://127.0.0.1:4873/')).toBe(
      'https://cdn.example/x.mjs',
    );
  });

  it('tells a module that imports a package by name to be self-contained, in either browser wording', () => {
    const expected =
      'The plugin plugins/0/p.mjs imports "@deltaflow/core", which a page cannot resolve: a plugin for the dashboard must be a self-contained module (no imports at run time but its own files by relative path; "import type" is fine), so bundle it into one file.';
    expect(selfContainedProblem('plugins/0/p.mjs', CHROMIUM)).toBe(expected);
    expect(selfContainedProblem('plugins/0/p.mjs', FIREFOX)).toBe(expected);
    expect(selfContainedProblem('plugins/0/p.mjs', 'Failed to fetch dynamically imported module')).toBeNull();
  });

  it("rewrites the worker's sentence for such a module, and leaves the others", () => {
    const url = 'http://127.0.0.1:4873/plugins/0/p.mjs';
    const page = 'http://127.0.0.1:4873/';
    expect(
      explainPluginProblem(`The plugin ${url} could not be installed: ${CHROMIUM}`, [url], page),
    ).toMatch(/^The plugin plugins\/0\/p\.mjs imports "@deltaflow\/core"/);
    const other = `The plugin ${url} could not be installed: Failed to fetch dynamically imported module: ${url}`;
    expect(explainPluginProblem(other, [url], page)).toBe(other);
  });
});
