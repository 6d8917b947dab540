// The names a function's source uses but does not declare, found by parsing it (acorn) and resolving every
// identifier through the scopes of the function: its parameters, var and function declarations (hoisted to the
// function), let/const/class declarations (to their block), catch parameters and loop heads. Used where the
// source cannot be evaluated on its own to check it, as in a page whose Content-Security-Policy forbids eval.
import { parse } from 'acorn';
import type { Node } from 'acorn';

/** An ESTree node as acorn gives it, read generically. */
type AnyNode = Node & Record<string, unknown>;

interface Scope {
  names: Set<string>;
  parent: Scope | undefined;
}

const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** The names a binding pattern (`x`, `{ a, b: [c] }`, `...rest`, `d = 1`) declares. */
function patternNames(pattern: AnyNode | null | undefined, into: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      into.add(pattern['name'] as string);
      break;
    case 'ObjectPattern':
      for (const p of pattern['properties'] as AnyNode[]) {
        patternNames((p.type === 'RestElement' ? p : (p['value'] as AnyNode)) as AnyNode, into);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern['elements'] as (AnyNode | null)[]) patternNames(element, into);
      break;
    case 'RestElement':
      patternNames(pattern['argument'] as AnyNode, into);
      break;
    case 'AssignmentPattern':
      patternNames(pattern['left'] as AnyNode, into);
      break;
  }
}

const isFunction = (node: AnyNode): boolean =>
  node.type === 'FunctionDeclaration' ||
  node.type === 'FunctionExpression' ||
  node.type === 'ArrowFunctionExpression';

/** `var` names and function declarations of a function body, not descending into nested functions. */
function hoisted(node: AnyNode, into: Set<string>, top = true): void {
  if (!top && isFunction(node)) {
    if (node.type === 'FunctionDeclaration') patternNames(node['id'] as AnyNode, into);
    return;
  }
  if (node.type === 'VariableDeclaration' && node['kind'] === 'var') {
    for (const d of node['declarations'] as AnyNode[]) patternNames(d['id'] as AnyNode, into);
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const v of value) if (isNode(v)) hoisted(v, into, false);
    if (isNode(value)) hoisted(value, into, false);
  }
}

/** let/const/class declarations (and, in strict code, function declarations) directly in a statement list. */
function lexical(statements: readonly AnyNode[], into: Set<string>): void {
  for (const s of statements) {
    if (s.type === 'VariableDeclaration' && s['kind'] !== 'var') {
      for (const d of s['declarations'] as AnyNode[]) patternNames(d['id'] as AnyNode, into);
    } else if (s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') {
      patternNames(s['id'] as AnyNode, into);
    }
  }
}

function declared(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

/** Every identifier read in `node` that no scope up to `scope` declares, added to `free`. */
function walk(node: AnyNode, scope: Scope | undefined, free: Set<string>): void {
  const visit = (child: unknown, within: Scope | undefined = scope): void => {
    if (Array.isArray(child)) for (const c of child) visit(c, within);
    else if (isNode(child)) walk(child, within, free);
  };
  const inner = (names: Set<string>): Scope => ({ names, parent: scope });
  switch (node.type) {
    case 'Identifier':
      if (!declared(scope, node['name'] as string)) free.add(node['name'] as string);
      return;
    case 'ThisExpression':
      free.add('this');
      return;
    case 'Super':
      free.add('super');
      return;
    case 'FunctionExpression':
    case 'FunctionDeclaration':
    case 'ArrowFunctionExpression': {
      const names = new Set<string>();
      if (node.type === 'FunctionExpression') patternNames(node['id'] as AnyNode, names);
      if (node.type !== 'ArrowFunctionExpression') names.add('arguments');
      for (const p of node['params'] as AnyNode[]) patternNames(p, names);
      hoisted(node['body'] as AnyNode, names);
      const own = inner(names);
      // default values of parameters are read in the function's scope
      for (const p of node['params'] as AnyNode[]) visitPatternDefaults(p, own, free);
      const body = node['body'] as AnyNode;
      if (body.type === 'BlockStatement') {
        const block = new Set<string>();
        lexical(body['body'] as AnyNode[], block);
        visit(body['body'], { names: block, parent: own });
      } else visit(body, own);
      return;
    }
    case 'BlockStatement':
    case 'StaticBlock': {
      const names = new Set<string>();
      lexical(node['body'] as AnyNode[], names);
      visit(node['body'], inner(names));
      return;
    }
    case 'SwitchStatement': {
      visit(node['discriminant']);
      const names = new Set<string>();
      for (const c of node['cases'] as AnyNode[]) lexical(c['consequent'] as AnyNode[], names);
      visit(node['cases'], inner(names));
      return;
    }
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const names = new Set<string>();
      const head = (node['init'] ?? node['left']) as AnyNode | null;
      if (head && head.type === 'VariableDeclaration' && head['kind'] !== 'var') lexical([head], names);
      const own = inner(names);
      for (const key of ['init', 'test', 'update', 'left', 'right', 'body']) visit(node[key], own);
      return;
    }
    case 'CatchClause': {
      const names = new Set<string>();
      patternNames(node['param'] as AnyNode, names);
      visit(node['body'], inner(names));
      return;
    }
    case 'VariableDeclarator':
      visitPatternDefaults(node['id'] as AnyNode, scope, free);
      visit(node['init']);
      return;
    case 'ClassExpression':
    case 'ClassDeclaration': {
      const names = new Set<string>();
      patternNames(node['id'] as AnyNode, names);
      visit(node['superClass']);
      visit(node['body'], inner(names));
      return;
    }
    case 'MemberExpression':
      visit(node['object']);
      if (node['computed']) visit(node['property']);
      return;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      if (node['computed']) visit(node['key']);
      visit(node['value']);
      return;
    case 'LabeledStatement':
      visit(node['body']);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
      return;
    default:
      for (const [key, value] of Object.entries(node)) {
        if (key !== 'type' && key !== 'start' && key !== 'end' && key !== 'loc') visit(value);
      }
  }
}

/** Reads the default values and computed keys inside a binding pattern (its names are declared elsewhere). */
function visitPatternDefaults(pattern: AnyNode | null, scope: Scope | undefined, free: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'AssignmentPattern':
      visitPatternDefaults(pattern['left'] as AnyNode, scope, free);
      walk(pattern['right'] as AnyNode, scope, free);
      break;
    case 'ObjectPattern':
      for (const p of pattern['properties'] as AnyNode[]) {
        if (p.type === 'RestElement') visitPatternDefaults(p['argument'] as AnyNode, scope, free);
        else {
          if (p['computed']) walk(p['key'] as AnyNode, scope, free);
          visitPatternDefaults(p['value'] as AnyNode, scope, free);
        }
      }
      break;
    case 'ArrayPattern':
      for (const e of pattern['elements'] as (AnyNode | null)[]) visitPatternDefaults(e, scope, free);
      break;
    case 'RestElement':
      visitPatternDefaults(pattern['argument'] as AnyNode, scope, free);
      break;
  }
}

/** The function a source text holds: an arrow or function expression, or a method (`f(x) { ... }`). */
export interface ParsedFunction {
  /** The JavaScript expression that evaluates to the function. */
  expression: string;
  /** The names it reads without declaring them (`this` and `super` included, as those words). */
  free: Set<string>;
  /** Whether it is async or a generator (so it returns no number). */
  notScalar: boolean;
}

/**
 * Parses a function's source (from `Function.prototype.toString`) and finds the names it uses but does not
 * declare; undefined when the source is not a function expression or method.
 *
 * @param source - the function's source text
 */
export function parseFunction(source: string): ParsedFunction | undefined {
  const forms: [string, (program: AnyNode) => AnyNode | undefined][] = [
    [`(${source})`, (program) => expressionOf(program)],
    [
      `(Object.values({ ${source} })[0])`,
      (program) => {
        // Object.values({ f(x) { ... } })[0]: a member of a call whose argument is the object literal
        const call = expressionOf(program)?.['object'] as AnyNode | undefined;
        const object = (call?.['arguments'] as AnyNode[] | undefined)?.[0];
        const property = (object?.['properties'] as AnyNode[] | undefined)?.[0];
        return property?.['value'] as AnyNode | undefined;
      },
    ],
  ];
  for (const [expression, pick] of forms) {
    let program: AnyNode;
    try {
      program = parse(expression, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as AnyNode;
    } catch {
      continue;
    }
    const fn = pick(program);
    if (!fn || (fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression')) continue;
    const free = new Set<string>();
    walk(fn, undefined, free);
    return { expression, free, notScalar: Boolean(fn['async']) || Boolean(fn['generator']) };
  }
  return undefined;
}

function expressionOf(program: AnyNode): AnyNode | undefined {
  const body = program['body'] as AnyNode[];
  if (body.length !== 1 || body[0]!.type !== 'ExpressionStatement') return undefined;
  return body[0]!['expression'] as AnyNode;
}
