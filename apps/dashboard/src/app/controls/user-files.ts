import type { StandaloneSource } from '../sources/standalone-source.js';
import { DataImport } from './data-import.js';
import { ModelFileControls } from './model-file.js';
import type { ModelArchitecture } from './model-file.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Starts a new run from what the configuration form shows, through the form's own change handling: the run
 * takes exactly the boxes' values (and holds, explained, while a box is invalid), the URL follows.
 */
function restartFromForm(): void {
  byId('config').dispatchEvent(new Event('change'));
}

/** Shows an opened model's architecture in the form: its hidden layers, activation and loss (when offered). */
function showArchitecture({ layers, activation, loss }: ModelArchitecture): void {
  byId<HTMLInputElement>('layers').value = layers.join(',');
  for (const [id, name] of [
    ['activation', activation],
    ['loss', loss],
  ] as const) {
    const select = byId<HTMLSelectElement>(id);
    if (name !== null && [...select.options].some((option) => option.value === name)) select.value = name;
  }
}

/**
 * Your own data and models on the standalone page: the CSV import (`DataImport`) and the model file controls
 * (`ModelFileControls`), wired to the page's training worker. Each change starts a new run through the
 * configuration form, so the run always matches what the form shows.
 *
 * @example
 * ```ts
 * // not-runnable: on the standalone page, after its form is filled in
 * import { StandaloneSource } from '../sources/standalone-source.js';
 *
 * installUserFiles(new StandaloneSource());
 * ```
 * @param source - the standalone page's source (its training worker)
 * @category Controls
 */
export function installUserFiles(source: StandaloneSource): void {
  new DataImport((data, restart) => {
    source.useData(data);
    if (restart) restartFromForm();
  });
  new ModelFileControls({
    download: () => source.modelFile(),
    use: (model, architecture, restart) => {
      source.useModel(model);
      if (architecture) showArchitecture(architecture);
      if (restart) restartFromForm();
    },
  });
}
