import type { StandaloneSource } from '../sources/standalone-source.js';
import { DataImport } from './data-import.js';
import { ARCHITECTURE_SHOWN, ModelFileControls } from './model-file.js';
import type { ModelArchitecture } from './model-file.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Shows an opened model's architecture in the form (its hidden layers, and its activation and loss when the
 * selectors offer them), then lets the form take the new values as if they had been typed in (its
 * configuration and the URL follow; the model file controls know this change is theirs).
 */
function showArchitecture({ layers, activation, loss }: ModelArchitecture): void {
  const box = byId<HTMLInputElement>('layers');
  box.value = layers.join(',');
  for (const [id, name] of [
    ['activation', activation],
    ['loss', loss],
  ] as const) {
    const select = byId<HTMLSelectElement>(id);
    if (name !== null && [...select.options].some((option) => option.value === name)) select.value = name;
  }
  box.dispatchEvent(new CustomEvent('change', { bubbles: true, detail: ARCHITECTURE_SHOWN }));
}

/**
 * Your own data and models on the standalone page: the CSV import (`DataImport`) and the model file controls
 * (`ModelFileControls`), wired to the page's training worker.
 *
 * @example
 * ```ts
 * // not-runnable: on the standalone page, after its form is filled in
 * import { DEFAULT_CONFIG } from '../../shared/playground-config.js';
 * import { StandaloneSource } from '../sources/standalone-source.js';
 *
 * const source = new StandaloneSource();
 * installUserFiles(source, () => source.configure(DEFAULT_CONFIG));
 * ```
 * @param source - the standalone page's source (its training worker)
 * @param restart - starts a new run with the form's configuration (the source's data and model apply to it)
 * @category Controls
 */
export function installUserFiles(source: StandaloneSource, restart: () => void): void {
  new DataImport((data, now) => {
    source.useData(data);
    if (now) restart();
  });
  new ModelFileControls({
    download: () => source.modelFile(),
    plugins: source.pluginUrls,
    use: (model, architecture, now) => {
      source.useModel(model);
      if (architecture) showArchitecture(architecture);
      if (now) restart();
    },
  });
}
