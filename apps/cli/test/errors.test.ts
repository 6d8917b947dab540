// Bad input of every kind: one short line on stderr, the right exit code, no stack trace, and an existing output
// file left exactly as it was.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeFiles } from './helpers.js';

const dir = tempDir();
const KEEP = '{"this file": "must stay byte-identical"}\n';
const model = (layers: unknown[]): string =>
  JSON.stringify({ format: 'deltaflow-model', version: 1, layers });
const dense = (inputs: number, units: number, activation = 'sigmoid') => ({
  type: 'dense',
  inputs,
  units,
  activation,
  weights: Array.from({ length: inputs }, () => Array<number>(units).fill(0.1)),
  bias: Array<number>(units).fill(0),
});

writeFiles(dir, {
  'keep.json': KEEP,
  'keep.jsonl': KEEP,
  'ragged.csv': 'a,b,y\n1,2,0\n3,4\n',
  'text.csv': 'a,b,y\n1,two,0\n',
  'nan.csv': 'a,b,y\n1,NaN,0\n',
  'empty.csv': '',
  'header.csv': 'a,b,y\n',
  'good.csv': 'a,b,y\n0,1,1\n1,1,0\n',
  'truncated.json': model([dense(2, 4), dense(4, 1)]).slice(0, 60),
  'misshaped.json': model([{ ...dense(2, 4), weights: [[0.1, 0.2, 0.3, 0.4]] }, dense(4, 1)]),
  'mismatch.json': model([dense(2, 3), dense(4, 1)]),
  'wide.json': model([dense(2, 2), dense(2, 2)]),
  'unknown-activation.json': model([dense(2, 2, 'swoosh'), dense(2, 1)]),
  'bad-config.json': '{ "epochs": 5, "learning-rate": 0.1 }',
});

type Case = [name: string, args: string[], exitCode: 1 | 2, message: RegExp];
const save = ['--save', 'keep.json', '--events', 'keep.jsonl'];

const cases: Case[] = [
  [
    'missing CSV',
    ['train', '--data', 'missing.csv', ...save],
    1,
    /Cannot read CSV file missing\.csv: there is no such file/,
  ],
  [
    'ragged CSV',
    ['train', '--data', 'ragged.csv', ...save],
    1,
    /ragged\.csv, line 3: the row has 2 cells but the header has 3 columns/,
  ],
  [
    'non-numeric CSV',
    ['train', '--data', 'text.csv', ...save],
    1,
    /text\.csv, line 2, column 'b': the cell 'two' is not a number/,
  ],
  [
    'NaN in a CSV',
    ['train', '--data', 'nan.csv', ...save],
    1,
    /nan\.csv, line 2, column 'b': the cell 'NaN' is not a number/,
  ],
  ['empty CSV', ['train', '--data', 'empty.csv', ...save], 1, /empty\.csv is empty/],
  [
    'CSV with a header only',
    ['train', '--data', 'header.csv', ...save],
    1,
    /header\.csv has a header row but no data rows/,
  ],
  [
    'unknown target column',
    ['train', '--data', 'good.csv', '--target', 'z', ...save],
    1,
    /has no column 'z' to use as target/,
  ],
  ['unknown dataset', ['train', '--data', 'xorr', ...save], 2, /--data: unknown dataset 'xorr'/],
  ['bad --layers', ['train', '--layers', '4,x', ...save], 2, /--layers takes the sizes of the hidden layers/],
  ['zero-width layer', ['train', '--layers', '0', ...save], 2, /--layers takes the sizes/],
  ['negative lr', ['train', '--lr', '-0.1', ...save], 2, /--lr must be a positive number, got -0\.1/],
  ['lr that is not a number', ['train', '--lr', 'fast', ...save], 2, /--lr must be a number/],
  [
    'zero batch size',
    ['train', '--batch-size', '0', ...save],
    2,
    /--batch-size must be a whole number of at least 1, got 0/,
  ],
  ['fractional epochs', ['train', '--epochs', '1.5', ...save], 2, /--epochs must be a whole number/],
  [
    'validation split of 1.5',
    ['train', '--validation-split', '1.5', ...save],
    2,
    /--validation-split must be a fraction/,
  ],
  [
    'unknown activation',
    ['train', '--activation', 'swoosh', ...save],
    2,
    /--activation: unknown activation 'swoosh'; registered: sigmoid.*--plugin/,
  ],
  [
    'unknown optimizer',
    ['train', '--optimizer', 'sgdd', ...save],
    2,
    /--optimizer: unknown optimizer 'sgdd'/,
  ],
  ['unknown loss', ['train', '--loss', 'l2', ...save], 2, /--loss: unknown loss 'l2'/],
  [
    'option the optimizer lacks',
    ['train', '--optimizer', 'adam', '--momentum', '0.9', ...save],
    2,
    /--momentum does not apply to --optimizer adam, which takes --lr and --weight-decay/,
  ],
  [
    'truncated --init model',
    ['train', '--init', 'truncated.json', ...save],
    1,
    /Model truncated\.json: the file is not valid JSON, perhaps truncated/,
  ],
  [
    'mis-shaped --init model',
    ['train', '--init', 'misshaped.json', ...save],
    1,
    /Model misshaped\.json: layers\[0\]\.weights has 1 rows, expected 2/,
  ],
  [
    'layers that do not chain',
    ['train', '--init', 'mismatch.json', ...save],
    1,
    /Model mismatch\.json: layers\[1\]\.inputs is 4 but layers\[0\] has 3 units/,
  ],
  [
    'model that does not fit the data',
    ['train', '--init', 'wide.json', '--data', 'xor', ...save],
    1,
    /takes 2 inputs and gives 2 outputs/,
  ],
  [
    'model naming an unregistered activation',
    ['train', '--init', 'unknown-activation.json', ...save],
    1,
    /'swoosh'.*--plugin/,
  ],
  [
    '--init with --layers',
    ['train', '--init', 'wide.json', '--layers', '3', ...save],
    2,
    /--layers cannot be combined with --init/,
  ],
  [
    'missing plugin',
    ['train', '--plugin', './missing-plugin.mjs', ...save],
    1,
    /Cannot find the plugin module \.\/missing-plugin\.mjs/,
  ],
  [
    'plugin package that is not installed',
    ['plugins', '--plugin', 'deltaflow-plugin-nowhere'],
    1,
    /Cannot find the plugin package 'deltaflow-plugin-nowhere'/,
  ],
  [
    'unwritable --save path',
    ['train', '--save', 'no-such-dir/out.json'],
    1,
    /Cannot write --save no-such-dir\/out\.json: the directory .* does not exist/,
  ],
  [
    'unwritable --events path',
    ['train', '--events', 'no-such-dir/run.jsonl', '--save', 'keep.json'],
    1,
    /Cannot write --events no-such-dir\/run\.jsonl/,
  ],
  [
    'unknown flag',
    ['train', '--learning-rate', '0.1', ...save],
    2,
    /Unknown argument --learning-rate; see deltaflow train --help/,
  ],
  ['unknown command', ['trian'], 2, /Unknown command 'trian'; did you mean train\?/],
  [
    'no command',
    [],
    2,
    /Choose a command: train, predict, evaluate, gradcheck, plugins, dashboard, export or import/,
  ],
  [
    'bad key in --config',
    ['train', '--config', 'bad-config.json', ...save],
    2,
    /--config bad-config\.json: unknown option 'learning-rate'/,
  ],
  [
    'missing --config',
    ['train', '--config', 'nowhere.json', ...save],
    1,
    /Cannot read --config nowhere\.json: there is no such file/,
  ],
  [
    '--json with --quiet',
    ['train', '--json', '--quiet', ...save],
    2,
    /--json and --quiet cannot be combined/,
  ],
  ['predict without --model', ['predict', '--input', '0,1'], 2, /Missing required flag --model/],
  [
    'predict with a missing model',
    ['predict', '--model', 'nowhere.json', '--input', '0,1'],
    1,
    /Cannot read the model file nowhere\.json \(--model\)/,
  ],
  [
    'predict with a truncated model',
    ['predict', '--model', 'truncated.json', '--input', '0,1'],
    1,
    /perhaps truncated/,
  ],
  [
    'predict input that is not a number',
    ['predict', '--model', 'wide.json', '--input', '0,x'],
    2,
    /--input "0,x": 'x' is not a finite number/,
  ],
  [
    'predict input of the wrong width',
    ['predict', '--model', 'wide.json', '--input', '0,1,2'],
    2,
    /has 3 values but the model takes 2 inputs/,
  ],
  [
    'predict with --input and --data',
    ['predict', '--model', 'wide.json', '--input', '0,1', '--data', 'good.csv'],
    2,
    /either --input/,
  ],
  [
    'evaluate on data of the wrong width',
    ['evaluate', '--model', 'wide.json', '--data', 'good.csv'],
    1,
    /takes 2 inputs and gives 2 outputs/,
  ],
  [
    'gradcheck with a zero tolerance',
    ['gradcheck', '--tolerance', '0'],
    2,
    /--tolerance must be a positive number/,
  ],
];

describe('bad input', () => {
  it('covers at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.concurrent.each(cases)('%s', async (_name, args, exitCode, message) => {
    const { code, stdout, stderr } = await runCli(args, dir);
    expect(code, `exit code ${code}, stderr: ${stderr}`).toBe(exitCode);
    expect(stderr).toMatch(/^deltaflow: [^\n]+\n$/); // exactly one line
    expect(stderr.length).toBeLessThan(360); // the --config message lists every option
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^ {4}at /m);
    expect(stdout).toBe('');
    expect(readFileSync(join(dir, 'keep.json'), 'utf8')).toBe(KEEP);
    expect(readFileSync(join(dir, 'keep.jsonl'), 'utf8')).toBe(KEEP);
  });

  it('--verbose adds the stack trace', async () => {
    const { code, stderr } = await runCli(['train', '--data', 'empty.csv', '--verbose'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^deltaflow: empty\.csv is empty/);
    expect(stderr).toMatch(/^ {4}at /m);
  });
});
