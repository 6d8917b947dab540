import type { BackwardEvent, EndEvent, EpochEvent, StartEvent, TrainingEvent } from '@deltaflow/trainer';

/**
 * The most loss values kept for the summary's chart (drawn at most 80 columns wide): a run of any length keeps
 * its memory flat (`train --dashboard --epochs 10000000` would otherwise hold 80 MB of losses).
 */
export const LOSS_CAPACITY = 4096;

/**
 * What the end-of-run summary needs from a training stream: the start and end events, the last epoch and
 * backward events, and the loss curve: one value per epoch up to {@link LOSS_CAPACITY} epochs, beyond that
 * every `stride`-th epoch's, evenly spaced from the first (the stride doubles, and the kept values are halved,
 * each time the capacity is reached).
 */
export class RunCollector {
  start?: StartEvent;
  lastEpoch?: EpochEvent;
  lastBackward?: BackwardEvent;
  /** The last backward event whose statistics are all finite (a diverged run's last one may not be). */
  lastFiniteBackward?: BackwardEvent;
  end?: EndEvent;
  /** Training loss E per kept epoch (see {@link RunCollector.stride}). */
  losses: number[] = [];
  /** Validation loss per kept epoch (empty without validation data). */
  valLosses: number[] = [];
  /** Epoch events seen. */
  epochs = 0;
  /** Every `stride`-th epoch's losses are kept (1 until {@link LOSS_CAPACITY} epochs). */
  stride = 1;

  /** Takes in one event. */
  observe(event: TrainingEvent): void {
    switch (event.type) {
      case 'start':
        this.start = event;
        break;
      case 'backward':
        this.lastBackward = event;
        if (
          event.layers.every((l) =>
            Object.values(l).every((v) => typeof v !== 'number' || Number.isFinite(v)),
          )
        ) {
          this.lastFiniteBackward = event;
        }
        break;
      case 'epoch':
        this.lastEpoch = event;
        if (this.epochs++ % this.stride === 0) this.keep(event);
        break;
      case 'end':
        this.end = event;
        break;
      default:
        break;
    }
  }

  private keep(event: EpochEvent): void {
    this.losses.push(event.loss);
    if (event.valLoss !== undefined) this.valLosses.push(event.valLoss);
    if (this.losses.length < LOSS_CAPACITY) return;
    const halve = (values: number[]): number[] => values.filter((_, i) => i % 2 === 0);
    this.losses = halve(this.losses);
    this.valLosses = halve(this.valLosses);
    this.stride *= 2;
  }
}
