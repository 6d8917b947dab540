// Mistyped and malformed flags, as a person types them: each gets exactly one line on stderr, naming the flag
// (with the closest flag or value when there is one), exit code 2, and nothing runs.
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const dir = tempDir();

type Case = [args: string[], line: string];

const cases: Case[] = [
  // typos, with the closest flag (core's `suggest`, as for config keys)
  [['train', '--epoch', '100'], 'Unknown argument --epoch; did you mean --epochs?'],
  [['train', '--layer', '8'], 'Unknown argument --layer; did you mean --layers?'],
  [['train', '--optimiser', 'adam'], 'Unknown argument --optimiser; did you mean --optimizer?'],
  [['--versoin'], 'Unknown argument --versoin; did you mean --version?'],
  [['train', '--epochs=5', '--batchsize', '4'], 'Unknown argument --batchsize; did you mean --batch-size?'],
  [['train', '--no-shufle'], 'Unknown argument --no-shufle; did you mean --no-shuffle?'],
  [['gradcheck', '--tolerence', '1e-3'], 'Unknown argument --tolerence; did you mean --tolerance?'],
  [['dashboard', '--prot', '8080'], 'Unknown argument --prot; did you mean --port?'],
  [
    ['train', '--learning-rate', '0.1'],
    'Unknown argument --learning-rate; see deltaflow train --help for the flags.',
  ],
  [['trian'], "Unknown command 'trian'; did you mean train?"],
  [['evalute', '--model', 'm.json'], "Unknown command 'evalute'; did you mean evaluate?"],
  // a flag with no value
  [['train', '--lr'], '--lr needs a value: write --lr NUMBER, or leave the flag out.'],
  [['train', '--lr', '--epochs', '5'], '--lr needs a value: write --lr NUMBER, or leave the flag out.'],
  [['train', '--save'], '--save needs a value: write --save VALUE, or leave the flag out.'],
  [['train', '--layers', '--quiet'], '--layers needs a value: write --layers VALUE, or leave the flag out.'],
  [['train', '--plugin'], '--plugin needs a value: write --plugin VALUE, or leave the flag out.'],
  [['predict', '--model'], '--model needs a value: write --model VALUE, or leave the flag out.'],
  [['dashboard', '--port'], '--port needs a value: write --port VALUE, or leave the flag out.'],
  // bad values, shown as given
  [['train', '--epochs', 'abc'], "--epochs must be a number, got 'abc'."],
  [['train', '--lr=fast'], "--lr must be a number, got 'fast'."],
  [['train', '--dtype', 'float16'], "--dtype must be float32 or float64, got 'float16'."],
  [
    ['gradcheck', '--dtype', 'float64'],
    'Unknown argument --dtype; see deltaflow gradcheck --help for the flags.',
  ],
  // given twice
  [['train', '--epochs', '2', '--epochs', '3'], '--epochs was given twice (2 and 3); give it once.'],
  [
    ['train', '--lr', '0.1', '--lr=0.2', '--lr', '0.3'],
    '--lr was given 3 times (0.1, 0.2 and 0.3); give it once.',
  ],
  [
    ['train', '--shuffle', '--no-shuffle'],
    '--shuffle was given twice (--shuffle and --no-shuffle); give it once.',
  ],
  // optimizer flags the optimizer does not take, in flags (not its internal option names)
  [
    ['train', '--optimizer', 'adam', '--momentum', '0.9'],
    '--momentum does not apply to --optimizer adam, which takes --lr and --weight-decay; --momentum is for sgd and rmsprop.',
  ],
  [
    ['train', '--optimizer', 'adagrad', '--nesterov'],
    '--nesterov does not apply to --optimizer adagrad, which takes --lr and --weight-decay; --nesterov is for sgd.',
  ],
  // yargs' own checks, in flags
  [['train', '-x'], 'Unknown argument -x (see deltaflow train --help).'],
  [['train', 'fast'], "Unknown argument 'fast' (see deltaflow train --help)."],
  [['predict', '--input', '0,1'], 'Missing required flag --model (see deltaflow predict --help).'],
];

describe('mistyped and malformed flags', () => {
  it('covers at least 15 cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  it.concurrent.each(cases)('%j', async (args, line) => {
    const { code, stdout, stderr } = await runCli(args, dir);
    expect({ code, stderr, stdout }).toEqual({ code: 2, stderr: `deltaflow: ${line}\n`, stdout: '' });
  });

  it('does not train when --lr has no value', async () => {
    const { code, stdout } = await runCli(['train', '--epochs', '1', '--lr', '--json'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });

  it('keeps what works: a value after its flag, negative numbers, --dashboard with no port, --help', async () => {
    const ok = await runCli(['train', '--epochs=3', '--lr', '0.5', '--json'], dir);
    expect(ok.code).toBe(0);
    const negative = await runCli(['train', '--epochs', '0', '--lr', '-1'], dir);
    expect(negative.stderr).toBe('deltaflow: --lr must be a positive number, got -1.\n');
    const help = await runCli(['train', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--epochs/);
  });
});
