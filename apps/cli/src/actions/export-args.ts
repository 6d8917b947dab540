import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow export` (see `commands/export.ts`), shared by every format's action. */
export interface ExportArgs extends GlobalArgs {
  model: string;
  format: string;
  out: string;
  /** onnx: the exported numbers (default: the model's). */
  dtype?: 'float32' | 'float64';
}

/** The parsed flags of `deltaflow import` (see `commands/import.ts`), shared by every format's action. */
export interface ImportArgs extends GlobalArgs {
  from: string;
  save: string;
  layers?: string;
  activation?: string;
  outputActivation?: string;
}
