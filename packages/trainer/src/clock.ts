/** How often the clock is read while training, in milliseconds of training. */
const READ_EVERY_MS = 0.05;
/** At most this many batches between two reads, whatever their speed. */
const MAX_BATCHES_PER_READ = 64;

const now = (): number => performance.now();

/**
 * The training time of a run, read about every 0.05 ms of training instead of after every batch: a clock read
 * costs about 50 ns, a third of what events cost per epoch on XOR. After each read it sets how many batches to
 * run before the next from the last batches' speed (one for batches of 0.05 ms and more, up to 64 for XOR's
 * 1.5 us). Time spent yielded or paused is not training time: {@link TrainingClock.resume} restarts the count.
 * @internal
 */
export class TrainingClock {
  /** Milliseconds of training up to the last read. */
  trainingMs = 0;
  /** Training samples seen up to the last read, so that samples / time is taken at one instant. */
  samples = 0;
  /** The time of the last read (the lean loop reads these three fields itself; see train.ts). */
  lastRead = 0;
  /** Batches finished since the last read. */
  batchesSinceRead = 0;
  /** Batches to finish between two reads. */
  batchesPerRead = 1;

  /** Starts counting again after a wait (a new slice of work, a wake-up); returns the time. */
  resume(): number {
    this.lastRead = now();
    this.batchesSinceRead = 0;
    return this.lastRead;
  }

  /** Counts a finished batch; reads the clock when due. Returns the time of the last read. */
  batchDone(samplesSeen: number): number {
    if (++this.batchesSinceRead < this.batchesPerRead) return this.lastRead;
    return this.read(samplesSeen);
  }

  /** Reads the clock now (before yielding or waiting): adds the time since the last read to training. */
  read(samplesSeen: number): number {
    const t = now();
    const span = t - this.lastRead;
    this.trainingMs += span;
    this.samples = samplesSeen;
    if (this.batchesSinceRead > 0) {
      const perBatch = span / this.batchesSinceRead;
      this.batchesPerRead =
        perBatch > 0
          ? Math.max(1, Math.min(MAX_BATCHES_PER_READ, Math.floor(READ_EVERY_MS / perBatch)))
          : MAX_BATCHES_PER_READ;
    }
    this.lastRead = t;
    this.batchesSinceRead = 0;
    return t;
  }

  /** Samples per second over the training time so far (0 before any time has passed). */
  get samplesPerSecond(): number {
    return this.trainingMs > 0 ? (this.samples / this.trainingMs) * 1000 : 0;
  }
}
