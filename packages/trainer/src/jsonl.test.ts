import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { Subject, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { BackwardEvent, EndEvent, EpochEvent, StartEvent, TrainingEvent } from './events.js';
import { parseJsonl, replay, toJsonLine } from './jsonl.js';
import { readJsonl, recordJsonl } from './node.js';
import { train } from './train.js';

// Small, valid training events.

/** The start event of a 2-4-1 sigmoid net on xor. */
function startEvent(): StartEvent {
  return {
    type: 'start',
    config: {
      epochs: 3,
      batchSize: 4,
      shuffle: true,
      seed: 42,
      loss: 'mse',
      optimizer: 'sgd',
      optimizerOptions: { lr: 0.5, nesterov: false },
      samples: 4,
      validationSamples: 0,
      task: 'classification',
    },
    model: {
      inputs: 2,
      outputs: 1,
      dtype: 'float32',
      parameters: 17,
      layers: [
        { inputs: 2, units: 4, activation: 'sigmoid', parameters: 12 },
        { inputs: 4, units: 1, activation: 'sigmoid', parameters: 5 },
      ],
    },
  };
}

/** Epoch `epoch`'s epoch event. */
function epochEvent(epoch: number): EpochEvent {
  return {
    type: 'epoch',
    epoch,
    loss: 0.25 / epoch,
    metrics: { accuracy: 0.5 },
    elapsedMs: epoch,
    samplesPerSecond: 4000,
    lr: 0.5,
  };
}

/** Epoch `epoch`'s backward event. */
function backwardEvent(epoch: number): BackwardEvent {
  const layer = (i: number) => ({
    layer: i,
    meanAbsDelta: 0.01,
    maxAbsDelta: 0.02,
    gradNorm: 0.1,
    weightNorm: 1,
    updateRatio: 0.001,
  });
  return { type: 'backward', epoch, layers: [layer(0), layer(1)] };
}

/** The end event of a run that completed `epochs` epochs. */
function endEvent(epochs: number): EndEvent {
  return {
    type: 'end',
    reason: 'completed',
    epochs,
    model: {
      format: 'deltaflow-model',
      version: 1,
      layers: [
        { type: 'dense', inputs: 2, units: 1, activation: 'sigmoid', weights: [[0.1], [0.2]], bias: [0] },
      ],
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-jsonl-'));
const START = toJsonLine(startEvent());

describe('JSONL recording and replay', () => {
  it('records the whole stream to a file and replays it identically', async () => {
    const path = join(dir, 'run.jsonl');
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    const live = await lastValueFrom(
      train(model, xor(), { epochs: 5, batchSize: 4 }).pipe(recordJsonl(path), toArray()),
    );
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(live.length);
    expect(lines[0]).toBe(toJsonLine(live[0]!));
    const replayed = await lastValueFrom(readJsonl(path).pipe(toArray()));
    expect(replayed).toEqual(JSON.parse(JSON.stringify(live)));
    expect(replayed.map((e) => e.type)).toEqual([
      'start',
      ...Array(5).fill(['forward', 'backward', 'epoch']).flat(),
      'end',
    ]);
  });

  it('replays with a pause between epochs', async () => {
    const events = parseJsonl(
      [startEvent(), epochEvent(1), epochEvent(2), endEvent(2)].map((e) => toJsonLine(e)).join('\n'),
    );
    const started = performance.now();
    const out = await lastValueFrom(replay(events, { epochDelayMs: 20 }).pipe(toArray()));
    expect(out).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('names the bad line of a broken file', async () => {
    expect(() => parseJsonl(`${START}\n{"type":"epo\n`, 'r.jsonl')).toThrow(
      'r.jsonl: line 2 is not valid JSON; a recording holds one training event per line, as train --events writes it.',
    );
    expect(() => parseJsonl(`${START}\n{"kind":1}`, 'r.jsonl')).toThrow(
      /^r\.jsonl: line 2 is not a training event \(its type is nothing/,
    );
    expect(() => parseJsonl('', 'r.jsonl')).toThrow(/r\.jsonl: the file holds no training events/);
    const missing = join(dir, 'missing.jsonl');
    await expect(lastValueFrom(readJsonl(missing))).rejects.toThrow(/Cannot read .*missing\.jsonl: ENOENT/);
    writeFileSync(join(dir, 'bad.jsonl'), 'nope\n');
    await expect(lastValueFrom(readJsonl(join(dir, 'bad.jsonl')))).rejects.toThrow(
      /line 1 is not valid JSON/,
    );
  });
  it('a failed write (a full disk) reaches the error channel and stops the recording', async () => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    const seen: string[] = [];
    const recorded = train(model, xor(), { epochs: 1000, batchSize: 4 }).pipe(recordJsonl('/dev/full'));
    const error = await lastValueFrom(recorded).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'E_WRITE', message: 'Cannot write /dev/full: ENOSPC.' });
    expect((error as Error).cause).toMatchObject({ code: 'ENOSPC' });
    recorded.subscribe({ next: (e) => seen.push(e.type), error: () => seen.push('error') });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual(['error']); // the start event could not be written, so it was not passed on
  });

  it('atomic: the file appears whole when the stream completes; an error leaves nothing behind', async () => {
    const folder = join(dir, 'atomic');
    mkdirSync(folder);
    const path = join(folder, 'run.jsonl');
    const source = new Subject<TrainingEvent>();
    const done = lastValueFrom(source.pipe(recordJsonl(path, { atomic: true }), toArray()));
    source.next({ type: 'batch', epoch: 1, batch: 1, loss: 0.5 });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(folder)).toHaveLength(1); // the temporary file
    source.complete();
    await done;
    expect(readFileSync(path, 'utf8')).toBe('{"type":"batch","epoch":1,"batch":1,"loss":0.5}\n');
    expect(readdirSync(folder)).toEqual(['run.jsonl']);

    const failing = new Subject<TrainingEvent>();
    const failed = lastValueFrom(failing.pipe(recordJsonl(path, { atomic: true })));
    failing.next({ type: 'batch', epoch: 1, batch: 2, loss: 0.25 });
    failing.error(new Error('the run failed'));
    await expect(failed).rejects.toThrow('the run failed');
    expect(readdirSync(folder)).toEqual(['run.jsonl']);
    expect(readFileSync(path, 'utf8')).toContain('"batch":1,');
  });
});

/** A valid recording's lines: start, epochs 1..n (backward and epoch events), end. */
function runLines(n: number): string[] {
  const lines = [START];
  for (let e = 1; e <= n; e++) lines.push(toJsonLine(backwardEvent(e)), toJsonLine(epochEvent(e)));
  lines.push(toJsonLine(endEvent(n)));
  return lines;
}

/** Reads `text` from a file with readJsonl: the events, the warnings, and the error if any. */
async function readText(
  name: string,
  text: string | Buffer,
): Promise<{ events: TrainingEvent[]; warnings: string[]; error: Error | null }> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const events: TrainingEvent[] = [];
  const warnings: string[] = [];
  const error = await new Promise<Error | null>((resolve) =>
    readJsonl(path, { onWarning: (w) => warnings.push(w) }).subscribe({
      next: (e) => events.push(e),
      error: (e: Error) => resolve(e),
      complete: () => resolve(null),
    }),
  );
  return { events, warnings, error };
}

describe('reading a recording: streamed, tolerant of a BOM and a cut last line, strict about each event', () => {
  it('reads a file much larger than its 1 MiB chunks as a stream, lines split across chunks included', async () => {
    // Multi-byte characters (in an extra field) make chunk borders fall inside characters and lines.
    const lines = runLines(6000).map((line, i) =>
      i % 3 === 1 ? line.replace(/}$/, `,"note":"δ→θ ${'é'.repeat(i % 50)}"}`) : line,
    );
    const text = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * (1 << 20));
    const { events, warnings, error } = await readText('big.jsonl', text);
    expect(error).toBeNull();
    expect(warnings).toEqual([]);
    expect(events).toHaveLength(lines.length);
    expect(events.at(-1)).toMatchObject({ type: 'end', epochs: 6000 });
    expect(events[1]).toMatchObject({ note: 'δ→θ é' });
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual(
      Array.from({ length: 6000 }, (_, i) => i + 1),
    );
  });

  it('emits the events read before a bad line, then the error naming that line', async () => {
    const lines = runLines(3000);
    lines[5000] = '{"type":"epoch","epoch":2500}';
    const { events, error } = await readText('late-error.jsonl', lines.join('\n'));
    expect(events).toHaveLength(5000);
    expect(error?.message).toMatch(
      /^\S*late-error\.jsonl: line 5001: the epoch event's loss must be a number/,
    );
  });

  it('skips a byte order mark, with a one-line warning', async () => {
    const text = `\uFEFF${runLines(2).join('\n')}\n`;
    const { events, warnings, error } = await readText('bom.jsonl', text);
    expect(error).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['start', 'backward', 'epoch', 'backward', 'epoch', 'end']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /bom\.jsonl: the file begins with a byte order mark \(BOM\); it was skipped\.$/,
    );
    expect(parseJsonl(text, 'bom.jsonl')).toHaveLength(6);
  });

  it('leaves out a last line cut short, with a one-line warning (and one for the missing end event)', async () => {
    const lines = runLines(3).slice(0, -1); // no end event
    const cut = `${lines.join('\n')}\n${toJsonLine(epochEvent(4)).slice(0, 30)}`;
    const { events, warnings, error } = await readText('cut.jsonl', cut);
    expect(error).toBeNull();
    expect(events.at(-1)).toEqual(epochEvent(3));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /cut\.jsonl: line 8 is cut short \(the recording was interrupted while writing it\); it was left out\.$/,
    );
    expect(warnings[1]).toMatch(
      /cut\.jsonl: the recording has no end event \(the run was cut short\); it replays up to epoch 3\.$/,
    );
    for (const w of warnings) expect(w).not.toContain('\n');
    // A bad line that is not the last one is an error, cut or not.
    expect(() => parseJsonl(`${cut}\n${toJsonLine(endEvent(3))}\n`, 'cut.jsonl')).toThrow(
      /^cut\.jsonl: line 8 is not valid JSON/,
    );
  });

  it('takes CRLF line ends, blank lines, NaN written as null, and fields a newer recorder added', () => {
    const epoch = { ...epochEvent(1), loss: null, valLoss: null, penalty: 0.5, metrics: { accuracy: null } };
    const text = [START, '', JSON.stringify(epoch), toJsonLine(endEvent(1))].join('\r\n');
    const events = parseJsonl(text, 'crlf.jsonl');
    expect(events).toHaveLength(3);
    expect(events[1]).toEqual(epoch);
  });

  it('checks every event strictly, naming the line and the field', () => {
    const at =
      (line: unknown): (() => TrainingEvent[]) =>
      () =>
        parseJsonl([START, JSON.stringify(line), toJsonLine(endEvent(1))].join('\n'), 'r.jsonl');
    expect(at({ type: 'epoch', epoch: 1 })).toThrow(
      "r.jsonl: line 2: the epoch event's loss must be a number, got nothing; the file was edited or is not a recording written by train --events.",
    );
    expect(at({ ...epochEvent(1), metrics: { accuracy: 'high' } })).toThrow(
      /line 2: the epoch event's metrics\.accuracy must be a number, got "high"/,
    );
    expect(at({ ...epochEvent(1), epoch: -1 })).toThrow(
      /line 2: the epoch event's epoch must be a whole number/,
    );
    const backward = backwardEvent(1);
    backward.layers[1] = { ...backward.layers[1]!, gradNorm: '0.1' as unknown as number };
    expect(at(backward)).toThrow(
      /line 2: the backward event's layers\[1\]\.gradNorm must be a number, got "0\.1"/,
    );
    expect(at({ type: 'checkpoint', epoch: 1, model: { format: 'keras' } })).toThrow(
      /line 2: the checkpoint event's model\.format must be one of 'deltaflow-model'/,
    );
    expect(at({ type: 'end', reason: 'bored', epochs: 1, model: endEvent(1).model })).toThrow(
      /line 2: the end event's reason must be one of 'completed', 'early-stopped', 'stopped', 'diverged', got "bored"/,
    );
    expect(at([1, 2])).toThrow(/^r\.jsonl: line 2 is not a training event/);
    const start = { ...startEvent(), config: { ...startEvent().config, task: 'ranking' } };
    expect(() => parseJsonl(JSON.stringify(start), 'r.jsonl')).toThrow(
      /line 1: the start event's config\.task must be one of 'classification', 'regression'/,
    );
    expect(() => parseJsonl(toJsonLine(epochEvent(1)), 'r.jsonl')).toThrow(
      /^r\.jsonl: line 1: the first event is of type 'epoch', but a recording must begin with a start event/,
    );
  });

  it('refuses two runs in one file, naming the line where the second begins', () => {
    const one = runLines(2);
    expect(() => parseJsonl([...one, ...one].join('\n'), 'two.jsonl')).toThrow(
      /^two\.jsonl: line 7 begins a second run \(a second start event\): the file holds two runs concatenated; replay one run per file\.$/,
    );
    expect(() => parseJsonl([...one, ...one.slice(1)].join('\n'), 'two.jsonl')).toThrow(
      /^two\.jsonl: line 7 comes after the run's end event: the file holds more than one run; replay one run per file\.$/,
    );
    expect(() => parseJsonl([...one.slice(0, -1), ...one].join('\n'), 'two.jsonl')).toThrow(
      /^two\.jsonl: line 6 begins a second run \(a second start event\)/,
    );
    expect(() => parseJsonl([...one.slice(0, -1), ...one.slice(1)].join('\n'), 'two.jsonl')).toThrow(
      /^two\.jsonl: line 7: epoch 1 comes after epoch 2/,
    );
  });
});
