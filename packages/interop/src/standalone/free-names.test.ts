import { describe, expect, it } from 'vitest';
import { parseFunction } from './free-names.js';

const free = (source: string): string[] => [...(parseFunction(source)?.free ?? ['<not a function>'])].sort();

describe('parseFunction: the names a function reads without declaring them', () => {
  it.each([
    ['(x) => x / (1 + Math.abs(x))', ['Math']],
    ['x => k * x', ['k']],
    ['function (x) { return x > 0 ? x : a * x; }', ['a']],
    ['f(x) { const y = x * x; return y + b; }', ['b']],
    ['function g(x) { return x > 0 ? g(x - 1) : 0; }', []],
    ['(x) => { let s = 0; for (let i = 0; i < 3; i++) s += i * x; return s; }', []],
    // a name declared in one block does not declare it in another
    ['(x) => { { const k = 2; } return k * x; }', ['k']],
    ['(x) => { if (x) { var v = 1; } return v; }', []],
    ['(x) => { try { return x; } catch (e) { return e; } }', []],
    ['(x) => { try { return x; } catch (e) { return 0; } finally { e; } }', ['e']],
    ['(x, { a = z } = {}) => x + a', ['z']],
    ['(x) => ({ k, m: 1, [w]: 2 }).m * x', ['k', 'w']],
    ['(x) => Math.max(x, 0).toFixed', ['Math']],
    ['function (x) { return this.s * x; }', ['this']],
    ['function (x) { return arguments[0] * x; }', []],
    ['(x) => arguments[0]', ['arguments']],
    ['(x) => { const h = (y) => y * q; return h(x); }', ['q']],
    ['(x) => { function h(y) { return y; } return h(x); }', []],
    ['(x) => { switch (x) { case 1: { let t = 1; return t; } default: return u; } }', ['u']],
    ['(x) => { for (const v of [1, 2]) x += v; return x; }', []],
    ['(x) => { outer: for (;;) { break outer; } return x; }', []],
  ])('%s reads %j', (source, names) => {
    expect(free(source)).toEqual(names);
  });

  it('tells async functions and generators, and refuses what is not a function', () => {
    expect(parseFunction('async (x) => x')?.notScalar).toBe(true);
    expect(parseFunction('function* (x) { yield x; }')?.notScalar).toBe(true);
    expect(parseFunction('(x) => x')?.notScalar).toBe(false);
    expect(parseFunction('class A {}')).toBeUndefined();
    expect(parseFunction('x => {')).toBeUndefined();
  });

  it('gives an expression that evaluates to the function, for arrows and methods', () => {
    const arrow = parseFunction('(x) => 2 * x')!;
    const method = parseFunction('f(x) { return 3 * x; }')!;
    expect((new Function(`return ${arrow.expression};`)() as (x: number) => number)(2)).toBe(4);
    expect((new Function(`return ${method.expression};`)() as (x: number) => number)(2)).toBe(6);
  });
});
