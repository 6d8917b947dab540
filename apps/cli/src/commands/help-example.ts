import type { Argv } from 'yargs';

/** The widest help layout: main.ts wraps help at the terminal's width, up to this. */
export const HELP_WIDTH = 110;

/**
 * An example for yargs' `.example()` laid out to fit the help's width: `command   # what it does` on one line
 * when it fits, else the description as a comment on its own line above the command, and a command longer
 * than the line broken between its flags with a trailing backslash (as a shell would take it). yargs prints an
 * example with an empty description on a line of its own, so the command never spills into a second column.
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * yargs().example(...helpExample(yargs(), '$0 train --data iris', 'a classifier'));
 * ```
 */
export function helpExample(yargs: Argv, command: string, description: string): [string, string] {
  const columns = yargs.terminalWidth();
  const width = Math.min(HELP_WIDTH, columns && columns > 0 ? columns : 80) - 3; // yargs indents by 2
  const shown = (text: string): number => text.replace(/\$0/g, 'deltaflow').length;
  const oneLine = `${command}   # ${description}`;
  if (shown(oneLine) <= width) return [oneLine, ''];
  // A flag and its value stay together.
  const chunks: string[] = [];
  for (const word of command.split(' ')) {
    if (word.startsWith('-') || chunks.length === 0) chunks.push(word);
    else chunks[chunks.length - 1] += ` ${word}`;
  }
  const lines: string[] = [];
  let line = '';
  for (const chunk of chunks) {
    const next = line === '' ? chunk : `${line} ${chunk}`;
    if (line !== '' && shown(next) > width - 2) {
      lines.push(`${line} \\`);
      line = chunk; // yargs (cliui) trims a line's leading spaces, so no indent
    } else {
      line = next;
    }
  }
  lines.push(line);
  return [`# ${description}\n${lines.join('\n')}`, ''];
}
