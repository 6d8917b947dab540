import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { Subject, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from './events.js';
import { parseJsonl, replay, toJsonLine } from './jsonl.js';
import { readJsonl, recordJsonl } from './node.js';
import { train } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-jsonl-'));

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
      [{ type: 'start' }, { type: 'epoch', epoch: 1 }, { type: 'epoch', epoch: 2 }, { type: 'end' }]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const started = performance.now();
    const out = await lastValueFrom(replay(events, { epochDelayMs: 20 }).pipe(toArray()));
    expect(out).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('names the bad line of a broken file', async () => {
    expect(() => parseJsonl('{"type":"start"}\n{"type":"epo', 'r.jsonl')).toThrow(
      'r.jsonl: line 2 is not valid JSON.',
    );
    expect(() => parseJsonl('{"type":"start"}\n{"kind":1}', 'r.jsonl')).toThrow(
      /line 2 is not a training event/,
    );
    expect(() => parseJsonl('', 'r.jsonl')).toThrow(/must begin with a start event/);
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
