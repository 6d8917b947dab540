import type { UserModel } from '../../shared/user-run.js';
import { isModelFile } from './data-import.js';
import type { ModelFileReply } from '../../shared/worker-protocol.js';
import type { DownloadFile, DownloadFormat } from './model-export.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * What an opened model file's layers say about its architecture, for the configuration form: the hidden layers'
 * units, the first hidden layer's activation (null without hidden layers), and the loss its meta names.
 * @category Controls
 */
export interface ModelArchitecture {
  layers: number[];
  activation: string | null;
  loss: string | null;
}

/**
 * The `detail` of the change event that shows an opened model's architecture in the form: that change keeps the
 * model (a change the person makes to the hidden layers or the activation means new weights).
 * @category Controls
 */
export const ARCHITECTURE_SHOWN = 'deltaflow:architecture-shown';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the architecture of a model file's text; throws an Error with one sentence when it is not a model file
 * (the worker checks every weight when it loads it).
 *
 * @example
 * ```ts
 * const text = '{"format":"deltaflow-model","version":1,"layers":[{"units":4,"activation":"tanh"},{"units":1,"activation":"sigmoid"}]}';
 * architectureOf(text, 'm.json').layers; // → [4]
 * ```
 * @category Controls
 */
export function architectureOf(text: string, file: string): ModelArchitecture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      `${file} is not JSON; open a model file saved by the dashboard or by deltaflow train --save.`,
    );
  }
  if (!isObject(json) || json.format !== 'deltaflow-model' || !Array.isArray(json.layers)) {
    throw new Error(
      `${file} is not a deltaflow model file (it needs "format": "deltaflow-model" and its layers); open one saved by the dashboard or by deltaflow train --save.`,
    );
  }
  // Dropout layers (model file version 2) carry no units: the architecture is the dense layers'.
  const layers = (json.layers as unknown[]).filter((layer) => !(isObject(layer) && layer.type === 'dropout'));
  const units = layers.map((layer) => (isObject(layer) ? layer.units : undefined));
  if (layers.length === 0 || !units.every((u) => typeof u === 'number' && Number.isInteger(u) && u > 0)) {
    throw new Error(
      `${file} has no usable layers (each needs a positive number of units); save the model again.`,
    );
  }
  const first = layers.length > 1 && isObject(layers[0]) ? layers[0].activation : null;
  const activation =
    typeof first === 'string' ? first : isObject(first) && typeof first.name === 'string' ? first.name : null;
  const loss = isObject(json.meta) && typeof json.meta.loss === 'string' ? json.meta.loss : null;
  return { layers: (units as number[]).slice(0, -1), activation, loss };
}

/**
 * The standalone page's model file controls: "download model" saves the run's model (the file `deltaflow
 * predict --model` and `train --init` read), or exports it in the chosen format (ONNX, PyTorch, standalone
 * JavaScript, as `deltaflow export` does), and "continue from" opens a model file (or one is dropped on the
 * page): its architecture shows in
 * the form and training continues from its weights (reset too), until the hidden layers or the activation are
 * changed or "new weights" is clicked.
 * @category Controls
 */
export class ModelFileControls {
  private readonly download = byId<HTMLButtonElement>('download-model');
  private readonly format = byId<HTMLSelectElement>('model-format');
  private readonly open = byId<HTMLInputElement>('model-open');
  private readonly clear = byId<HTMLButtonElement>('model-clear');
  private readonly message = byId<HTMLElement>('model-message');
  private current: UserModel | null = null;

  constructor(handlers: {
    /** The run's model file, from the worker. */
    download(): Promise<ModelFileReply>;
    /** The page's plugin modules (`?plugin=URL`), which the exports need for their activations. */
    plugins?: readonly string[];
    /** Continue from `model` (null: new weights); `restart` false when the configuration form starts a run anyway. */
    use(model: UserModel | null, architecture: ModelArchitecture | null, restart: boolean): void;
  }) {
    // The format is no change of the configuration form (which would start a new run).
    for (const type of ['input', 'change'])
      this.format.addEventListener(type, (event) => event.stopPropagation());
    this.download.addEventListener('click', () => {
      const format = this.format.value as DownloadFormat;
      void handlers.download().then((reply) => this.save(reply, format, handlers.plugins ?? []));
    });
    const read = (file: File): void =>
      void file.text().then(
        (text) => {
          let architecture: ModelArchitecture;
          try {
            architecture = architectureOf(text, file.name);
          } catch (error) {
            this.say((error as Error).message, true);
            return;
          }
          this.current = { text, file: file.name };
          this.clear.hidden = false;
          const shape = architecture.layers.length > 0 ? architecture.layers.join(', ') : 'none';
          this.say(
            `Continuing from ${file.name} (hidden layers: ${shape}), with its weights; changing the hidden layers or the activation starts from new weights.`,
            false,
          );
          handlers.use(this.current, architecture, true);
        },
        (error: unknown) => this.say(`${file.name} cannot be read (${String(error)}); open it again.`, true),
      );
    this.open.addEventListener('change', (event) => {
      event.stopPropagation(); // not a change of the configuration form
      const file = this.open.files?.[0];
      if (file) read(file);
    });
    // A model file dropped on the page (the data import takes CSVs, and keeps the browser from opening files).
    window.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (file && isModelFile(file)) read(file);
    });
    const drop = (restart: boolean): void => {
      if (!this.current) return;
      this.current = null;
      this.open.value = '';
      this.clear.hidden = true;
      this.say('', false);
      handlers.use(null, null, restart);
    };
    this.clear.addEventListener('click', () => drop(true));
    // A new architecture means new weights (these run before the form's own change handler, which restarts).
    // (on input too: a form that restarts on input then restarts without the model)
    for (const id of ['layers', 'activation']) {
      for (const type of ['input', 'change']) {
        byId(id).addEventListener(type, (event) => {
          if ((event as CustomEvent).detail !== ARCHITECTURE_SHOWN) drop(false);
        });
      }
    }
  }

  /** Hands the model to the browser as a download: the model file, or its export to `format` (one or two files). */
  private async save(
    reply: ModelFileReply,
    format: DownloadFormat,
    plugins: readonly string[],
  ): Promise<void> {
    if (reply.text === null) {
      this.say('There is no model yet: wait for the run to start, then download it.', true);
      return;
    }
    if (format === 'json') {
      hand({ name: reply.name, content: reply.text, type: 'application/json' });
      this.say(`Saved ${reply.name}; deltaflow predict --model ${reply.name} reads it.`, false);
      return;
    }
    const base = reply.name.replace(/\.json$/, '');
    let files: DownloadFile[];
    try {
      // The exporters load only when asked for (they stay out of the page's first bundle).
      const { exportModelFile, installPlugins } = await import('./model-export.js');
      await installPlugins(plugins);
      files = exportModelFile(reply.text, base, format);
    } catch (error) {
      this.say(error instanceof Error ? error.message : String(error), true);
      return;
    }
    for (const file of files) hand(file);
    const [first, second] = files.map((file) => file.name);
    const how: Record<Exclude<DownloadFormat, 'json'>, string> = {
      onnx: `ONNX Runtime reads it (its input is the raw features).`,
      torch: `${second ?? ''} needs torch alone: load("${first ?? ''}") returns the nn.Sequential.`,
      js: `import { predict } from './${first ?? ''}' needs nothing else.`,
    };
    this.say(`Saved ${files.map((file) => file.name).join(' and ')}; ${how[format]}`, false);
  }

  private say(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', error);
  }
}

/** Hands one file to the browser as a download. */
function hand(file: DownloadFile): void {
  const url = URL.createObjectURL(new Blob([file.content as BlobPart], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
