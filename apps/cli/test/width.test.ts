// The terminal view at 60, 80 and 120 columns, in a real pseudo-terminal (util-linux `script`, its size set with
// stty): no line is wider than the terminal, the live line keeps loss, accuracy, samples/s and the ETA, the
// header, chart and tables fit (train's, gradcheck's and plugins'), help examples stay in their column, and
// colour follows NO_COLOR.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin, softsignPlugin, tempDir, writeFiles } from './helpers.js';

const SCRIPT = '/usr/bin/script';
const dir = tempDir();
mkdirSync(join(dir, 'models-of-the-iris-data-set'));
const longName =
  'softsign-and-signsgd-from-a-plugin-with-a-name-far-longer-than-a-terminal-line-even-one-of-a-hundred-and-twenty-columns';
writeFiles(dir, { 'long.mjs': softsignPlugin.replace("'softsign-plugin'", `'${longName}'`) });

/** Runs `deltaflow ...args` in a pseudo-terminal of `columns` columns and returns all it wrote to the screen. */
async function inTerminal(
  args: readonly string[],
  columns: number,
  env: Record<string, string> = {},
): Promise<string> {
  const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${columns} rows 30; exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  try {
    const { stdout } = await promisify(execFile)(SCRIPT, ['-qfec', command, '/dev/null'], {
      cwd: dir,
      env: { ...base, TERM: 'xterm', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? '';
  }
}

// eslint-disable-next-line no-control-regex -- escape sequences are what is measured around
const ESCAPE = /\x1b(?:\[[0-9;?]*[A-Za-z]|[78])/g;

/**
 * Every state a screen line went through: lines split at newlines, then at each redraw (a carriage return or
 * the cursor sent back to column 1), without escape sequences.
 */
function screenLines(raw: string): string[] {
  return raw
    .replace(/\r\n/g, '\n')
    .split('\n')
    .flatMap((line) => line.split(/\r|\x1b\[1G/)) // eslint-disable-line no-control-regex
    .map((line) => line.replace(ESCAPE, ''));
}

function widest(lines: readonly string[]): string {
  return lines.reduce((a, b) => ([...b].length > [...a].length ? b : a), '');
}

const COLUMNS = [60, 80, 120];

describe.each(COLUMNS)('at %i columns', (columns) => {
  it('keeps every line of a training run inside the terminal, and the live line complete', async () => {
    const raw = await inTerminal(['train', '--epochs', '4000'], columns);
    const lines = screenLines(raw);
    const wide = widest(lines);
    expect([...wide].length, `widest line: ${wide}`).toBeLessThanOrEqual(columns);
    const live = lines.filter((line) => /\b\d+\/4000\b/.test(line));
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.at(-1)).toMatch(/loss [\d.e-]+ .*acc 100%.* [\d.,k]+(\/s| samples\/s) .*ETA \S+$/);
    expect(lines).toContainEqual(expect.stringMatching(/^│ result +│ +completed │$/));
    expect(lines).toContainEqual(expect.stringMatching(/^│ layer │ shape +│/)); // the gradient table
  });

  it('fits the header, the live line with validation, the chart and the tables of a larger run', async () => {
    const raw = await inTerminal(
      [
        'train',
        '--data',
        'iris',
        '--layers',
        '64,64',
        '--loss',
        'cross-entropy',
        '--optimizer',
        'adam',
        '--normalize',
        '--validation-split',
        '0.2',
        '--epochs',
        '600',
        '--batch-size',
        '120',
        '--save',
        'models-of-the-iris-data-set/iris-model-with-a-rather-long-file-name.json',
      ],
      columns,
    );
    const lines = screenLines(raw);
    const wide = widest(lines);
    expect([...wide].length, `widest line: ${wide}`).toBeLessThanOrEqual(columns);
    expect(raw).toMatch(/adam lr 0\.001/); // the learning rate in use, though not given
    expect(raw).toMatch(/600 epochs/); // the header breaks between its parts, never inside a number
    const live = lines.filter((line) => /\b\d+\/600\b/.test(line)).at(-1) ?? '';
    expect(live).toMatch(/loss [\d.e-]+/);
    expect(live).toMatch(/acc [\d.]+%/);
    expect(live).toMatch(/(\/s|samples\/s) /);
    expect(live).toMatch(/ETA \S+$/);
    if (columns >= 80) expect(live).toMatch(/\(val [\d.]+%\)|val acc [\d.]+%/); // validation accuracy shown
    expect(raw).toMatch(/validation accuracy/);
    expect(raw).not.toMatch(/valAccuracy/);
    expect(raw).toMatch(/layer/);
  });

  it.each([[[]], [['--activation', 'relu']]])(
    'fits the gradcheck table and its sentences (gradcheck %j)',
    async (flags: string[]) => {
      const lines = screenLines(await inTerminal(['gradcheck', ...flags], columns));
      const wide = widest(lines);
      expect([...wide].length, `widest line: ${wide}`).toBeLessThanOrEqual(columns);
      expect(lines).toContainEqual(expect.stringMatching(/^│ layer │ shape +│/));
      expect(lines).toContainEqual(expect.stringMatching(/^│ +1 │ 4 -> 1 +│.*│ +0 │$/)); // worst, at kink kept
      expect(lines.join(' ')).toMatch(/sat at a kink and +were left out/);
      expect(lines.join(' ')).toMatch(/worst relative error \S+, tolerance 1e-6: +passed/);
      if (columns >= 120) expect(lines.join(' ')).toMatch(/dE\/dW +│ dE\/dtheta │/); // nothing left out
      const dropped = lines.join(' ').match(/\(([^()]*) left out to fit the terminal/)?.[1];
      if (dropped !== undefined) expect(dropped).toMatch(/^(activation, )?(dE\/dW, )?dE\/dtheta$/);
    },
  );

  it('fits the plugins table, shortening a long plugin name', async () => {
    const lines = screenLines(await inTerminal(['plugins', '--plugin', './long.mjs'], columns));
    const wide = widest(lines);
    expect([...wide].length, `widest line: ${wide}`).toBeLessThanOrEqual(columns);
    expect(lines).toContainEqual(expect.stringMatching(/^│ activation +│ sigmoid +│ builtin +│$/));
    const softsign = lines.find((line) => /│ softsign /.test(line)) ?? '';
    expect(softsign).toMatch(/│ softsign-\S*…\S*-columns │$/);
    const plain = screenLines(await inTerminal(['plugins'], columns));
    expect([...widest(plain)].length).toBeLessThanOrEqual(columns);
  });

  it('lays help examples out on their own lines, inside the terminal', async () => {
    const top = screenLines(await inTerminal(['--help'], columns));
    expect([...widest(top)].length, `--help, widest line: ${widest(top)}`).toBeLessThanOrEqual(columns);
    for (const command of [
      'train',
      'predict',
      'evaluate',
      'gradcheck',
      'plugins',
      'dashboard',
      'export',
      'import',
    ]) {
      const lines = screenLines(await inTerminal([command, '--help'], columns));
      const wide = widest(lines);
      expect([...wide].length, `${command} --help, widest line: ${wide}`).toBeLessThanOrEqual(columns);
      const examples = lines.slice(lines.findIndex((line) => line === 'Examples:') + 1);
      expect(examples.some((line) => /^ {2}deltaflow /.test(line))).toBe(true);
    }
  });
});

describe('colour', () => {
  it('shows errors in red and the outcome in colour on a terminal, and none with NO_COLOR', async () => {
    const error = await inTerminal(['train', '--data', 'missing.csv'], 80);
    expect(error).toMatch(/\x1b\[31mdeltaflow: .*missing\.csv/); // eslint-disable-line no-control-regex
    expect(await inTerminal(['train', '--epochs', '50'], 80)).toMatch(/\x1b\[32mcompleted/); // eslint-disable-line no-control-regex
    const plain = await inTerminal(['train', '--data', 'missing.csv'], 80, { NO_COLOR: '1' });
    expect(plain).toMatch(/deltaflow: .*missing\.csv/);
    expect(plain).not.toMatch(/\x1b\[3\dm/); // eslint-disable-line no-control-regex
  });

  it('says a diverged run has no gradients to show rather than printing a table of dashes', async () => {
    const raw = await inTerminal(
      ['train', '--activation', 'relu', '--output-activation', 'linear', '--lr', '1e15', '--epochs', '50'],
      80,
    );
    expect(raw).toMatch(/\x1b\[31mdiverged/); // eslint-disable-line no-control-regex
    expect(screenLines(raw).join(' ')).toMatch(
      /gradients: nothing to show \(the run diverged before any batch had finite +gradients\)/,
    );
    expect(raw).not.toMatch(/│ +- +│ +- +│/);
  });
});
