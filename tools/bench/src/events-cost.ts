import type { Sequential } from '@deltaflow/network';
// The loop without the Observable is internal to the trainer; the bench reaches into its build on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries -- TrainingLoop is not exported, on purpose.
import { TrainingLoop } from '../../../packages/trainer/dist/training-loop.js';
import { runTrain, trainOptions } from './runners/deltaflow.js';
import { fmt, summarize, table } from './stats.js';
import { W1, asTensors, deltaflowModel, xorData } from './workloads.js';

const EPOCHS = 20_000;

/**
 * us per epoch of the bare TrainingLoop (no Observable, no events), on the path `train()` takes: a lean run's
 * epoch in one call (`runEpoch`: for XOR on the WebAssembly backends one kernel call), else runBatch / finishEpoch.
 */
function bareLoop(model: Sequential): number {
  const loop = new TrainingLoop(model, asTensors(xorData()), trainOptions(W1, EPOCHS, 4));
  const t0 = performance.now();
  while (!loop.ended) {
    if (loop.lean && loop.runEpoch() !== undefined) continue;
    loop.runBatch();
    if (loop.epochComplete) loop.finishEpoch();
  }
  return ((performance.now() - t0) * 1000) / EPOCHS;
}

/** us per epoch of `train()` with an idle subscriber (every event built and delivered, nothing done with it). */
async function withEvents(model: Sequential): Promise<number> {
  const { seconds } = await runTrain(model, xorData(), trainOptions(W1, EPOCHS, 4));
  return (seconds * 1e6) / EPOCHS;
}

/**
 * Issue 3's claim: XOR 2-4-1 full batch with events on and an idle subscriber costs at most 1.25x the same loop
 * with events off. Interleaves the two, `repeats` times, and prints medians and the ratio.
 */
export async function eventsCost(repeats: number): Promise<void> {
  const bare: number[] = [];
  const events: number[] = [];
  const ratios: number[] = [];
  // Warm both paths up until the JIT has settled (XOR's per-epoch code needs ~100k epochs to be fully optimised).
  for (let r = 0; r < 6; r++) {
    bareLoop(deltaflowModel(W1));
    await withEvents(deltaflowModel(W1));
  }
  for (let r = 0; r < Math.max(repeats, 9); r++) {
    // Alternate which goes first, so neither always runs on a warmer (or more loaded) machine.
    let off: number;
    let on: number;
    if (r % 2 === 0) {
      off = bareLoop(deltaflowModel(W1));
      on = await withEvents(deltaflowModel(W1));
    } else {
      on = await withEvents(deltaflowModel(W1));
      off = bareLoop(deltaflowModel(W1));
    }
    bare.push(off);
    events.push(on);
    ratios.push(on / off);
  }
  const sb = summarize(bare);
  const se = summarize(events);
  const sr = summarize(ratios);
  console.log(
    `\nevents: XOR 2-4-1 full batch, ${EPOCHS} epochs, TrainingLoop alone vs train() with an idle subscriber`,
  );
  console.log(
    table([
      ['loop', 'median us/epoch', 'min .. max', 'spread'],
      [
        'TrainingLoop (events off)',
        fmt(sb.median),
        `${fmt(sb.min)} .. ${fmt(sb.max)}`,
        `${fmt(sb.spreadPct)}%`,
      ],
      [
        'train() + idle subscriber',
        fmt(se.median),
        `${fmt(se.min)} .. ${fmt(se.max)}`,
        `${fmt(se.spreadPct)}%`,
      ],
    ]),
  );
  console.log(
    `ratio events on / off: median ${fmt(sr.median)} (min ${fmt(sr.min)}, max ${fmt(sr.max)}) -> goal <= 1.25 ${sr.median <= 1.25 ? 'MET' : 'NOT MET'}`,
  );
}
