import {
  DEFAULT_CONFIG,
  PLAYGROUND_DATASETS,
  REGULARIZATION_RATES,
  activationOfText,
  optimizerOfText,
} from '../../shared/playground-config.js';
import type { PlaygroundConfig, PlaygroundDataset, Regularization } from '../../shared/playground-config.js';
import type { RegistryNames } from '../../shared/worker-protocol.js';
import { parseLayers } from '../url-state.js';
import type { QueryProblem } from '../url-state.js';

/** What changed: anything that needs a new run, or only the learning rate (applied to the running run). */
export type ConfigChange = 'reset' | 'lr';

/** What the form reports: valid edits, and when it turns invalid (the run must hold) or valid again. */
export interface ConfigFormHandlers {
  /** A valid configuration that differs from the last one reported. */
  change(config: PlaygroundConfig, change: ConfigChange): void;
  /** The form turned invalid (`valid` false: a box shows a value the run cannot take) or valid again. */
  validity(valid: boolean): void;
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function fill(select: HTMLSelectElement, names: readonly string[]): void {
  select.replaceChildren(...names.map((name) => new Option(name, name)));
}

/** The sentence a box shows when its value cannot be used: what the value must be; the run holds meanwhile. */
const RULES: Readonly<Record<string, string>> = {
  noise: 'Noise must be a number from 0 to 0.5',
  points: 'Points must be a whole number from 20 to 5000',
  train: 'The train fraction must be a number from 0.1 to 1',
  layers: 'Hidden layers must be comma-separated sizes from 1 to 64 (at most 8 layers, or empty for none)',
  lr: 'The learning rate must be a number from 0.000001 to 10',
  batch: 'The batch size must be a whole number from 1 to 5000',
  wd: 'Weight decay must be a number from 0 to 1',
  dropout: 'Dropout must be a number from 0 up to, not including, 1',
  seed: 'The seed must be a whole number from 0 to 4294967295',
  'activation-options':
    "The activation's options must be key=value pairs separated by commas (alpha=0.5), or empty for its defaults",
  'optimizer-options':
    "The optimizer's options must be key=value pairs separated by commas (beta1=0.8), or empty for its defaults; the learning rate and weight decay have boxes of their own",
};

/** Why iris has no noise or points boxes. */
export const IRIS_REASON = 'Iris is a fixed set of 150 measured flowers: noise and points do not apply.';

/** Why a dropout rate cannot be used without hidden layers. */
const DROPOUT_NEEDS_LAYERS = 'Dropout applies to hidden layers: add hidden layers, or set dropout to 0';

/** The same configuration, field by field. */
const same = (a: PlaygroundConfig, b: PlaygroundConfig): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The standalone configuration form: dataset, noise, train/test split, hidden layers, activation, loss,
 * optimizer, learning rate, batch size, weight decay, seed, and the regularization: dropout of the hidden
 * layers, and TensorFlow Playground's "Regularization" (None, L1, L2) and "Regularization rate". The selectors
 * list the registries' names (built-ins and plugins). Shows a configuration and reports every edit as it is typed: a valid one as a
 * change (the learning rate alone goes to the running run; anything else makes a new run), an invalid one by
 * a sentence next to its box and `validity(false)`, so the run never uses a value other than the one shown.
 * For iris, the noise and points boxes are disabled, with the reason.
 * @category Controls
 */
export class ConfigForm {
  private readonly dataset = byId<HTMLSelectElement>('dataset');
  private readonly noise = byId<HTMLInputElement>('noise');
  private readonly points = byId<HTMLInputElement>('points');
  private readonly train = byId<HTMLInputElement>('train');
  private readonly layers = byId<HTMLInputElement>('layers');
  private readonly activation = byId<HTMLSelectElement>('activation');
  /** The activation's config as the CLI writes it after the colon (`a=0.5` of `isru:a=0.5`); empty: defaults. */
  private readonly activationOptions = byId<HTMLInputElement>('activation-options');
  private readonly loss = byId<HTMLSelectElement>('loss');
  private readonly optimizer = byId<HTMLSelectElement>('optimizer');
  /** The optimizer's options over its defaults, as `--opt` takes them (`beta1=0.8,beta2=0.99`); empty: none. */
  private readonly optimizerOptions = byId<HTMLInputElement>('optimizer-options');
  private readonly lr = byId<HTMLInputElement>('lr');
  private readonly batch = byId<HTMLInputElement>('batch');
  private readonly wd = byId<HTMLInputElement>('wd');
  private readonly seed = byId<HTMLInputElement>('seed');
  private readonly dropout = byId<HTMLInputElement>('dropout');
  private readonly reg = byId<HTMLSelectElement>('reg');
  private readonly regrate = byId<HTMLSelectElement>('regrate');
  private readonly notes = new Map<HTMLInputElement, HTMLElement>();
  private readonly irisNote: HTMLElement;
  private last: PlaygroundConfig | null = null;
  private valid = true;

  constructor(
    private readonly names: RegistryNames,
    private readonly handlers: ConfigFormHandlers,
  ) {
    fill(this.dataset, PLAYGROUND_DATASETS);
    fill(this.activation, this.activationNames());
    fill(this.loss, names.losses);
    fill(this.optimizer, names.optimizers);
    fill(this.regrate, REGULARIZATION_RATES.map(String));
    this.seed.max = String(2 ** 32 - 1);
    for (const input of [
      this.noise,
      this.points,
      this.train,
      this.layers,
      this.activationOptions,
      this.optimizerOptions,
      this.lr,
      this.batch,
      this.wd,
      this.seed,
      this.dropout,
    ]) {
      this.notes.set(input, this.noteAfter(input, `${input.id}-note`, 'field-note error'));
    }
    this.irisNote = this.noteAfter(this.points, 'iris-note', 'field-note');
    this.irisNote.textContent = IRIS_REASON;
    byId('config').hidden = false;
    const onEdit = (event: Event): void => this.edited(event.target);
    byId('config').addEventListener('input', onEdit);
    byId('config').addEventListener('change', onEdit);
  }

  /** Whether every box holds a value the run can take. */
  get isValid(): boolean {
    return this.valid;
  }

  /**
   * Shows `config`. A name the registries lack (activation, loss, optimizer) falls back to the default's, or
   * to the first entry when the default is missing too, and is reported in `problems`. Returns what is shown.
   */
  show(config: PlaygroundConfig, problems: QueryProblem[] = []): PlaygroundConfig {
    this.dataset.value = config.dataset;
    this.noise.value = String(config.noise);
    this.points.value = String(config.points);
    this.train.value = String(config.trainFraction);
    this.layers.value = config.layers.join(',');
    // `isru:a=0.5`: the select shows the name, the box beside it the config
    [this.activation.value, this.activationOptions.value] = splitChoice(config.activation);
    this.loss.value = config.loss;
    [this.optimizer.value, this.optimizerOptions.value] = splitChoice(config.optimizer);
    this.lr.value = String(config.lr);
    this.batch.value = String(config.batchSize);
    this.wd.value = String(config.weightDecay);
    this.seed.value = String(config.seed);
    this.dropout.value = String(config.dropout);
    this.reg.value = config.regularization;
    this.regrate.value = String(config.regularizationRate);
    const selects = [
      [this.activation, 'activation', config.activation, DEFAULT_CONFIG.activation],
      [this.loss, 'loss', config.loss, DEFAULT_CONFIG.loss],
      [this.optimizer, 'optimizer', config.optimizer, DEFAULT_CONFIG.optimizer],
    ] as const;
    for (const [select, key, value, fallback] of selects) {
      if (select.selectedIndex >= 0) continue;
      if (select === this.activation) this.activationOptions.value = '';
      if (select === this.optimizer) this.optimizerOptions.value = '';
      select.value = fallback;
      if (select.selectedIndex < 0) select.selectedIndex = 0;
      problems.push({ key, value, fallback: select.value, unknown: key });
    }
    this.fitDataset();
    const shown = this.read() ?? config;
    this.last = shown;
    return shown;
  }

  /**
   * Shows, above the form, the link values that were replaced (one sentence each, naming the value, a line
   * each), or nothing for none.
   */
  showLinkProblems(sentences: readonly string[]): void {
    let notice = document.getElementById('url-notice');
    if (!notice) {
      notice = document.createElement('p');
      notice.id = 'url-notice';
      notice.setAttribute('role', 'status');
      byId('config').prepend(notice);
    }
    // a sentence a line, so several read one by one
    notice.replaceChildren(
      ...sentences.map((sentence) => {
        const line = document.createElement('span');
        line.className = 'notice-line';
        line.textContent = sentence;
        return line;
      }),
    );
    notice.hidden = sentences.length === 0;
  }

  /** The form's configuration, or null (each bad box explained beside it) when a box is invalid. */
  read(): PlaygroundConfig | null {
    const layers = parseLayers(this.layers.value);
    this.layers.setCustomValidity(layers ? '' : RULES.layers!);
    const dropout = this.dropout.valueAsNumber;
    this.dropout.setCustomValidity(
      !(dropout >= 0 && dropout < 1)
        ? RULES.dropout!
        : dropout > 0 && layers?.length === 0
          ? DROPOUT_NEEDS_LAYERS
          : '',
    );
    const activation = withOptions(this.activation.value, this.activationOptions.value);
    this.activationOptions.setCustomValidity(
      activationOfText(activation) ? '' : RULES['activation-options']!,
    );
    const optimizer = withOptions(this.optimizer.value, this.optimizerOptions.value);
    this.optimizerOptions.setCustomValidity(optimizerOfText(optimizer) ? '' : RULES['optimizer-options']!);
    let ok = true;
    for (const [input, note] of this.notes) {
      const good = input.disabled || input.checkValidity();
      const text = good
        ? ''
        : input === this.dropout && this.dropout.validationMessage === DROPOUT_NEEDS_LAYERS
          ? `${DROPOUT_NEEDS_LAYERS}; the run holds until then.`
          : `${RULES[input.id]}; the run holds until it is.`;
      if (note.textContent !== text) note.textContent = text;
      note.hidden = good;
      if (good) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
      ok &&= good;
    }
    if (!layers || !ok) return null;
    return {
      dataset: this.dataset.value as PlaygroundDataset,
      noise: this.noise.valueAsNumber,
      points: this.points.valueAsNumber,
      trainFraction: this.train.valueAsNumber,
      layers,
      activation,
      loss: this.loss.value,
      optimizer,
      lr: this.lr.valueAsNumber,
      batchSize: this.batch.valueAsNumber,
      weightDecay: this.wd.valueAsNumber,
      dropout,
      regularization: this.reg.value as Regularization,
      regularizationRate: Number(this.regrate.value),
      seed: this.seed.valueAsNumber,
    };
  }

  private edited(target: EventTarget | null): void {
    if (target === this.dataset) this.fitDataset();
    // options belong to the name they were written for
    if (target === this.activation) this.activationOptions.value = '';
    if (target === this.optimizer) this.optimizerOptions.value = '';
    const config = this.read();
    const valid = config !== null;
    if (valid !== this.valid) {
      this.valid = valid;
      this.handlers.validity(valid);
    }
    if (!config || (this.last && same(config, this.last))) return;
    const previous = this.last;
    this.last = config;
    const lrOnly = previous !== null && same({ ...previous, lr: config.lr }, config);
    this.handlers.change(config, lrOnly ? 'lr' : 'reset');
  }

  /** Iris: noise and points do not apply (disabled, with the reason); the generated sets use both. */
  private fitDataset(): void {
    const iris = this.dataset.value === 'iris';
    for (const input of [this.noise, this.points]) {
      input.disabled = iris;
      if (iris) input.setAttribute('aria-describedby', 'iris-note');
      else input.setAttribute('aria-describedby', `${input.id}-note`);
    }
    this.irisNote.hidden = !iris;
  }

  private activationNames(): string[] {
    return this.names.activations.filter((n) => n !== 'softmax');
  }

  /** A note element placed just after the label holding `input`, and linked to it for screen readers. */
  private noteAfter(input: HTMLInputElement, id: string, className: string): HTMLElement {
    const note = document.createElement('small');
    note.id = id;
    note.className = className;
    note.hidden = true;
    note.setAttribute('aria-live', 'polite');
    (input.closest('label') ?? input).after(note);
    input.setAttribute('aria-describedby', id);
    return note;
  }
}

/** `isru:a=0.5` → `['isru', { name: 'isru', text: 'a=0.5' }]`; `tanh` → `['tanh', undefined]`. */
/** `isru:a=0.5` as the name and the options after the colon (`['isru', 'a=0.5']`); no colon: no options. */
function splitChoice(text: string): [string, string] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

/** A name and the text of its options as one choice: `isru` and `a=0.5` give `isru:a=0.5`. */
function withOptions(name: string, options: string): string {
  const text = options.trim();
  return text === '' ? name : `${name}:${text}`;
}
