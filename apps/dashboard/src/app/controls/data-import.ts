import { csvColumns } from '@deltaflow/data';
import type { CsvCheckReply, CsvCheckRequest } from '../../shared/csv-check.js';
import type { UserData } from '../../shared/user-run.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Larger files would make the page (which keeps the text, and posts it to the worker per run) sluggish. */
const MAX_BYTES = 64 * 1024 * 1024;

/** One sentence of an error (a DeltaflowError's message is one already). */
const sentence = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

/**
 * The person's own data on the standalone page: open a CSV with the file box or drop it on the page, then
 * choose the target column and the two plotted features (x and y: the network's inputs). With "also train on
 * the other columns", every other column is an input too (after x and y); the heatmap then stays hidden, as for
 * any data that is not 2-D. `@deltaflow/data` parses the file in the page (its header at once, then the whole
 * file with the chosen columns in a worker, so a large file never freezes the page): a row or column error
 * shows next to the box as one sentence, and the run keeps its data until the file and columns parse. "Built-in data" (or choosing a dataset) goes back to the generated sets.
 * @category Controls
 */
export class DataImport {
  private readonly file = byId<HTMLInputElement>('csv-file');
  private readonly drop = byId<HTMLElement>('data-fieldset');
  private readonly columns = byId<HTMLElement>('csv-columns');
  private readonly target = byId<HTMLSelectElement>('csv-target');
  private readonly x = byId<HTMLSelectElement>('csv-x');
  private readonly y = byId<HTMLSelectElement>('csv-y');
  private readonly all = byId<HTMLInputElement>('csv-all');
  private readonly clear = byId<HTMLButtonElement>('csv-clear');
  private readonly message = byId<HTMLElement>('csv-message');
  private text = '';
  private name = '';
  private header: string[] = [];
  /** The data in use, or null for the built-in sets. */
  private current: UserData | null = null;
  /** Parses CSVs off the main thread (started with the first file). */
  private checker: Worker | null = null;
  /** The newest check's id: older answers are dropped. */
  private checks = 0;

  /**
   * @param onChange - called with the data to train on from now (null: the built-in sets), and whether to start
   * a new run on it now (false when the configuration form starts one anyway)
   */
  constructor(private readonly onChange: (data: UserData | null, restart: boolean) => void) {
    this.file.addEventListener('change', (event) => {
      event.stopPropagation(); // not a change of the configuration form
      const file = this.file.files?.[0];
      if (file) void this.open(file);
    });
    // A file dropped anywhere on the page is taken (never opened by the browser in place of the page); a CSV
    // is read here, a model file (.json) by the model file controls.
    window.addEventListener('dragover', (event) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      this.drop.classList.add('dropping');
    });
    window.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) this.drop.classList.remove('dropping');
    });
    window.addEventListener('drop', (event) => {
      event.preventDefault();
      this.drop.classList.remove('dropping');
      const file = event.dataTransfer?.files[0];
      if (file && !isModelFile(file)) void this.open(file);
    });
    for (const select of [this.target, this.x, this.y, this.all]) {
      select.addEventListener('change', (event) => {
        event.stopPropagation();
        if (select === this.target) this.fillFeatures();
        void this.choose();
      });
    }
    this.clear.addEventListener('click', () => this.builtIn());
    // Choosing a built-in dataset leaves the CSV (this runs before the form's own input and change handlers).
    for (const type of ['input', 'change']) {
      byId('dataset').addEventListener(type, () => {
        if (this.current) this.builtIn(false);
      });
    }
  }

  /** Reads a CSV file and offers its columns: target the last one, x and y the first two others. */
  async open(file: File): Promise<void> {
    if (file.size > MAX_BYTES) {
      this.say(
        `${file.name} has ${(file.size / 2 ** 20).toFixed(0)} MiB; the page takes CSV files up to 64 MiB, so use a sample of its rows.`,
        true,
      );
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      this.say(`${file.name} cannot be read (${sentence(error).replace(/\.$/, '')}); open it again.`, true);
      return;
    }
    let header: string[];
    try {
      header = csvColumns(text, { file: file.name });
    } catch (error) {
      this.say(sentence(error), true);
      return;
    }
    if (header.length < 2) {
      this.say(
        `${file.name} has ${header.length} column; it needs at least one feature column and a target column.`,
        true,
      );
      return;
    }
    this.text = text;
    this.name = file.name;
    this.header = header;
    fill(this.target, header, header.at(-1)!);
    this.fillFeatures();
    this.columns.hidden = false;
    await this.choose();
  }

  /** Offers every column but the target as x and y (y may be none when only one is left). */
  private fillFeatures(): void {
    const others = this.header.filter((c) => c !== this.target.value);
    const x = others.includes(this.x.value) ? this.x.value : others[0]!;
    fill(this.x, others, x);
    const rest = others.filter((c) => c !== x);
    const y = rest.includes(this.y.value) ? this.y.value : (rest[0] ?? '');
    fill(this.y, others, y, rest.length === 0);
  }

  /** The features the network takes: x, y, then (when asked) every other column but the target. */
  private features(): string[] {
    const plotted = [this.x.value, this.y.value].filter((c) => c !== '');
    const others = this.header.filter((c) => c !== this.target.value && !plotted.includes(c));
    return this.all.checked ? [...plotted, ...others] : plotted;
  }

  /**
   * Parses the file with the chosen columns (in the worker); trains on it when it parses, else explains and
   * keeps the run. Only the newest choice counts.
   */
  private async choose(): Promise<void> {
    const target = this.target.value;
    if (this.x.value === this.y.value) {
      this.say('Choose two different columns for x and y.', true);
      return;
    }
    const features = this.features();
    const request: CsvCheckRequest = {
      id: ++this.checks,
      csv: this.text,
      file: this.name,
      target,
      features,
    };
    this.say(`Reading ${this.name}…`, false);
    const reply = await this.check(request);
    if (reply.id !== this.checks) return;
    if (!reply.ok) {
      this.say(reply.message, true);
      return;
    }
    const classes = reply.classes !== null ? `, ${reply.classes} classes` : '';
    this.say(
      `Training on ${this.name}: ${reply.rows} rows, ${features.length} input${features.length === 1 ? '' : 's'} (${features.join(', ')}), target ${target} (${reply.task}${classes}); noise and points apply to the built-in data only.`,
      false,
    );
    this.current = { csv: request.csv, file: request.file, target, features, task: reply.task };
    this.onChange(this.current, true);
  }

  /** Asks the CSV worker to parse; answers come back in order. */
  private check(request: CsvCheckRequest): Promise<CsvCheckReply> {
    this.checker ??= new Worker(new URL('../../worker/csv-worker.ts', import.meta.url), { type: 'module' });
    const checker = this.checker;
    return new Promise((resolve) => {
      const listen = (message: MessageEvent<CsvCheckReply>): void => {
        if (message.data.id !== request.id) return;
        checker.removeEventListener('message', listen);
        resolve(message.data);
      };
      checker.addEventListener('message', listen);
      checker.addEventListener(
        'error',
        () =>
          resolve({
            id: request.id,
            ok: false,
            message: 'The CSV reader failed; reload the page and open the file again.',
          }),
        { once: true },
      );
      checker.postMessage(request);
    });
  }

  /** Back to the built-in sets: forgets the file; `notify` false when the form starts the next run itself. */
  private builtIn(notify = true): void {
    this.current = null;
    this.checks++; // a check still under way no longer counts
    this.text = '';
    this.header = [];
    this.file.value = '';
    this.columns.hidden = true;
    this.say('', false);
    this.onChange(null, notify);
  }

  private say(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', error);
    this.file.setAttribute('aria-invalid', String(error));
  }
}

/** Whether a dropped file is a model file (JSON) rather than a CSV. */
export function isModelFile(file: File): boolean {
  return /\.json$/i.test(file.name) || file.type === 'application/json';
}

/** Replaces a select's options with `names` (and "none" first when `none`), selecting `value`. */
function fill(select: HTMLSelectElement, names: readonly string[], value: string, none = false): void {
  select.replaceChildren(
    ...(none ? [new Option('none', '')] : []),
    ...names.map((name) => new Option(name, name)),
  );
  select.value = value;
}
