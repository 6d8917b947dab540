// @ts-check
import { MarkdownEvent, Reflection, RendererEvent, ReflectionKind } from 'typedoc';

/**
 * The first `# heading` of a document's markdown, if it has one.
 *
 * @param {import('typedoc').CommentDisplayPart[]} content - the document's text
 * @returns {string | undefined} the heading's text
 */
function firstHeading(content) {
  const text = content.map((part) => part.text).join('');
  return /^#[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1];
}

/**
 * A typedoc plugin that keeps each title once:
 *
 * - a README included in a guide (`children:` in its front matter) is named by its first heading (the
 *   CLI reference's child reads "@deltaflow/cli", not "README");
 * - the leading `# NAME` of a readme shown under a page already titled NAME (the site's "deltaflow", a package's
 *   "Module @deltaflow/trainer") is dropped, so the heading does not repeat.
 *
 * @example
 * ```json
 * { "plugin": ["./tools/workspace-plugin/typedoc/titles.mjs"] }
 * ```
 * @param {import('typedoc').Application} app - the typedoc application
 */
export function load(app) {
  app.renderer.on(
    RendererEvent.BEGIN,
    (event) => {
      for (const reflection of event.project.getReflectionsByKind(ReflectionKind.Document)) {
        const document = /** @type {import('typedoc').DocumentReflection} */ (reflection);
        if (document.name !== 'README' || document.frontmatter['title']) continue;
        const heading = firstHeading(document.content);
        if (heading) document.name = heading;
      }
    },
    100,
  );

  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const model = event.page.model;
      if (!(model instanceof Reflection) || !model.kindOf(ReflectionKind.Project | ReflectionKind.Module))
        return;
      const heading = /^\s*#[ \t]+(.+?)[ \t#]*\r?\n/.exec(event.parsedText);
      if (heading && heading[1] === model.name) event.parsedText = event.parsedText.slice(heading[0].length);
    },
    100,
  );
}
