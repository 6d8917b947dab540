// @ts-check
// Walks every link of a generated typedoc site (docs/api, from `npm run docs`): each href and src of each HTML page,
// relative paths and #anchors. A link fails when its file is missing, when its #anchor names no id (or name) in the
// target page, or when it is a file name that was turned into a web address (http://NOTES.md). Plain Node, no
// browser. Run: npm run docs && npm run docs:links [-- SITE]  (default docs/api; exits 1 on any broken link).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every .html file under `dir`, recursively.
 * @param {string} dir
 * @returns {string[]}
 */
function htmlFiles(dir) {
  /** @type {string[]} */
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...htmlFiles(path));
    else if (entry.name.endsWith('.html')) files.push(path);
  }
  return files;
}

/**
 * Undoes the HTML escapes an attribute value may hold.
 * @param {string} value
 */
function unescape(value) {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * The href and src values of a page.
 * @param {string} html
 * @returns {string[]}
 */
export function linksOf(html) {
  return [...html.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) =>
    unescape(m[1] ?? m[2] ?? ''),
  );
}

/**
 * The anchors a page defines: every id and every name attribute.
 * @param {string} html
 * @returns {Set<string>}
 */
export function anchorsOf(html) {
  return new Set(
    [...html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) =>
      unescape(m[1] ?? m[2] ?? ''),
    ),
  );
}

/**
 * Checks every link of every HTML page under `site`.
 * @param {string} site the site's root folder
 * @returns {{ pages: number, links: number, broken: { page: string, link: string, reason: string }[] }}
 */
export function checkLinks(site) {
  const root = resolve(site);
  /** @type {Map<string, Set<string>>} */
  const anchors = new Map();
  const anchorsIn = (/** @type {string} */ file) => {
    let set = anchors.get(file);
    if (!set) anchors.set(file, (set = anchorsOf(readFileSync(file, 'utf8'))));
    return set;
  };
  /** @type {{ page: string, link: string, reason: string }[]} */
  const broken = [];
  const pages = htmlFiles(root);
  let links = 0;
  for (const page of pages) {
    const name = relative(root, page).split(sep).join('/');
    for (const link of linksOf(readFileSync(page, 'utf8'))) {
      links++;
      const fail = (/** @type {string} */ reason) => broken.push({ page: name, link, reason });
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link)?.[1]?.toLowerCase();
      if (scheme) {
        // A file name such as NOTES.md made into a web address by the markdown linkifier.
        const host = /^https?:\/\/([^/?#]+)/i.exec(link)?.[1];
        if (host && /\.(md|ts|js|mjs|json|txt)$/i.test(host)) fail('a file name made into a web address');
        continue; // other external links (https, mailto) are not this check's business
      }
      if (link.startsWith('//')) continue;
      const [pathPart = '', fragment] = link.split('#', 2);
      const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
      let target =
        path === '' ? page : path.startsWith('/') ? join(root, path) : resolve(dirname(page), path);
      if (!target.startsWith(root)) {
        fail('points outside the site');
        continue;
      }
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html');
      if (!existsSync(target)) {
        fail('no such file');
        continue;
      }
      if (fragment && /\.(html|svg)$/.test(target) && !anchorsIn(target).has(decodeURIComponent(fragment))) {
        fail(`no anchor #${fragment} in ${relative(root, target).split(sep).join('/')}`);
      }
    }
  }
  return { pages: pages.length, links, broken };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const site = resolve(process.argv[2] ?? fileURLToPath(new URL('../../../docs/api', import.meta.url)));
  const { pages, links, broken } = checkLinks(site);
  for (const { page, link, reason } of broken) console.error(`${page}: ${link}: ${reason}`);
  console.log(`${pages} pages, ${links} links, ${broken.length} broken`);
  process.exitCode = broken.length > 0 || pages === 0 ? 1 : 0;
}
