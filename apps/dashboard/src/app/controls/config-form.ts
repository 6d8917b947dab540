import { PLAYGROUND_DATASETS } from '../../shared/playground-config.js';
import type { PlaygroundConfig, PlaygroundDataset } from '../../shared/playground-config.js';
import type { RegistryNames } from '../../shared/worker-protocol.js';
import { parseLayers } from '../url-state.js';

/** What changed: anything that needs a new run, or only the learning rate (applied to the running run). */
export type ConfigChange = 'reset' | 'lr';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function fill(select: HTMLSelectElement, names: readonly string[]): void {
  select.replaceChildren(...names.map((name) => new Option(name, name)));
}

/**
 * The standalone configuration form: dataset, noise, train/test split, hidden layers, activation, loss,
 * optimizer, learning rate, batch size, weight decay and seed. The selectors list the registries' names
 * (built-ins and plugins). Shows a configuration and reports valid edits.
 * @category Controls
 */
export class ConfigForm {
  private readonly dataset = byId<HTMLSelectElement>('dataset');
  private readonly noise = byId<HTMLInputElement>('noise');
  private readonly points = byId<HTMLInputElement>('points');
  private readonly train = byId<HTMLInputElement>('train');
  private readonly layers = byId<HTMLInputElement>('layers');
  private readonly activation = byId<HTMLSelectElement>('activation');
  private readonly loss = byId<HTMLSelectElement>('loss');
  private readonly optimizer = byId<HTMLSelectElement>('optimizer');
  private readonly lr = byId<HTMLInputElement>('lr');
  private readonly batch = byId<HTMLInputElement>('batch');
  private readonly wd = byId<HTMLInputElement>('wd');
  private readonly seed = byId<HTMLInputElement>('seed');

  constructor(names: RegistryNames, onChange: (config: PlaygroundConfig, change: ConfigChange) => void) {
    fill(this.dataset, PLAYGROUND_DATASETS);
    fill(
      this.activation,
      names.activations.filter((n) => n !== 'softmax'),
    );
    fill(this.loss, names.losses);
    fill(this.optimizer, names.optimizers);
    byId('config').hidden = false;
    byId('config').addEventListener('change', (event) => {
      const config = this.read();
      if (config) onChange(config, event.target === this.lr ? 'lr' : 'reset');
    });
  }

  /** Shows `config`; names the registries lack fall back to the first entry. Returns what is shown. */
  show(config: PlaygroundConfig): PlaygroundConfig {
    this.dataset.value = config.dataset;
    this.noise.value = String(config.noise);
    this.points.value = String(config.points);
    this.train.value = String(config.trainFraction);
    this.layers.value = config.layers.join(',');
    this.activation.value = config.activation;
    this.loss.value = config.loss;
    this.optimizer.value = config.optimizer;
    this.lr.value = String(config.lr);
    this.batch.value = String(config.batchSize);
    this.wd.value = String(config.weightDecay);
    this.seed.value = String(config.seed);
    for (const select of [this.activation, this.loss, this.optimizer]) {
      if (select.selectedIndex < 0) select.selectedIndex = 0;
    }
    return this.read() ?? config;
  }

  /** The form's configuration, or null (and the bad field marked) when a field is invalid. */
  read(): PlaygroundConfig | null {
    const layers = parseLayers(this.layers.value);
    this.layers.setCustomValidity(layers ? '' : 'Comma-separated sizes from 1 to 64, at most 8 layers.');
    const numbers = [this.noise, this.points, this.train, this.lr, this.batch, this.wd, this.seed];
    if (!layers || !numbers.every((input) => input.checkValidity())) return null;
    return {
      dataset: this.dataset.value as PlaygroundDataset,
      noise: this.noise.valueAsNumber,
      points: this.points.valueAsNumber,
      trainFraction: this.train.valueAsNumber,
      layers,
      activation: this.activation.value,
      loss: this.loss.value,
      optimizer: this.optimizer.value,
      lr: this.lr.valueAsNumber,
      batchSize: this.batch.valueAsNumber,
      weightDecay: this.wd.valueAsNumber,
      seed: this.seed.valueAsNumber,
    };
  }
}
