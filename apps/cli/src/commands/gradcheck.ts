import type { CommandModule } from 'yargs';
import { dataFlags, modelFlags, runFlags } from '../options/train-flags.js';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

const { dtype: _float64Only, ...architectureFlags } = modelFlags;

/**
 * `deltaflow gradcheck`: compares backpropagation's dE/dW with central finite differences in float64, for a
 * model built from the train options or a saved `--model`, then sweeps every activation's f' over x in -10..10;
 * prints the worst relative error per layer and per activation (with its x) and exits with 1 above `--tolerance`.
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(gradcheckCommand(context));
 * ```
 */
export function gradcheckCommand(context: CommandContext): CommandModule {
  return {
    command: 'gradcheck',
    describe: "Check backpropagation and the activations' derivatives against finite differences (float64)",
    builder: (yargs) =>
      yargs
        .options({ ...dataFlags, ...architectureFlags, l1: runFlags.l1, l2: runFlags.l2 })
        .options({
          model: { type: 'string', describe: 'Check a saved model instead of building one' },
          samples: { type: 'number', describe: 'Rows of the data used', defaultDescription: '16' },
          tolerance: {
            type: 'number',
            describe: 'Largest relative error accepted',
            defaultDescription: '1e-6',
          },
          json: {
            type: 'boolean',
            describe: 'Print one JSON line { layers, activations, worst, tolerance, passed, ... }',
          },
        })
        .group(
          [
            'model',
            'data',
            'target',
            'layers',
            'activation',
            'output-activation',
            'seed',
            'loss',
            'normalize',
            'dropout',
            'l1',
            'l2',
            'samples',
            'tolerance',
            'json',
          ],
          'Gradient check:',
        )
        .example(...helpExample(yargs, '$0 gradcheck', 'the default network on xor'))
        .example(
          ...helpExample(
            yargs,
            '$0 gradcheck --data iris --layers 8,8 --activation tanh --loss cross-entropy',
            'a deeper classifier',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 gradcheck --plugin ./softsign.mjs --activation softsign',
            "a plugin's activation",
          ),
        )
        .example(
          ...helpExample(yargs, '$0 gradcheck --model xor.json --data xor --tolerance 1e-8', 'a saved model'),
        ),
    handler: async (args) => {
      const { gradcheck } = await import('../actions/gradcheck.js');
      context.exitCode = await gradcheck(args as unknown as Parameters<typeof gradcheck>[0]);
    },
  };
}
