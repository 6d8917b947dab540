// @ts-check
import { MarkdownEvent } from 'typedoc';

/** An opening or closing code fence: its indent, its backticks or tildes, and what follows them. */
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Labels every fenced code block without a language as `text`, so that typedoc (which takes such a block for
 * TypeScript) shows terminal output and shell commands as they are, without colouring words as keywords.
 *
 * @param {string} markdown - any markdown
 * @returns {string} the same markdown with ```` ``` ```` openings made ```` ```text ````
 */
export function labelPlainFences(markdown) {
  const lines = markdown.split('\n');
  /** @type {string | undefined} */
  let open;
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i] ?? '');
    if (!fence) continue;
    const [, indent, marks = '', rest = ''] = fence;
    if (open === undefined) {
      open = marks;
      if (rest.trim() === '') lines[i] = `${indent}${marks}text`;
    } else if (marks[0] === open[0] && marks.length >= open.length && rest.trim() === '') {
      open = undefined;
    }
  }
  return lines.join('\n');
}

/**
 * A typedoc plugin: fenced code blocks without a language, in comments, READMEs and guides, are plain text
 * (see {@link labelPlainFences}).
 *
 * @example
 * ```json
 * { "plugin": ["./tools/workspace-plugin/typedoc/plain-code.mjs"] }
 * ```
 * @param {import('typedoc').Application} app - the typedoc application
 */
export function load(app) {
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      event.parsedText = labelPlainFences(event.parsedText);
    },
    100,
  );
}
