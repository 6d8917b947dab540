import type { BackwardEvent, EndEvent, EpochEvent, StartEvent, TrainingEvent } from '@deltaflow/trainer';

/**
 * What the end-of-run summary needs from a training stream: the start and end events, the last epoch and
 * backward events, and the loss curve (one value per epoch).
 */
export class RunCollector {
  start?: StartEvent;
  lastEpoch?: EpochEvent;
  lastBackward?: BackwardEvent;
  /** The last backward event whose statistics are all finite (a diverged run's last one may not be). */
  lastFiniteBackward?: BackwardEvent;
  end?: EndEvent;
  /** Training loss E per epoch. */
  readonly losses: number[] = [];
  /** Validation loss per epoch (empty without validation data). */
  readonly valLosses: number[] = [];

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
        this.losses.push(event.loss);
        if (event.valLoss !== undefined) this.valLosses.push(event.valLoss);
        break;
      case 'end':
        this.end = event;
        break;
      default:
        break;
    }
  }
}
