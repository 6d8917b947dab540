import { DeltaflowError } from '@deltaflow/tensor';
import { checkTrainingEvent } from './event-check.js';
import type { TrainingEvent } from './events.js';

/**
 * Options of {@link JsonlReader} (and of `parseJsonl`, `readJsonl`).
 *
 * @example
 * ```ts
 * const options: JsonlReadOptions = { source: 'run.jsonl', onWarning: (line) => console.warn(line) };
 * ```
 * @category Replay
 */
export interface JsonlReadOptions {
  /** The file's name, for messages; default `'events'`. */
  source?: string;
  /**
   * Told, in one line, what was tolerated: a byte order mark, a last line cut short (a recording interrupted
   * while writing it), a recording without its end event. Default: nothing is said.
   */
  onWarning?: (message: string) => void;
}

const BOM = '\uFEFF';

/**
 * Reads a JSONL recording of one run piece by piece, so a file of any size can be read as a stream: feed it
 * text as it comes ({@link JsonlReader.push}), then {@link JsonlReader.end}. Each line is parsed and checked
 * strictly (`checkTrainingEvent`), and the run's order too: a start event first, only one (two runs
 * concatenated in one file are refused), nothing after the end event, epochs counting up. A bad line is
 * refused with a `DeltaflowError` `E_PARSE` naming its number. Tolerated, with a warning: a byte order mark,
 * and a last line cut short (no newline after it, and not valid JSON), which is left out.
 *
 * @example
 * ```ts
 * const reader = new JsonlReader({ source: 'run.jsonl' });
 * const events: TrainingEvent[] = [];
 * reader.push('{"type":"start","config":', events); // nothing yet: the line is not complete
 * ```
 * @category Replay
 */
export class JsonlReader {
  private rest = '';
  private lineNumber = 0;
  private started = false;
  private ended = false;
  private lastEpoch = 0;
  private readonly source: string;
  private readonly warn: (message: string) => void;

  constructor(options: JsonlReadOptions = {}) {
    this.source = options.source ?? 'events';
    this.warn = options.onWarning ?? (() => undefined);
  }

  /** Lines read so far. */
  get lines(): number {
    return this.lineNumber;
  }

  /** Takes the next piece of the file's text; appends the events of the lines it completes to `out`. */
  push(text: string, out: TrainingEvent[]): void {
    if (this.lineNumber === 0 && this.rest === '' && text.startsWith(BOM)) {
      text = text.slice(1);
      this.warn(`${this.source}: the file begins with a byte order mark (BOM); it was skipped.`);
    }
    let from = 0;
    let newline = text.indexOf('\n');
    if (newline === -1) {
      this.rest += text;
      return;
    }
    this.line(this.rest + text.slice(0, newline), out);
    this.rest = '';
    from = newline + 1;
    while ((newline = text.indexOf('\n', from)) !== -1) {
      this.line(text.slice(from, newline), out);
      from = newline + 1;
    }
    this.rest = text.slice(from);
  }

  /**
   * The file is over: reads its last line if it had no newline (left out, with a warning, when it is cut
   * short), and checks that there was a run at all.
   * @throws DeltaflowError `E_PARSE` for a file without a start event
   */
  end(out: TrainingEvent[]): void {
    const last = this.rest;
    this.rest = '';
    if (last.trim() !== '') {
      let value: unknown;
      try {
        value = JSON.parse(last);
      } catch {
        this.lineNumber++;
        this.warn(
          `${this.source}: line ${this.lineNumber} is cut short (the recording was interrupted while writing it); it was left out.`,
        );
        value = undefined;
      }
      if (value !== undefined) {
        this.lineNumber++;
        this.accept(value, out);
      }
    }
    if (!this.started) {
      throw new DeltaflowError(
        'E_PARSE',
        `${this.source}: the file holds no training events; record a run with train --events FILE.jsonl.`,
      );
    }
    if (!this.ended) {
      this.warn(
        `${this.source}: the recording has no end event (the run was cut short); it replays up to epoch ${this.lastEpoch}.`,
      );
    }
  }

  private line(text: string, out: TrainingEvent[]): void {
    this.lineNumber++;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DeltaflowError(
        'E_PARSE',
        `${this.source}: line ${this.lineNumber} is not valid JSON; a recording holds one training event per line, as train --events writes it.`,
      );
    }
    this.accept(value, out);
  }

  private accept(value: unknown, out: TrainingEvent[]): void {
    const where = `${this.source}: line ${this.lineNumber}`;
    const event = checkTrainingEvent(value, where);
    if (!this.started && event.type !== 'start') {
      throw new DeltaflowError(
        'E_PARSE',
        `${where}: the first event is of type '${event.type}', but a recording must begin with a start event; give the whole file train --events wrote.`,
      );
    }
    if (this.started && event.type === 'start') {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} begins a second run (a second start event): the file holds two runs concatenated; replay one run per file.`,
      );
    }
    if (this.ended) {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} comes after the run's end event: the file holds more than one run; replay one run per file.`,
      );
    }
    if (event.type === 'epoch') {
      if (event.epoch <= this.lastEpoch) {
        throw new DeltaflowError(
          'E_PARSE',
          `${where}: epoch ${event.epoch} comes after epoch ${this.lastEpoch}: the file mixes runs or was edited; replay one run per file.`,
        );
      }
      this.lastEpoch = event.epoch;
    }
    if (event.type === 'start') this.started = true;
    if (event.type === 'end') this.ended = true;
    out.push(event);
  }
}
