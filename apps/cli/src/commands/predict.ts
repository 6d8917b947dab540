import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';
import { dataFlags } from '../options/train-flags.js';

/**
 * `deltaflow predict`: runs a saved model on `--input` rows or a data file, printing the outputs and, for
 * classifiers, the class label.
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(predictCommand(context));
 * ```
 */
export function predictCommand(context: CommandContext): CommandModule {
  return {
    command: 'predict',
    describe: 'Run a saved model on inputs',
    builder: (yargs) =>
      yargs
        .options({
          model: { type: 'string', demandOption: true, describe: 'The model file' },
          input: {
            type: 'string',
            array: true,
            describe: 'One input row, numbers separated by commas (repeatable)',
          },
          data: { type: 'string', describe: 'Predict every row of a CSV file (or a built-in dataset)' },
          target: {
            type: 'string',
            describe: 'CSV columns to leave out (targets), separated by commas',
            defaultDescription: 'as trained, else the columns after the inputs',
          },
          encoding: dataFlags.encoding,
          seed: {
            type: 'number',
            describe: "Seed of a built-in dataset's points (as train --seed)",
            defaultDescription: '42',
          },
          json: {
            type: 'boolean',
            describe: 'Print one JSON line { predictions: [{ input, output, label? }] }',
          },
        })
        .group(['model', 'input', 'data', 'target', 'encoding', 'seed', 'json'], 'Predict:')
        .example(
          ...helpExample(
            yargs,
            '$0 predict --model xor.json --input 0,1 --input 1,1',
            'two rows; a classifier also prints the class',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 predict --model iris.json --data flowers.csv --json',
            'every row of a file, as JSON',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 predict --model m.json --input -1.5,2',
            'negative numbers work as they are',
          ),
        ),
    handler: async (args) => {
      const { predict } = await import('../actions/predict.js');
      context.exitCode = await predict(args as unknown as Parameters<typeof predict>[0]);
    },
  };
}
