// @ts-check
import { Application, ParameterType, ReflectionKind } from 'typedoc';

/** The kinds of exported symbol that must have a summary and an `@example`. */
const TOP_LEVEL =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum;

/** The kinds of member that must have a summary. */
const MEMBERS =
  ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.EnumMember;

/**
 * The comment a reader sees for `reflection`: its own, or (functions, methods) its first signature's, or
 * (accessors) its getter's.
 *
 * @param {import('typedoc').DeclarationReflection} reflection
 * @returns {import('typedoc').Comment | undefined}
 */
function commentOf(reflection) {
  return (
    reflection.comment ??
    reflection.signatures?.find((signature) => signature.comment)?.comment ??
    reflection.getSignature?.comment ??
    reflection.setSignature?.comment
  );
}

/**
 * A typedoc plugin: warns (so `--treatWarningsAsErrors` fails the build) about every exported function, class,
 * interface, type, variable or enum without a one-line summary or an `@example`, and every property, method or
 * accessor of theirs without a summary. Listed under `plugin` in the root `typedoc.json`; its option
 * `requireExamplesExclude` names symbols (as the warning does) that may go without an example for now.
 *
 * @example
 * ```json
 * {
 *   "plugin": ["./tools/workspace-plugin/typedoc/require-examples.mjs"],
 *   "requireExamplesExclude": ["@deltaflow/tensor.DType"]
 * }
 * ```
 * @param {Application} app - the typedoc application
 */
export function load(app) {
  app.options.addDeclaration({
    name: 'requireExamplesExclude',
    help: 'Symbols (full names, e.g. @deltaflow/tensor.DType) that may go without an @example.',
    type: ParameterType.Array,
    defaultValue: [],
  });
  // With entryPointStrategy "packages", each package is validated on its own, then the merged site: check the
  // merged site only (its names carry the package), not every symbol twice.
  const packages = app.options.getValue('entryPointStrategy') === 'packages';
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (packages && app.options.getValue('entryPointStrategy') !== 'packages') return;
    const excluded = new Set(/** @type {string[]} */ (app.options.getValue('requireExamplesExclude')));
    for (const reflection of project.getReflectionsByKind(TOP_LEVEL | MEMBERS)) {
      const declaration = /** @type {import('typedoc').DeclarationReflection} */ (reflection);
      if (declaration.flags.isExternal || declaration.flags.isPrivate || declaration.flags.isProtected)
        continue;
      if (declaration.inheritedFrom || declaration.parent?.kindOf(ReflectionKind.TypeLiteral)) continue;
      const comment = commentOf(declaration);
      const name = declaration.getFriendlyFullName();
      if (!comment || comment.summary.every((part) => part.text.trim() === '')) {
        app.logger.warn(`${name} has no summary.`);
      } else if (declaration.kindOf(TOP_LEVEL) && !comment.getTag('@example') && !excluded.has(name)) {
        app.logger.warn(`${name} has no @example.`);
      }
    }
  });
}
