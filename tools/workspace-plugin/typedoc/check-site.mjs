// @ts-check
// Opens the built API site (docs/api, from `npm run docs`) in the shared headless chromium (@deltaflow/test-browser), checks that
// its navigation lists every package of packages/ and every guide of docs/guides/, and saves a screenshot.
// Run: npm run docs && npm run docs:check [-- PAGE]  (PAGE, e.g. modules/_deltaflow_network.html, is the page to
// screenshot; default index.html. Prints the screenshot's path; exits 1 when something is missing.)
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '@deltaflow/test-browser';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const site = join(root, 'docs/api');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
  try {
    const body = readFileSync(file);
    response.writeHead(200, {
      'content-type': types[/** @type {keyof types} */ (extname(file))] ?? 'application/octet-stream',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
try {
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForSelector('.tsd-navigation a');
  const links = await page.$$eval('.tsd-navigation a, .tsd-page-navigation a', (as) =>
    as.map((a) => a.textContent?.trim() ?? ''),
  );
  const packages = readdirSync(join(root, 'packages')).map((name) => `@deltaflow/${name}`);
  const guides = readdirSync(join(root, 'docs/guides')).map(
    (file) => /^title: (.*)$/m.exec(readFileSync(join(root, 'docs/guides', file), 'utf8'))?.[1] ?? file,
  );
  const missing = [...packages, ...guides].filter((name) => !links.includes(name));
  const screenshot = join(tmpdir(), 'deltaflow-docs.png');
  if (process.argv[2]) await page.goto(`http://127.0.0.1:${port}/${process.argv[2]}`);
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`screenshot: ${screenshot}`);
  console.log(
    `navigation lists ${packages.length} packages and ${guides.length} guides${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
  );
  process.exitCode = missing.length ? 1 : 0;
} finally {
  await browser.close();
  server.close();
}
