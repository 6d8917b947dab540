import { toOnnx, toStandaloneModule, toTorch } from '@deltaflow/interop';
import { modelFromJSON } from '@deltaflow/network';
import { installPagePlugins } from '../page-plugins.js';

/**
 * The formats the dashboard's "download model" offers: the deltaflow model file, or one of `@deltaflow/interop`'s
 * exports (ONNX, PyTorch, standalone JavaScript).
 * @category Controls
 */
export type DownloadFormat = 'json' | 'onnx' | 'torch' | 'js';

/**
 * One file to hand to the browser as a download.
 * @category Controls
 */
export interface DownloadFile {
  /** The file's name. */
  name: string;
  /** Its content. */
  content: string | Uint8Array;
  /** Its MIME type. */
  type: string;
}

/**
 * Installs the page's plugin modules (`?plugin=URL`, and those its server serves) in the page itself, once each,
 * as the training worker does: the exports build the model here, with the plugins' activations (and their ONNX
 * lowerings). A module that fails to load is left out; the page has said so already, and the export then names
 * the unknown activation.
 *
 * @example
 * ```ts
 * // not-runnable: in the dashboard page
 * await installPlugins([new URL('plugins/isru.mjs', location.href).href]);
 * ```
 * @param urls - the plugin modules' URLs
 * @category Controls
 */
export async function installPlugins(urls: readonly string[]): Promise<void> {
  await installPagePlugins(urls, location.href);
}

/**
 * The files of a model file's text exported to `format` (not `json`): `<base>.onnx`; `<base>.safetensors` and
 * `<base>.py` (the base with underscores, so Python can import it); or `<base>.js` and `<base>.d.ts`. Loaded on
 * demand (a dynamic import), so the page's first bundle does without the exporters. Throws the exporter's
 * `DeltaflowError` (one sentence) for a model it cannot export, such as a plugin activation without a lowering.
 *
 * @example
 * ```ts
 * // not-runnable: in the dashboard page, with the run's model file text
 * const files = exportModelFile(text, 'deltaflow-circle-epoch-12', 'onnx');
 * files[0].name; // → 'deltaflow-circle-epoch-12.onnx'
 * ```
 * @param text - the model file's text (JSON)
 * @param base - the download's name without its extension
 * @param format - the format to export to
 * @returns the files to download, one or two
 * @category Controls
 */
export function exportModelFile(
  text: string,
  base: string,
  format: Exclude<DownloadFormat, 'json'>,
): DownloadFile[] {
  // The model with its meta (the scaler and the class names, which every export carries).
  const model = modelFromJSON(JSON.parse(text) as unknown, `${base}.json`);
  if (format === 'onnx') {
    return [{ name: `${base}.onnx`, content: toOnnx(model), type: 'application/octet-stream' }];
  }
  if (format === 'torch') {
    const { safetensors, python } = toTorch(model);
    const py = base.replace(/[^A-Za-z0-9_]/g, '_');
    return [
      { name: `${py}.safetensors`, content: safetensors, type: 'application/octet-stream' },
      { name: `${py}.py`, content: python, type: 'text/x-python' },
    ];
  }
  // the page's Content-Security-Policy forbids eval: a plugin's f is checked by parsing alone
  const { js, dts } = toStandaloneModule(model, { evaluate: false });
  return [
    { name: `${base}.js`, content: js, type: 'text/javascript' },
    { name: `${base}.d.ts`, content: dts, type: 'text/plain' },
  ];
}
