// @ts-check
// The one headless chromium every deltaflow browser test and browser script launches (see README.md).
// Debian's /usr/bin/chromium when it is there; else the chromium the npm package @sparticuz/chromium ships
// inside itself (brotli-compressed, so `npm ci` downloads nothing else), unpacked once per machine into the
// temporary folder. Launched by playwright-core with the project's own flags, never that package's serverless
// `args` (--single-process, --disable-web-security, ...), which would void the origin and worker tests.
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium } from 'playwright-core';

/** Debian's chromium, used whenever it is installed. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The flags every launch gets: headless, as root without a sandbox, and no calls to the network. */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** The folder of @sparticuz/chromium's compressed browser and fonts. */
function packagedBin() {
  return join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', 'bin');
}

/** The version of @sparticuz/chromium, which names the folder it is unpacked into. */
async function packagedVersion() {
  const manifest = await readFile(join(packagedBin(), '..', 'package.json'), 'utf8');
  return String(JSON.parse(manifest).version);
}

/**
 * Unpacks the npm package's chromium into `<tmp>/deltaflow-chromium-<version>/chromium` (once; later calls find it)
 * and its fonts into `<tmp>/fonts`. The binary is written under a unique name and renamed into place, so two
 * processes that unpack at once never run a half-written file.
 * @returns {Promise<{ executable: string, env: Record<string, string> }>}
 */
async function unpackPackaged() {
  const bin = packagedBin();
  const folder = join(tmpdir(), `deltaflow-chromium-${await packagedVersion()}`);
  const executable = join(folder, 'chromium');
  if (!existsSync(executable)) {
    await mkdir(folder, { recursive: true });
    const partial = `${executable}.${process.pid}.${Date.now()}.partial`;
    try {
      await pipeline(
        createReadStream(join(bin, 'chromium.br')),
        createBrotliDecompress({ chunkSize: 2 ** 21 }),
        createWriteStream(partial),
      );
      await chmod(partial, 0o755);
      await rename(partial, executable);
    } finally {
      await rm(partial, { force: true });
    }
  }
  // The fonts (and the fontconfig file that names <tmp>/fonts): without them pages render without text.
  const { inflate } = await import('@sparticuz/chromium');
  const fonts = await inflate(join(bin, 'fonts.tar.br'));
  return { executable, env: { FONTCONFIG_PATH: fonts } };
}

/**
 * The chromium to launch: Debian's when `system` exists, else the npm package's, unpacked on first use.
 * @param {{ system?: string }} [options] `system`: where to look for an installed chromium (default /usr/bin/chromium).
 * @returns {Promise<{ executable: string, source: 'system' | 'npm', env: Record<string, string> }>}
 */
export async function findBrowser({ system = SYSTEM_CHROMIUM } = {}) {
  if (existsSync(system)) return { executable: system, source: 'system', env: {} };
  const { executable, env } = await unpackPackaged();
  return { executable, source: 'npm', env };
}

/**
 * The path of the chromium {@link launchBrowser} starts.
 * @param {{ system?: string }} [options]
 * @returns {Promise<string>}
 */
export async function browserExecutable(options) {
  return (await findBrowser(options)).executable;
}

/**
 * Launches headless chromium in a fresh temporary profile folder; `close()` ends it and removes the folder.
 * @param {{ system?: string, viewport?: { width: number, height: number } }} [options]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, executable: string, source: 'system' | 'npm', close(): Promise<void> }>}
 */
export async function launchBrowser({ system, viewport = { width: 1500, height: 950 } } = {}) {
  const found = await findBrowser({ system });
  const profile = await mkdtemp(join(tmpdir(), 'deltaflow-chromium-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: found.executable,
      headless: true,
      args: [...CHROMIUM_ARGS],
      // One locale for both browsers: with LANG=C.UTF-8 the npm package's headless shell reports en-US@posix,
      // which Intl rejects ("Invalid language tag"), and the dashboard's number formatting would throw.
      locale: 'en-US',
      env: { ...process.env, ...found.env },
      viewport,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    executable: found.executable,
    source: found.source,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
