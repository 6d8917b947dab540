// The typedoc site's links: the walker catches every kind of broken link on a tiny site, and the real site, built
// from this repository by typedoc, has none.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../../typedoc/check-links.mjs';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function writeSite(files: Record<string, string>): string {
  const dir = tempDir('deltaflow-links-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('checkLinks on a tiny site', () => {
  const good = {
    'index.html': `<link rel="stylesheet" href="assets/style.css"><script src="assets/main.js"></script>
      <h2 id="top">Top</h2><a href="#top">here</a><a href="">self</a><a href="docs/">folder</a>
      <a href="docs/page.html#part-one">page</a><a href='docs/page.html?x=1#part-one'>query</a>
      <svg><use href="assets/icons.svg#icon-a"></use></svg><a href="https://typedoc.org/">typedoc</a>
      <a href="mailto:someone@example.org">mail</a><a href="docs/a%20b.html">escaped</a>`,
    'assets/style.css': 'body {}',
    'assets/main.js': '',
    'assets/icons.svg': '<svg><g id="icon-a"></g></svg>',
    'docs/index.html': '<a href="../index.html#top">back</a>',
    'docs/page.html': '<h2 id="part-one">One</h2><a name="old-style"></a><a href="#old-style">old</a>',
    'docs/a b.html': '<a href="page.html">page</a>',
  };

  it('passes a site whose every link resolves', () => {
    const result = checkLinks(writeSite(good));
    expect(result.broken).toEqual([]);
    expect(result.pages).toBe(4);
    expect(result.links).toBe(14);
  });

  it('fails on a missing file, a missing anchor (here and there), a missing icon, and http://NOTES.md', () => {
    const site = writeSite({
      ...good,
      'docs/broken.html': `<a href="missing.html">gone</a><a href="page.html#part-two">no anchor</a>
        <a href="#nowhere">no anchor here</a><img src="../assets/logo.png"><svg><use href="../assets/icons.svg#icon-b"></use></svg>
        <a href="http://NOTES.md">NOTES.md</a><a href="../../outside.html">out</a>`,
    });
    expect(checkLinks(site).broken).toEqual([
      { page: 'docs/broken.html', link: 'missing.html', reason: 'no such file' },
      {
        page: 'docs/broken.html',
        link: 'page.html#part-two',
        reason: 'no anchor #part-two in docs/page.html',
      },
      { page: 'docs/broken.html', link: '#nowhere', reason: 'no anchor #nowhere in docs/broken.html' },
      { page: 'docs/broken.html', link: '../assets/logo.png', reason: 'no such file' },
      {
        page: 'docs/broken.html',
        link: '../assets/icons.svg#icon-b',
        reason: 'no anchor #icon-b in assets/icons.svg',
      },
      { page: 'docs/broken.html', link: 'http://NOTES.md', reason: 'a file name made into a web address' },
      { page: 'docs/broken.html', link: '../../outside.html', reason: 'points outside the site' },
    ]);
  });

  it('the command exits 1 and names each broken link', async () => {
    const site = writeSite({ 'index.html': '<a href="nope.html">x</a>' });
    const script = join(root, 'tools/workspace-plugin/typedoc/check-links.mjs');
    const run = promisify(execFile)(process.execPath, [script, site]);
    await expect(run).rejects.toMatchObject({ code: 1, stderr: 'index.html: nope.html: no such file\n' });
    const ok = await promisify(execFile)(process.execPath, [script, writeSite(good)]);
    expect(ok.stdout).toBe('4 pages, 14 links, 0 broken\n');
  });
});

describe("the repository's typedoc site", () => {
  it('built by typedoc, has no link to a missing file or anchor', { timeout: 300_000 }, async () => {
    const out = tempDir('deltaflow-typedoc-');
    const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
    await promisify(execFile)(process.execPath, [typedoc, '--out', out, '--logLevel', 'Error'], {
      cwd: root,
      timeout: 280_000,
    });
    const { pages, links, broken } = checkLinks(out);
    expect(broken).toEqual([]);
    expect(pages).toBeGreaterThan(100);
    expect(links).toBeGreaterThan(5000);
  });
});
