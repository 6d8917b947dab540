import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
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
});
