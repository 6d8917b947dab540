// The prelude of the TSDoc examples (see README.md, "TSDoc examples"): the names an `@example` of
// packages/*/src or apps/*/src may use without importing them, besides the exports of its own package and of
// the file it documents. Anything else an example uses must be imported or declared by the example itself.
//
// - Re-exports: the vocabulary every example may use (real values: an example that uses only these is run).
// - `export declare const`: free variables, "a model you already have" (declared, never defined: an example
//   that uses one is type-checked but not run). Give each name ONE meaning across the workspace.
import type { Dataset } from '@deltaflow/data';
import type { PerSampleLossSpec } from '@deltaflow/losses';
import type { ModelJSON, Plugin, Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';
import type { Tensor, Tensor2D } from '@deltaflow/tensor';
import type { EpochEvent, TrainingData, TrainingEvent, TrainingRun } from '@deltaflow/trainer';
import type { RunCollector } from '../../apps/cli/src/train/collector.js';
import type { RunConsumer, RunOutcome } from '../../apps/cli/src/train/consumer.js';
import type { PreparedRun } from '../../apps/cli/src/train/prepare.js';
import type { View } from '../../apps/dashboard/src/app/render-loop.js';
import type { DashboardStore } from '../../apps/dashboard/src/app/store.js';

// The vocabulary.
export { Random, Tensor } from '@deltaflow/tensor';
export { iris, xor } from '@deltaflow/data';
export { mlp } from '@deltaflow/network';
export { train } from '@deltaflow/trainer';

// Free variables: a model, its data and its optimizer.
/** A model built with `mlp(...)`. */
export declare const model: Sequential;
/** A batch of inputs, one sample a row. */
export declare const inputs: Tensor2D;
/** The targets t_k of `inputs`, one sample a row. */
export declare const targets: Tensor2D;
/** The model's outputs O_k for `inputs`. */
export declare const outputs: Tensor;
/** Training data: inputs and targets. */
export declare const data: TrainingData;
/** A dataset. */
export declare const ds: Dataset;
/** An optimizer over the model's parameters. */
export declare const optimizer: Optimizer;
/** The current epoch. */
export declare const epoch: number;
/** A model file's contents, parsed. */
export declare const json: ModelJSON;
/** A file's text. */
export declare const text: string;

// Free variables: tensors of one layer's computation (same shape where they pair up).
/** A layer's net input x (before the activation). */
export declare const x: Tensor;
/** A layer's output O = f(x). */
export declare const o: Tensor;
/** dE/dO, the gradient at a layer's output. */
export declare const dO: Tensor;
/** dE/dx, written by backward. */
export declare const dx: Tensor;
/** The network's output O_k. */
export declare const output: Tensor;
/** The targets t_k. */
export declare const target: Tensor;
/** Where a result is written. */
export declare const out: Tensor;
/** dE/dO, the loss's gradient at the network's output. */
export declare const dEdO: Tensor;
/** dE/dx, the gradient at the output layer's net input. */
export declare const dEdx: Tensor;

// Free variables: what plugins bring.
/** A plugin, e.g. the default export of './my-plugin.js'. */
export declare const myPlugin: Plugin;
/** A per-sample loss of a plugin's: log-cosh, as in the example of `PerSampleLossSpec`. */
export declare const logCosh: PerSampleLossSpec;

// Free variables: a run and what watches it.
/** A run made by `createRun(...)`. */
export declare const run: TrainingRun;
/** Events of a run, in order. */
export declare const events: TrainingEvent[];
/** The epoch events of a run, in order. */
export declare const epochEvents: EpochEvent[];
/** Shows an event (a terminal renderer, a chart, ...). */
export declare const render: (event: TrainingEvent) => void;
/** Sends an event somewhere (a WebSocket, a worker's port, ...). */
export declare const send: (event: TrainingEvent) => void;

// Free variables of the CLI (apps/cli).
/** A training run checked and set up by `prepareRun`. */
export declare const prepared: PreparedRun;
/** What watches a CLI run (progress, recorder, dashboard). */
export declare const consumers: RunConsumer[];
/** How a CLI run ended. */
export declare const outcome: RunOutcome;
/** The events of a CLI run, collected. */
export declare const collector: RunCollector;

// Free variables of the dashboard (apps/dashboard).
/** The page's state, fed by its message source. */
export declare const store: DashboardStore;
/** Views of the page: the summary, the curves, the decision-boundary heatmap. */
export declare const summary: View;
export declare const curves: View;
export declare const heatmap: View;
