import { EXIT } from '../errors.js';
import type { RunConsumer } from './consumer.js';

/** The signals that stop a training run: Ctrl-C (SIGINT), and `kill`, `timeout` or a process manager (SIGTERM). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code after each stop signal: 130 = 128 + 2 for SIGINT, 143 = 128 + 15 for SIGTERM (the shell's). */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = {
  SIGINT: EXIT.interrupted,
  SIGTERM: EXIT.terminated,
};

/**
 * Watches SIGINT and SIGTERM for the whole of a `train` command, from before its files are opened until the
 * model is saved and the consumers are finished. The first signal asks the run to stop after the current batch
 * (the end event still carries the model, so it is saved and the events file completed); a second signal gives
 * up at once: every consumer is aborted (uncommitted temporary files removed, the cursor shown) and the process
 * exits with the signal's code. Files are only ever replaced whole (`writeFileAtomic`), and a signal's handler
 * runs between two synchronous writes, never inside one, so a second signal cannot leave a half-written file.
 */
export class SignalGuard {
  /** The first stop signal received, or null. */
  signal: StopSignal | null = null;
  private stopRun: (() => void) | null = null;
  private readonly handlers: [StopSignal, () => void][];

  constructor(private readonly consumers: readonly RunConsumer[]) {
    this.handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, () => this.receive(signal)]);
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
  }

  /** Whether a stop signal arrived. */
  get interrupted(): boolean {
    return this.signal !== null;
  }

  /** How to stop the run once it exists; called at once when a signal already arrived. */
  onStop(stop: () => void): void {
    this.stopRun = stop;
    if (this.signal !== null) stop();
  }

  /** Stops listening (the default actions of the signals apply again); idempotent. */
  release(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }

  private receive(signal: StopSignal): void {
    if (this.signal !== null) {
      this.consumers.forEach((consumer) => consumer.abort?.());
      process.exit(SIGNAL_EXIT[signal]);
    }
    this.signal = signal;
    this.stopRun?.();
  }
}
