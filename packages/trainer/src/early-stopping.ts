import type { Sequential } from '@deltaflow/network';
import { WeightSnapshot } from './gradient-stats.js';
import type { EarlyStoppingOptions } from './options.js';
import type { EarlyStoppingState } from './resume-state.js';

/**
 * Watches the training or validation loss after every epoch and says when it has stopped improving; keeps the
 * weights of the best epoch when asked to restore them.
 */
export class EarlyStopping {
  private best = Infinity;
  private wait = 0;
  private readonly bestWeights: WeightSnapshot | null;
  private readonly monitor: 'loss' | 'valLoss';
  /** The epoch with the best monitored loss. */
  bestEpoch = 0;

  constructor(
    model: Sequential,
    private readonly options: EarlyStoppingOptions,
    hasValidation: boolean,
  ) {
    this.monitor = options.monitor ?? (hasValidation ? 'valLoss' : 'loss');
    this.bestWeights = options.restoreBest ? new WeightSnapshot(model) : null;
  }

  /** Takes an epoch's losses; returns `'stop'` once `patience` epochs passed without an improvement. */
  update(epoch: { epoch: number; loss: number; valLoss?: number }): 'continue' | 'stop' {
    const value = this.monitor === 'valLoss' ? (epoch.valLoss ?? epoch.loss) : epoch.loss;
    if (value < this.best - (this.options.minDelta ?? 0)) {
      this.best = value;
      this.bestEpoch = epoch.epoch;
      this.wait = 0;
      this.bestWeights?.take();
      return 'continue';
    }
    this.wait++;
    return this.wait >= this.options.patience ? 'stop' : 'continue';
  }

  /** The watch as plain data, for a run's resume state (the best weights with `restoreBest`). */
  toJSON(): EarlyStoppingState {
    const state: EarlyStoppingState = {
      best: Number.isFinite(this.best) ? this.best : null,
      wait: this.wait,
      bestEpoch: this.bestEpoch,
    };
    if (this.bestWeights) state.bestParameters = this.bestWeights.toArrays();
    return state;
  }

  /** Continues from a watch saved by {@link EarlyStopping.toJSON}. */
  restore(state: EarlyStoppingState): void {
    this.best = state.best ?? Infinity;
    this.wait = state.wait;
    this.bestEpoch = state.bestEpoch;
    if (this.bestWeights && state.bestParameters) this.bestWeights.fromArrays(state.bestParameters);
  }

  /** Puts the best epoch's weights back, if `restoreBest` was asked and an epoch was measured. */
  restoreIfAsked(): void {
    if (this.bestWeights && this.bestEpoch > 0) this.bestWeights.restore();
  }
}
