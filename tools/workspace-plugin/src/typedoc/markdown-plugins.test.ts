// The markdown rewrites of the site's typedoc plugins, on small inputs: which `$` are math, and which fences
// become plain text.
import { describe, expect, it } from 'vitest';
import { extractMath } from '../../typedoc/katex.mjs';
import { labelPlainFences } from '../../typedoc/plain-code.mjs';

describe('extractMath', () => {
  it('renders inline and display math to KaTeX HTML, leaving placeholders in the markdown', () => {
    const errors: string[] = [];
    const { markdown, formulas } = extractMath(
      'net $x_j = \\sum_i O_i W_{ij}$ and\n\n$$\n\\eta\n$$\n',
      (tex) => errors.push(tex),
    );
    expect(markdown).toBe('net katexformula0x and\n\nkatexformula1x\n');
    expect(formulas).toHaveLength(2);
    expect(formulas[0]).toContain('class="katex"');
    expect(formulas[0]).toContain(
      '<annotation encoding="application/x-tex">x_j = \\sum_i O_i W_{ij}</annotation>',
    );
    expect(formulas[1]).toContain('class="katex-display"');
    expect(errors).toEqual([]);
  });

  it('leaves code, prices and shell variables alone', () => {
    const text = [
      'costs $5 and $6, `run.state$` and `$x$`',
      '```sh',
      'echo $? $HOME$',
      '```',
      'a lone $ sign',
    ].join('\n');
    expect(extractMath(text, () => undefined)).toEqual({ markdown: text, formulas: [] });
  });

  it('reports TeX that KaTeX cannot parse, and still shows it', () => {
    const errors: string[] = [];
    const { formulas } = extractMath('bad $\\frac{1$ here', (tex) => errors.push(tex));
    expect(errors).toEqual(['\\frac{1']);
    expect(formulas[0]).toContain('katex-error');
  });
});

describe('labelPlainFences', () => {
  it('labels fences without a language as text, and only the openings', () => {
    const text = ['```', '$ npm test', '```', '', '```ts', 'const a = 1;', '```', '````', '```', '````'].join(
      '\n',
    );
    expect(labelPlainFences(text)).toBe(
      ['```text', '$ npm test', '```', '', '```ts', 'const a = 1;', '```', '````text', '```', '````'].join(
        '\n',
      ),
    );
  });
});
