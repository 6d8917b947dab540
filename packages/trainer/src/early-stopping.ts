import type { Sequential } from '@deltaflow/network';
import { WeightSnapshot } from './gradient-stats.js';
import type { EarlyStoppingOptions } from './options.js';

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

  /** Puts the best epoch's weights back, if `restoreBest` was asked and an epoch was measured. */
  restoreIfAsked(): void {
    if (this.bestWeights && this.bestEpoch > 0) this.bestWeights.restore();
  }
}
