import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';
import { dataFlags } from '../options/train-flags.js';

/**
 * `deltaflow evaluate`: the loss E (mean over the samples) and the metrics of a saved model on a dataset.
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(evaluateCommand(context));
 * ```
 */
export function evaluateCommand(context: CommandContext): CommandModule {
  return {
    command: 'evaluate',
    describe: "Measure a saved model's loss and metrics on data",
    builder: (yargs) =>
      yargs
        .options({
          model: { type: 'string', demandOption: true, describe: 'The model file' },
          data: { type: 'string', demandOption: true, describe: 'A built-in dataset or a CSV file' },
          target: {
            type: 'string',
            describe: 'CSV target column(s)',
            defaultDescription: 'as trained, else the columns after the inputs',
          },
          encoding: dataFlags.encoding,
          loss: { type: 'string', describe: 'Error function', defaultDescription: "the model's, else mse" },
          seed: {
            type: 'number',
            describe: "Seed of a built-in dataset's points (as train --seed)",
            defaultDescription: '42',
          },
          json: {
            type: 'boolean',
            describe: 'Print one JSON line { loss, lossFunction, metrics, samples, data }',
          },
        })
        .group(['model', 'data', 'target', 'encoding', 'loss', 'seed', 'json'], 'Evaluate:')
        .example(
          ...helpExample(
            yargs,
            '$0 evaluate --model xor.json --data xor',
            'loss and accuracy on the built-in set',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 evaluate --model m.json --data test.csv --target t1,t2 --loss mse --json',
            'a CSV file, as JSON',
          ),
        ),
    handler: async (args) => {
      const { evaluate } = await import('../actions/evaluate.js');
      context.exitCode = await evaluate(args as unknown as Parameters<typeof evaluate>[0]);
    },
  };
}
