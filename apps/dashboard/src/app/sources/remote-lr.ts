import type { DashboardStore } from '../store.js';

/**
 * The learning rate eta in use by the run the store shows: the newest epoch event's, else the start event's
 * optimizer option, else undefined.
 *
 * @example
 * ```ts
 * const eta = rateInUse(store); // the newest epoch event's lr, e.g. 0.03
 * ```
 * @category Controls
 */
export function rateInUse(store: Pick<DashboardStore, 'last' | 'start'>): number | undefined {
  if (store.last) return store.last.lr;
  const lr = store.start?.config.optimizerOptions.lr;
  return typeof lr === 'number' ? lr : undefined;
}

/**
 * The attached page's learning-rate box: shows the rate the run uses (and follows it when it changes, unless
 * the box is being edited), and sends a valid new rate to the run when the box changes.
 * @category Controls
 */
export class RemoteLearningRate {
  private shown: number | undefined;

  constructor(
    private readonly input: HTMLInputElement,
    send: (lr: number) => void,
  ) {
    input.addEventListener('change', () => {
      if (input.checkValidity() && input.valueAsNumber > 0) send(input.valueAsNumber);
    });
  }

  /** Writes the rate in use into the box when it changed, unless the user is typing in it. */
  render(store: DashboardStore): void {
    const lr = rateInUse(store);
    if (lr === undefined || lr === this.shown || document.activeElement === this.input) return;
    this.shown = lr;
    this.input.value = String(lr);
  }
}
