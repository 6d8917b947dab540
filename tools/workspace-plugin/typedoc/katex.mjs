// @ts-check
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { MarkdownEvent, PageEvent, Reflection, RendererEvent } from 'typedoc';

/** Where katex's stylesheet and fonts are copied to, inside the site. */
const ASSETS = 'assets/katex';

/** Fenced code blocks and code spans: math is never looked for inside them. */
const CODE = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n {0,3}\2[^\n]*$|(`+)[^`][\s\S]*?\3/gm;

/**
 * `$$display$$` (any lines) or `$inline$`: no blank after the opening `$` or before the closing one, and no
 * digit right after it, as in pandoc, so that "costs $5 and $6" stays text.
 */
const MATH = /\$\$([\s\S]+?)\$\$|\$(?![\s$])((?:\\\$|[^$\n])+?)(?<![\s\\])\$(?!\d)/g;

/**
 * Renders the TeX of every `$...$` and `$$...$$` in `markdown` (outside code) with KaTeX.
 *
 * @param {string} markdown - a document's markdown
 * @param {(tex: string, error: string) => void} onError - told about each formula KaTeX cannot parse
 * @returns {{ markdown: string, formulas: string[] }} the markdown with each formula replaced by a placeholder
 *   word (so markdown-it leaves the HTML alone), and the HTML of each, in order
 */
export function extractMath(markdown, onError) {
  /** @type {string[]} */
  const formulas = [];
  const render = (/** @type {string} */ tex, /** @type {boolean} */ displayMode) => {
    try {
      formulas.push(katex.renderToString(tex, { displayMode, throwOnError: true, output: 'htmlAndMathml' }));
    } catch (error) {
      onError(tex, error instanceof Error ? error.message : String(error));
      formulas.push(katex.renderToString(tex, { displayMode, throwOnError: false }));
    }
    return `katexformula${formulas.length - 1}x`;
  };
  let out = '';
  let last = 0;
  for (const code of markdown.matchAll(CODE)) {
    out += markdown
      .slice(last, code.index)
      .replace(MATH, (_, display, inline) => render(display ?? inline, display !== undefined));
    out += code[0];
    last = code.index + code[0].length;
  }
  out += markdown
    .slice(last)
    .replace(MATH, (_, display, inline) => render(display ?? inline, display !== undefined));
  return { markdown: out, formulas };
}

/**
 * A typedoc plugin: math in the markdown documents (the guides of `projectDocuments`), written as TeX between
 * `$...$` (inline) or `$$...$$` (display), is rendered to HTML by KaTeX at build time (no script in the
 * browser), and the pages that have some link katex's stylesheet, which is copied into the site with its fonts
 * (`assets/katex/`). A formula KaTeX cannot parse is a warning, so `--treatWarningsAsErrors` fails the build.
 *
 * @example
 * ```json
 * { "plugin": ["./tools/workspace-plugin/typedoc/katex.mjs"] }
 * ```
 * @param {import('typedoc').Application} app - the typedoc application
 */
export function load(app) {
  /** The rendered formulas of the page being written, by placeholder number. */
  /** @type {Map<import('typedoc').PageEvent, string[]>} */
  const pages = new Map();

  // Before typedoc's own listener (priority 0) turns the markdown into HTML.
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const model = event.page.model;
      if (!(model instanceof Reflection) || !model.isDocument()) return;
      const { markdown, formulas } = extractMath(event.parsedText, (tex, error) =>
        app.logger.warn(`${model.getFriendlyFullName()}: KaTeX cannot render $${tex}$: ${error}`),
      );
      if (formulas.length === 0) return;
      const known = pages.get(event.page) ?? [];
      const offset = known.length;
      known.push(...formulas);
      pages.set(event.page, known);
      event.parsedText = markdown.replace(
        /katexformula(\d+)x/g,
        (_, n) => `katexformula${offset + Number(n)}x`,
      );
    },
    100,
  );

  app.renderer.on(PageEvent.END, (page) => {
    const formulas = pages.get(page);
    if (!formulas || page.contents === undefined) return;
    pages.delete(page);
    const up = '../'.repeat(page.url.split('/').length - 1);
    page.contents = page.contents
      .replace(/katexformula(\d+)x/g, (_, n) => formulas[Number(n)] ?? '')
      .replace('</head>', `<link rel="stylesheet" href="${up}${ASSETS}/katex.min.css"/></head>`);
  });

  app.renderer.on(RendererEvent.END, (event) => {
    const dist = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
    cpSync(join(dist, 'katex.min.css'), join(event.outputDirectory, ASSETS, 'katex.min.css'));
    cpSync(join(dist, 'fonts'), join(event.outputDirectory, ASSETS, 'fonts'), { recursive: true });
  });
}
