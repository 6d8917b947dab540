import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.js';

// Test support: the code blocks of the workspace's Markdown, and which of them are runnable examples.

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The file, relative to the workspace root. */
  file: string;
  /** The line of the opening fence (1-based). */
  line: number;
  /** The fence's language, e.g. `ts`. */
  lang: string;
  /** The code. */
  code: string;
  /** Whether the line before the fence is the opt-out marker `<!-- not-runnable -->`. */
  optedOut: boolean;
}

/** The opt-out marker: put it on the line before a ```ts fence that imports deltaflow but is not a program. */
export const NOT_RUNNABLE = '<!-- not-runnable -->';

/** The Markdown files whose examples are checked: every README of the workspace and the guides. */
export function markdownFiles(): string[] {
  const inFolders = (parent: string, file: string): string[] =>
    existsSync(join(root, parent))
      ? readdirSync(join(root, parent))
          .map((name) => `${parent}/${name}/${file}`)
          .filter((path) => existsSync(join(root, path)))
      : [];
  const guides = readdirSync(join(root, 'docs/guides'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/guides/${name}`);
  return [
    'README.md',
    ...inFolders('packages', 'README.md'),
    ...inFolders('apps', 'README.md'),
    ...inFolders('tools', 'README.md'),
    ...guides,
  ];
}

/** Every fenced block of `file`. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    while (++i < lines.length && !/^```\s*$/.test(lines[i]!));
    const before =
      lines
        .slice(0, start)
        .reverse()
        .find((line) => line.trim() !== '') ?? '';
    blocks.push({
      file,
      line: start + 1,
      lang: open[1]!,
      code: lines.slice(start + 1, i).join('\n'),
      optedOut: before.trim() === NOT_RUNNABLE,
    });
  }
  return blocks;
}

/** A runnable example: a ```ts block that imports from '@deltaflow/...', unless opted out. */
export function isRunnable(block: CodeBlock): boolean {
  return /^(ts|typescript)$/.test(block.lang) && /from '@deltaflow\//.test(block.code) && !block.optedOut;
}

/**
 * A file an example needs beside it, given in the same document as a block whose first line names it, e.g.
 * a ```js block starting with `// my-plugin.mjs`.
 */
export function companionName(block: CodeBlock): string | undefined {
  if (isRunnable(block)) return undefined;
  return /^\/\/ ([\w.-]+\.(?:mjs|js|json|csv))\s*$/.exec(block.code.split('\n')[0] ?? '')?.[1];
}
