import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { cleanEnv, root } from './workspace.js';

const execFileAsync = promisify(execFile);

// Test support: the ```ts blocks of the `@example` tags of TSDoc comments, compiled as modules by one TypeScript
// program, and run by node from the sources. The conventions are described in ../../README.md ("TSDoc
// examples"); in short:
//
// - each example is a module that sees, without importing them, every export of its project's entry points
//   (the "@deltaflow/source" targets of its package.json `exports`), the exports of the file it documents, and
//   the names of the prelude (../../tsdoc-prelude.ts) that it uses: re-exported values, and free variables
//   (`export declare const model: Sequential;`); nothing else;
// - an example that uses no free variable is run by node, unless its first line is `// not-runnable: why`;
// - in a run, a statement with a trailing comment `// → VALUE` (prose may come before the arrow) must evaluate
//   to VALUE; for `console.log(x); // → VALUE` it is x. Numbers written with decimals match when the actual
//   value rounds to them; integers, strings, booleans, arrays and objects must be equal.

/** One ```ts block of an `@example` tag. */
export interface TsdocExample {
  /** The documented file, relative to the workspace root. */
  file: string;
  /** The line (1-based) of the example's first line of code in that file. */
  line: number;
  /** The code, without the comment's leading ` * `. */
  code: string;
  /** `file:line`, the example's name in reports. */
  name: string;
}

/** The marker that keeps an example from being run: its first line, e.g. `// not-runnable: starts a server`. */
export const NOT_RUNNABLE = /^\s*\/\/\s*not-runnable\b/;

/** Every TypeScript source of packages/* and apps/* (src/, not tests or declarations). */
export function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, parent)).sort()) {
      if (existsSync(join(root, parent, name, 'src'))) walk(`${parent}/${name}/src`);
    }
  }
  return files.sort();
}

/** The ```ts blocks of every `@example` tag of the TSDoc comments of `file` (relative to the root). */
export function tsdocExamples(file: string): TsdocExample[] {
  const text = readFileSync(join(root, file), 'utf8');
  const examples: TsdocExample[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, comment.index).split('\n').length;
    const lines = comment[0].split('\n').map((line) => line.replace(/^\s*(\/\*\*|\*\/|\*(?!\/))? ?/, ''));
    let inExample = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (/^@\w+/.test(line)) inExample = /^@example\b/.test(line);
      if (!inExample) continue;
      const open = /^\s*```(\w*)\s*$/.exec(line);
      if (!open) continue;
      const start = i + 1;
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!));
      if (!/^(ts|typescript)$/.test(open[1]!)) continue;
      const line1 = firstLine + start;
      examples.push({
        file,
        line: line1,
        code: lines
          .slice(start, i)
          .join('\n')
          .replace(/\s*\*\/$/, ''),
        name: `${file}:${line1}`,
      });
    }
  }
  return examples;
}

/** The names a module exports, split into values and types (by syntax: `export type`, interfaces, ...). */
export interface Exports {
  values: string[];
  types: string[];
  /** The values declared without a definition (`export declare const model: Sequential;`): free variables. */
  declared: string[];
}

const exportCache = new Map<string, Exports>();

/** What the TypeScript module at `path` (absolute) exports by name, read from its syntax. */
export function exportsOf(path: string): Exports {
  const cached = exportCache.get(path);
  if (cached) return cached;
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const values: string[] = [];
  const types: string[] = [];
  const declared: string[] = [];
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    !(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const statement of source.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
      }
    } else if (ts.isExportDeclaration(statement) && !statement.exportClause && statement.moduleSpecifier) {
      // export * from './x.js': the names of x
      const target = ts.resolveModuleName(
        (statement.moduleSpecifier as ts.StringLiteral).text,
        path,
        { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
        ts.sys,
      ).resolvedModule?.resolvedFileName;
      if (target) {
        const inner = exportsOf(target);
        (statement.isTypeOnly ? types : values).push(...inner.values);
        types.push(...inner.types);
      }
    } else if (!exported(statement)) {
      continue;
    } else if (ts.isVariableStatement(statement)) {
      const names = statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
      values.push(...names);
      if ((ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
        declared.push(...names);
      }
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      types.push(statement.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      values.push(statement.name.text);
    }
  }
  const result = {
    values: [...new Set(values)],
    types: [...new Set(types)].filter((t) => !values.includes(t)),
    declared,
  };
  exportCache.set(path, result);
  return result;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(element.name),
  );
}

/** The names an example's code binds at its top level (declarations and imports): they shadow the automatic ones. */
function topLevelNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(declaration.name)) names.add(name);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) {
        names.add(clause.namedBindings.name.text);
      } else if (clause.namedBindings) {
        for (const element of clause.namedBindings.elements) names.add(element.name.text);
      }
    }
  }
  return names;
}

/** Every identifier of an example's code (to see which prelude variables it uses). */
function identifiers(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The project (package or app folder, with a package.json) that `file` belongs to, relative to the root. */
function projectOf(file: string): string {
  let dir = dirname(file);
  while (dir !== '.' && !existsSync(join(root, dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** A project's entry points: its package.json `exports` whose "@deltaflow/source" target is a source file. */
function entriesOf(project: string): { specifier: string; path: string }[] {
  const manifestPath = join(root, project, 'package.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string;
    exports?: Record<string, unknown>;
  };
  const entries: { specifier: string; path: string }[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const source = (target as Record<string, unknown> | null)?.['@deltaflow/source'];
    if (typeof source !== 'string') continue;
    entries.push({ specifier: manifest.name + subpath.slice(1), path: join(root, project, source) });
  }
  return entries;
}

/** An edit of an example's code: a statement that states its value, or a relative import's specifier. */
interface Expectation {
  /** Where the replaced text starts and ends in the code. */
  start: number;
  end: number;
  /** The text that replaces it. */
  text: string;
}

/** The statements with a trailing `// → VALUE`, rewritten to check their value when run. */
function expectations(source: ts.SourceFile, example: TsdocExample): Expectation[] {
  const found: Expectation[] = [];
  const text = source.text;
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const comment = ts
        .getTrailingCommentRanges(text, node.end)
        ?.find((range) => range.kind === ts.SyntaxKind.SingleLineCommentTrivia);
      const arrow = comment ? text.slice(comment.pos, comment.end).indexOf('→') : -1;
      if (comment && arrow >= 0) {
        const value = text.slice(comment.pos + arrow + 1, comment.end).trim();
        const line = example.line + source.getLineAndCharacterOfPosition(node.getStart()).line;
        const at = JSON.stringify(`${example.file}:${line}`);
        const expected = `(${value}), ${JSON.stringify(value)}, ${at}`;
        let expression = node.expression;
        const log =
          ts.isCallExpression(expression) &&
          expression.getText(source) !== '' &&
          /^console\.(log|info)$/.test(expression.expression.getText(source)) &&
          expression.arguments.length === 1;
        if (log) expression = (expression as ts.CallExpression).arguments[0]!;
        const check = `__expectValue(${expression.getText(source)}, ${expected})`;
        const rewritten = log
          ? `${(node.expression as ts.CallExpression).expression.getText(source)}(${check});`
          : `${check};`;
        found.push({ start: node.getStart(source), end: node.end, text: rewritten });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** An example written as a module of the scratch folder. */
export interface GeneratedExample extends TsdocExample {
  /** The module's path, relative to the scratch folder. */
  module: string;
  /** The lines before the example's own code in the module (its automatic imports). */
  headerLines: number;
  /** The prelude variables it uses; it is run when there are none and it is not marked not-runnable. */
  freeVariables: string[];
  /** Whether it is run. */
  runnable: boolean;
  /** How many `// → VALUE` statements it checks when run. */
  checks: number;
}

/**
 * The prelude: the names every example may use without importing them. Its re-exports are real values; its
 * `export declare const` variables are free variables (declared, not defined), so an example using one is not run.
 */
export const preludePath = join(root, 'tools/package-tests/tsdoc-prelude.ts');
const expectPath = join(root, 'tools/package-tests/src/support/tsdoc-expect.ts');

/** Writes each example as a module of `dir` (absolute), with its automatic imports in one first line. */
export function generate(examples: TsdocExample[], dir: string, prelude = preludePath): GeneratedExample[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const preludeNames = exportsOf(prelude);
  const importPath = (path: string): string => {
    const rel = relative(dir, path).replace(/\\/g, '/').replace(/\.ts$/, '.js');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return examples.map((example, i) => {
    const source = ts.createSourceFile('example.ts', example.code, ts.ScriptTarget.ES2022, true);
    const own = topLevelNames(source);
    const used = identifiers(source);
    const taken = new Set(own);
    const imports: string[] = [];
    const importFrom = (specifier: string, names: Exports, only?: Set<string>): void => {
      const list = [
        ...names.values.filter((n) => !taken.has(n) && (!only || only.has(n))),
        ...names.types.filter((n) => !taken.has(n) && (!only || only.has(n))).map((n) => `type ${n}`),
      ];
      for (const name of list) taken.add(name.replace(/^type /, ''));
      if (list.length > 0) imports.push(`import { ${list.join(', ')} } from '${specifier}';`);
    };
    const documented = join(root, example.file);
    for (const entry of entriesOf(projectOf(example.file)))
      importFrom(entry.specifier, exportsOf(entry.path));
    importFrom(importPath(documented), exportsOf(documented));
    const freeVariables = preludeNames.declared.filter((n) => used.has(n) && !taken.has(n));
    importFrom(importPath(prelude), preludeNames, used);
    // relative imports are written as the documented file would write them
    const edits: Expectation[] = [...expectations(source, example)];
    const checks = edits.length;
    for (const statement of source.statements) {
      const specifier = ts.isImportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (specifier && ts.isStringLiteral(specifier) && /^\.\.?\//.test(specifier.text)) {
        const target = importPath(join(dirname(documented), specifier.text));
        edits.push({ start: specifier.getStart(source), end: specifier.end, text: `'${target}'` });
      }
    }
    let code = example.code;
    for (const edit of edits.sort((a, b) => b.start - a.start)) {
      code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
    }
    if (checks > 0) imports.push(`import { __expectValue } from '${importPath(expectPath)}';`);
    const firstLine = example.code.split('\n')[0] ?? '';
    const module = `example-${i}-${example.file.replace(/^(packages|apps)\//, '').replace(/[^a-z0-9]+/gi, '-')}-${example.line}.ts`;
    writeFileSync(join(dir, module), `${imports.join(' ')}\n${code}\n`);
    return {
      ...example,
      module,
      headerLines: 1,
      freeVariables,
      runnable: freeVariables.length === 0 && !NOT_RUNNABLE.test(firstLine),
      checks,
    };
  });
}

/** The outcome of compiling the examples: each one's errors, as `file:line: message` of the documented source. */
export interface CompileResult {
  errors: Map<string, string[]>;
  /** Diagnostics that belong to no example (options, globals). */
  other: string[];
  /** Where the program's JavaScript was written (the workspace's layout under it). */
  outDir: string;
}

/** The workspace's compiler settings (tsconfig.base.json), adapted to examples: modules, DOM and node types. */
export function compilerOptions(outDir: string): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // no project build, no declarations or maps, JavaScript only; snippets may leave locals unused
  const off = [
    'composite',
    'incremental',
    'declaration',
    'declarationMap',
    'sourceMap',
    'inlineSources',
    'noUnusedLocals',
    'noEmit',
  ];
  return {
    ...parsed.options,
    ...Object.fromEntries(off.map((option) => [option, false])),
    moduleDetection: ts.ModuleDetectionKind.Force,
    rootDir: root,
    outDir,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
  };
}

/**
 * Type-checks the generated examples of `dir` in one program (resolving @deltaflow/* to their sources through
 * the "@deltaflow/source" condition), and writes the JavaScript of the whole program to `dir`/out.
 */
export function compile(examples: GeneratedExample[], dir: string, prelude = preludePath): CompileResult {
  const outDir = join(dir, 'out');
  // The sources are roots too, so every module a run may load is written out, even one only node reaches.
  const program = ts.createProgram(
    [prelude, ...sourceFiles().map((file) => join(root, file)), ...examples.map((e) => join(dir, e.module))],
    compilerOptions(outDir),
  );
  const errors = new Map<string, string[]>();
  const other: string[] = [];
  const format = (d: ts.Diagnostic): string => ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const where = (d: ts.Diagnostic): string =>
    d.file && d.start !== undefined
      ? `${relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
      : '';
  const preludeFile = program.getSourceFile(prelude)!;
  for (const d of [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(preludeFile),
    ...program.getSemanticDiagnostics(preludeFile),
  ]) {
    other.push(`${where(d)}${format(d)}`);
  }
  for (const example of examples) {
    const file = program.getSourceFile(join(dir, example.module));
    if (!file) {
      errors.set(example.name, [`${example.name}: not compiled`]);
      continue;
    }
    const list = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map(
      (d) => {
        const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
        const at =
          line < example.headerLines
            ? `${example.name} (automatic imports)`
            : `${example.file}:${example.line + line - example.headerLines}`;
        return `${at}: ${format(d)}`;
      },
    );
    if (list.length > 0) errors.set(example.name, list);
  }
  // JavaScript file by file, without the checker (isolatedModules makes that exact): program.emit() would
  // type-check every source first, which takes longer than everything else here together.
  // (every workspace module is ESM: transpileModule does not read package.json, so it is told)
  const options = { ...program.getCompilerOptions(), module: ts.ModuleKind.ESNext };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) continue;
    const target = join(outDir, relative(root, file.fileName)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      ts.transpileModule(file.text, { compilerOptions: options, fileName: file.fileName }).outputText,
    );
  }
  return { errors, other, outDir };
}

/**
 * Runs a compiled example with node in `cwd`, from the sources as the program compiled them (see
 * ./source-hooks.mjs). Resolves to its output, and whether it exited with 0 within 30 s.
 */
export async function runExample(
  example: GeneratedExample,
  dir: string,
  outDir: string,
  cwd: string,
): Promise<{ ok: boolean; output: string }> {
  const args = [
    '--conditions=@deltaflow/source',
    '--import',
    new URL('./source-hooks.mjs', import.meta.url).href,
    join(dir, example.module),
  ];
  const env = cleanEnv({ DELTAFLOW_TS_ROOT: root, DELTAFLOW_TS_OUT: outDir });
  try {
    const { stdout, stderr } = await execFileAsync('node', args, { cwd, env, timeout: 30_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout, stderr, killed } = error as { stdout?: string; stderr?: string; killed?: boolean };
    return { ok: false, output: `${killed ? 'timed out after 30 s\n' : ''}${stdout ?? ''}${stderr ?? ''}` };
  }
}
