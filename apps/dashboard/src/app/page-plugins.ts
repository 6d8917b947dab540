import { installPlugin } from '@deltaflow/network';
import type { Plugin } from '@deltaflow/network';

/**
 * The plugin modules of this page, as absolute URLs, each once: those the server serves with it (a
 * `<meta name="deltaflow-plugin">` tag each, from `deltaflow dashboard --plugin FILE` or `deltaflow train
 * --dashboard --plugin FILE`), then the link's `?plugin=URL` parameters.
 *
 * @example
 * ```ts
 * // not-runnable: in the dashboard page
 * pagePluginUrls(location.href, document); // → ['http://127.0.0.1:4873/plugins/0/isru.mjs']
 * ```
 * @param href - the page's address (its `?plugin=` parameters, and the base of relative URLs)
 * @param doc - the page's document (its meta tags)
 * @returns the modules' URLs, in order, without repeats
 * @category Plugins
 */
export function pagePluginUrls(href: string, doc: Pick<Document, 'querySelectorAll'>): string[] {
  const served = [...doc.querySelectorAll<HTMLMetaElement>('meta[name="deltaflow-plugin"]')].map(
    (m) => m.content,
  );
  const linked = new URL(href).searchParams.getAll('plugin');
  // the same module written with other escapes (`%5B` or `[`) is the same module: installed once
  const urls = new Map<string, string>();
  for (const url of [...served, ...linked]) {
    let absolute = url;
    try {
      absolute = new URL(url, href).href;
    } catch {
      // a link's value that is no URL: importing it fails, and the worker names it
    }
    let key = absolute;
    try {
      key = decodeURIComponent(absolute);
    } catch {
      // a stray % stays as written
    }
    if (!urls.has(key)) urls.set(key, absolute);
  }
  return [...urls.values()];
}

/**
 * How a plugin's URL is named on the page: its path for a module of the page's own server
 * (`plugins/0/isru.mjs`), else the whole URL.
 *
 * @example
 * ```ts
 * pluginLabel('http://127.0.0.1:4873/plugins/0/isru.mjs', 'http://127.0.0.1:4873/'); // → 'plugins/0/isru.mjs'
 * ```
 * @category Plugins
 */
export function pluginLabel(url: string, pageHref: string): string {
  try {
    const parsed = new URL(url, pageHref);
    if (parsed.origin !== new URL(pageHref).origin) return url;
    return decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  } catch {
    return url;
  }
}

/** The bare specifier in a browser's "cannot resolve" message (chromium's and firefox's wordings), if any. */
function bareSpecifier(message: string): string | null {
  return /(?:module specifier|specifier) ["“'‘]([^"”'’]+)["”'’]/.exec(message)?.[1] ?? null;
}

/**
 * The sentence the page shows for a plugin module that could not be installed: for a module that imports a
 * package by name (a bare specifier, which a page cannot resolve), that it must be self-contained; else `null`
 * (the loader's own sentence stands).
 *
 * @example
 * ```ts
 * selfContainedProblem(
 *   'plugins/0/isru.mjs',
 *   'Failed to resolve module specifier "@deltaflow/core". Relative references must start with either "/", "./", or "../".',
 * );
 * // → 'The plugin plugins/0/isru.mjs imports "@deltaflow/core", which a page cannot resolve: a plugin for the dashboard must be a self-contained module (no imports at run time but its own files by relative path; "import type" is fine), so bundle it into one file.'
 * ```
 * @param label - the plugin as the page names it ({@link pluginLabel})
 * @param message - the loader's message
 * @category Plugins
 */
export function selfContainedProblem(label: string, message: string): string | null {
  const specifier = bareSpecifier(message);
  if (specifier === null) return null;
  return `The plugin ${label} imports "${specifier}", which a page cannot resolve: a plugin for the dashboard must be a self-contained module (no imports at run time but its own files by relative path; "import type" is fine), so bundle it into one file.`;
}

/**
 * Rewrites the training worker's "could not be installed" sentences (`The plugin URL could not be installed:
 * ...`) for modules that import packages by name ({@link selfContainedProblem}); other sentences pass as they are.
 *
 * @example
 * ```ts
 * // not-runnable: in the dashboard page, with the worker's problems
 * declare const problems: { message: string }[];
 * declare const urls: string[];
 * const sentences = problems.map((p) => explainPluginProblem(p.message, urls, location.href));
 * ```
 * @category Plugins
 */
export function explainPluginProblem(message: string, urls: readonly string[], pageHref: string): string {
  const url = urls.find((u) => message.startsWith(`The plugin ${u} `));
  if (url === undefined) return message;
  return selfContainedProblem(pluginLabel(url, pageHref), message) ?? message;
}

const installed = new Map<string, Promise<string | null>>();

/**
 * Installs plugin modules in the page itself (the training worker installs them on its own side), once each:
 * attached and replayed runs draw their heatmap and the neurons' pictures here, and the exports build the
 * model here, both with the plugins' activations. Resolves with one sentence per module that could not be
 * installed (named, and for one that imports a package by name, told to be self-contained); the others are
 * installed.
 *
 * @example
 * ```ts
 * // not-runnable: in the dashboard page
 * const problems = await installPagePlugins(pagePluginUrls(location.href, document), location.href);
 * ```
 * @param urls - the plugin modules' URLs
 * @param pageHref - the page's address, to name same-origin modules by their path
 * @returns the sentences of the modules that could not be installed
 * @category Plugins
 */
export async function installPagePlugins(urls: readonly string[], pageHref: string): Promise<string[]> {
  const problems: string[] = [];
  for (const url of urls) {
    let result = installed.get(url);
    if (!result) {
      result = installOne(url, pageHref);
      installed.set(url, result);
    }
    const problem = await result;
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

async function installOne(url: string, pageHref: string): Promise<string | null> {
  const label = pluginLabel(url, pageHref);
  try {
    const module = (await import(/* @vite-ignore */ url)) as { default?: Plugin };
    installPlugin((module.default ?? module) as Plugin);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return selfContainedProblem(label, message) ?? `The plugin ${label} could not be installed: ${message}`;
  }
}
