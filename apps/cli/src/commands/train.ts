import type { CommandModule } from 'yargs';
import { trainFlags } from '../options/train-flags.js';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

/**
 * `deltaflow train`: trains a multilayer perceptron with live progress (the work is in `train/run-train.ts`,
 * loaded when the command runs).
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(trainCommand(context));
 * ```
 */
export function trainCommand(context: CommandContext): CommandModule {
  return {
    command: 'train',
    describe: "Train a network (default: the lecture notes' 2-4-1 sigmoid network on xor)",
    builder: (yargs) =>
      yargs
        .options(trainFlags)
        .group(['data', 'target'], 'Data:')
        .group(['layers', 'activation', 'output-activation', 'dropout', 'dtype', 'seed', 'init'], 'Model:')
        .group(
          [
            'loss',
            'optimizer',
            'lr',
            'momentum',
            'nesterov',
            'weight-decay',
            'opt',
            'l1',
            'l2',
            'batch-size',
            'epochs',
            'shuffle',
            'validation-split',
            'test-split',
            'normalize',
          ],
          'Training:',
        )
        .group(
          ['schedule', 'step-size', 'gamma', 't-max', 'eta-min', 'warmup-epochs', 'start-factor'],
          'Learning-rate schedule:',
        )
        .group(['early-stopping', 'patience', 'min-delta', 'restore-best'], 'Early stopping:')
        .group(
          ['save', 'events', 'json', 'metrics', 'quiet', 'config', 'dashboard', 'dashboard-wait'],
          'Output:',
        )
        .example(...helpExample(yargs, '$0 train', "the lecture notes' 2-4-1 network on xor"))
        .example(
          ...helpExample(
            yargs,
            '$0 train --data iris --layers 8 --loss cross-entropy --normalize',
            'a classifier',
          ),
        )
        .example(
          ...helpExample(yargs, '$0 train --data points.csv --target y --save model.json', 'a CSV file'),
        )
        .example(...helpExample(yargs, '$0 train --events run.jsonl --json', 'record every event'))
        .example(
          ...helpExample(yargs, '$0 train --init model.json --epochs 100 --save model.json', 'train on'),
        )
        .example(...helpExample(yargs, '$0 train --config run.json --epochs 50', 'options from a file'))
        .example(
          ...helpExample(
            yargs,
            '$0 train --data circle --schedule cosine --early-stopping --validation-split 0.2 --test-split 0.2',
            'a schedule, early stopping and a test set',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 train --data spiral --layers 8,8 --activation tanh --dashboard',
            'watch it in the browser',
          ),
        ),
    handler: async (args) => {
      const { runTrain } = await import('../train/run-train.js');
      context.exitCode = await runTrain(args as Record<string, unknown>);
    },
  };
}
