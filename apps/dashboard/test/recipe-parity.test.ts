// The dashboard's training worker (@deltaflow/trainer's serveTrainingWorker), in chromium, prepares runs with the
// library's recipe: the shared run description trains to the same final weights as the library in Node and
// `deltaflow train` (apps/cli/test), bit for bit, and a description the library refuses is refused with the
// library's message.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { denseLayers } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EndEvent, RunDescription, TrainingEvent } from '@deltaflow/trainer';
import { filter, lastValueFrom } from 'rxjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const parity = JSON.parse(
  readFileSync(new URL('../../../packages/trainer/src/recipe/parity-run.json', import.meta.url), 'utf8'),
) as RunDescription;

/** sha256 of a model file's weights and biases, layer by layer. */
const weightsHash = (model: Pick<ModelJSON, 'layers'>): string =>
  createHash('sha256')
    .update(JSON.stringify(denseLayers(model).map((l) => [l.weights, l.bias])))
    .digest('hex');

/** The built worker script, as the page loads it. */
const workerScript = readdirSync(new URL('../dist/page/assets/', import.meta.url)).find(
  (name) => name.startsWith('training-worker-') && name.endsWith('.js'),
)!;

/**
 * Runs the page's training worker on `description` as `@deltaflow/trainer`'s worker API does (its messages:
 * setup, run, start), and resolves with the end event's model file, or with the error the worker reported.
 */
function runInWorker(
  page: Page,
  description: RunDescription,
): Promise<{ model?: ModelJSON; error?: string }> {
  return page.evaluate(
    ([script, run]) =>
      new Promise<{ model?: ModelJSON; error?: string }>((resolve) => {
        const worker = new Worker(`assets/${script}`, { type: 'module' });
        worker.onmessage = (message: MessageEvent) => {
          const reply = message.data as { type: string; items?: Record<string, unknown>[] };
          for (const item of reply.items ?? []) {
            if (item.kind === 'error') resolve({ error: (item.error as { message: string }).message });
            const event = item.event as { type: string; model?: ModelJSON } | undefined;
            if (event?.type === 'end') {
              resolve({ model: event.model! });
              worker.terminate();
            }
          }
        };
        worker.postMessage({ type: 'setup', plugins: [], backend: 'auto' });
        worker.postMessage({
          type: 'run',
          id: 1,
          description: run,
          init: null,
          extras: {},
          flushMs: 50,
          sampleMs: 0,
          pace: null,
        });
        worker.postMessage({ type: 'control', id: 1, command: 'start' });
      }),
    [workerScript, description] as const,
  );
}

const playground = usePlayground();

describe('the run recipe in the dashboard worker', () => {
  it('trains the shared description to the weights the library computes in Node, bit for bit', async () => {
    const run = await prepareRun(parity);
    const end = await lastValueFrom(
      train(run.model, run.train, run.trainOptions).pipe(
        filter((e: TrainingEvent): e is EndEvent => e.type === 'end'),
      ),
    );
    const { page, errors } = await openPage(playground.browser.context, playground.server.url);
    const result = await runInWorker(page, parity);
    expect(result.error).toBeUndefined();
    expect(denseLayers(result.model!).map((l) => [l.inputs, l.units, l.activation])).toEqual([
      [2, 5, 'tanh'],
      [5, 3, 'tanh'],
      [3, 1, 'sigmoid'],
    ]);
    expect(weightsHash(result.model!)).toBe(weightsHash(end.model));
    expect(errors).toEqual([]);
  });

  it('refuses cross-entropy on one output with the library message', async () => {
    const description: RunDescription = { ...parity, loss: 'cross-entropy' };
    const refusal = await prepareRun(description).catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toMatch(/^The loss cross-entropy needs one-hot targets/);
    const { page } = await openPage(playground.browser.context, playground.server.url);
    expect(await runInWorker(page, description)).toEqual({ error: (refusal as Error).message });
  });
});
