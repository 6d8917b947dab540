// Property-based tests of what a page may send the dashboard server (issue 17): readClientMessage takes any text
// and returns a command within its documented ranges, or one sentence saying why not, never throwing; and a live
// server fed arbitrary frames passes on only valid commands and keeps serving.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import type { TrainingEvent } from '@deltaflow/trainer';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { WebSocket } from 'ws';
import { LR_MAX, readClientMessage } from '../shared/wire.js';
import type { ServerMessage } from '../shared/wire.js';
import { startDashboardServer } from './dashboard-server.js';
import type { RunDashboardServer } from './options.js';

const number = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1e-300, LR_MAX, LR_MAX + 1e-9, 1e308, -1),
  fc.integer(),
);

/** Frames a page (or anything local) might send: commands right and wrong, any JSON, any text, deep nesting. */
const frame = fc.oneof(
  fc
    .record({ type: fc.constantFrom('lr'), lr: fc.oneof(number, fc.jsonValue()) })
    .map((m) => JSON.stringify(m)),
  fc
    .record({
      type: fc.constantFrom('control'),
      command: fc.oneof(fc.constantFrom('pause', 'resume', 'step', 'stop', 'eval'), fc.string()),
    })
    .map((m) => JSON.stringify(m)),
  number.map((lr) => `{"type":"lr","lr":${String(lr).replace('Infinity', '1e400').replace('NaN', 'null')}}`),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.integer({ min: 1, max: 30_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

const isValid = (m: unknown): boolean => {
  const message = m as { type: string; lr?: number; command?: string };
  if (message.type === 'lr')
    return (
      typeof message.lr === 'number' && Number.isFinite(message.lr) && message.lr > 0 && message.lr <= LR_MAX
    );
  return message.type === 'control' && ['pause', 'resume', 'step', 'stop'].includes(message.command ?? '');
};

describe('readClientMessage, property-based', () => {
  test.prop([frame], fuzzParameters(1000))(
    'a command within range, or one sentence saying why it was refused',
    (text) => {
      const result = readClientMessage(text);
      if ('problem' in result) {
        expect(result.problem).not.toMatch(/\n/);
        expect(result.problem.endsWith('.')).toBe(true);
        expect(result.problem.length).toBeLessThan(200);
      } else {
        expect(isValid(result)).toBe(true);
      }
    },
  );
});

describe('a live server fed arbitrary frames', () => {
  const pageDir = mkdtempSync(join(tmpdir(), 'deltaflow-page-'));
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  const calls: { kind: string; lr?: number }[] = [];
  let server: RunDashboardServer;
  let socket: WebSocket;
  const messages: ServerMessage[] = [];

  beforeAll(async () => {
    server = await startDashboardServer({
      events$: new Subject<TrainingEvent>(),
      pageDir,
      control: {
        pause: () => calls.push({ kind: 'pause' }),
        resume: () => calls.push({ kind: 'resume' }),
        step: () => calls.push({ kind: 'step' }),
        stop: () => calls.push({ kind: 'stop' }),
        setLearningRate: (lr) => calls.push({ kind: 'lr', lr }),
      },
    });
    const token = new URLSearchParams(new URL(server.url).hash.slice(1)).get('token')!;
    socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve) => socket.once('open', resolve));
  });
  afterAll(async () => {
    socket.terminate();
    await server.close();
  });

  test.prop([fc.array(frame, { minLength: 1, maxLength: 20 })], fuzzParameters(30))(
    'passes on only valid commands (lr in (0, LR_MAX]), answers the others, and keeps serving',
    async (frames) => {
      const before = messages.length;
      const callsBefore = calls.length;
      for (const text of frames) socket.send(text);
      const expected = frames.filter((t) => !('problem' in readClientMessage(t))).length;
      const end = Date.now() + 10_000;
      // every frame is answered: a call for a valid one, an error message for the others
      while (
        calls.length - callsBefore + messages.slice(before).filter((m) => m.type === 'error').length <
        frames.length
      ) {
        if (Date.now() > end) throw new Error('the server stopped answering');
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(calls.length - callsBefore).toBe(expected);
      for (const call of calls.slice(callsBefore))
        if (call.kind === 'lr')
          expect(call.lr! > 0 && call.lr! <= LR_MAX && Number.isFinite(call.lr)).toBe(true);
    },
    fuzzTimeout(60_000, 30),
  );
});
