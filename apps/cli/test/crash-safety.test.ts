// Crash safety (issue 17): the CLI is killed with SIGKILL at 200 moments, spread by a seeded PRNG over the
// time a run spends writing (from its first temporary file to its exit), of runs that write --save, --events
// and a checkpoint every epoch. Before each run the folder holds the old complete files (and the temporary
// files earlier kills left). After every kill each target is the old complete file or a new complete one
// (parsed: a valid model file, a checkpoint, a whole recording), never partial and never missing. Every file is
// written atomically (a temporary file renamed into place): --events too, so the recording is the old run's or
// the whole new run's, never a cut one. A kill leaves the temporary files it was writing
// (`.<name>.<pid>-<hex>.tmp`); the next run that writes the same target removes them.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromJSON } from '@deltaflow/network';
import { parseJsonl } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { bin, runCli, tempDir } from './helpers.js';

const KILLS = 200;
const LANES = 4;
const EPOCHS = 12;
const TARGETS = ['m.json', 'e.jsonl', 'c.json'] as const;
type Target = (typeof TARGETS)[number];

const args = (seed: number): string[] => [
  'train',
  '--data',
  'spiral',
  '--layers',
  '32,32',
  '--activation',
  'tanh',
  '--epochs',
  String(EPOCHS),
  '--seed',
  String(seed),
  '--save',
  'm.json',
  '--events',
  'e.jsonl',
  '--checkpoint',
  'c.json',
  '--checkpoint-every',
  '1',
  '--quiet',
];

/** mulberry32: a small seeded PRNG, so the kill moments are the same on every run of the test. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts the CLI in `cwd`; once it has begun writing (its temporary events file appeared), kills it with SIGKILL
 * after `delayMs` (unless it exited first). Resolves with its pid and whether the kill landed.
 */
function runAndKill(cwd: string, delayMs: number): Promise<{ pid: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args(2)], { cwd, stdio: 'ignore' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = setInterval(() => {
      if (timer || !readdirSync(cwd).some((f) => f.startsWith(`.e.jsonl.${child.pid}-`))) return;
      clearInterval(poll);
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 2);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ pid: child.pid!, killed: signal === 'SIGKILL' });
    });
  });
}

/** How long a whole run spends writing in `cwd`: from its temporary events file's appearance to its exit. */
function writingTime(cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args(2)], { cwd, stdio: 'ignore' });
    let began = 0;
    const poll = setInterval(() => {
      if (!began && readdirSync(cwd).some((f) => f.startsWith(`.e.jsonl.${child.pid}-`)))
        began = performance.now();
    }, 2);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0 || !began) reject(new Error(`the timing run failed (${code})`));
      else resolve(performance.now() - began);
    });
  });
}

/** `old` when the file is the old one byte for byte, `new` when it is another complete file; throws when not complete. */
function classify(dir: string, target: Target, old: string): 'old' | 'new' {
  const path = join(dir, target);
  expect(existsSync(path), `${target} is missing`).toBe(true);
  const text = readFileSync(path, 'utf8');
  if (text === old) return 'old';
  if (target === 'e.jsonl') {
    const warnings: string[] = [];
    const events = parseJsonl(text, target, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]); // not cut, has its end event
    expect(events.at(-1)).toMatchObject({ type: 'end', epochs: EPOCHS });
  } else {
    const json = JSON.parse(text) as Record<string, unknown>;
    modelFromJSON(json, target); // a valid model file
    if (target === 'c.json') {
      const part = json.checkpoint as { format: string; state: { epoch: number } };
      expect(part.format).toBe('deltaflow-checkpoint');
      expect(part.state.epoch).toBeGreaterThanOrEqual(1);
      expect(part.state.epoch).toBeLessThanOrEqual(EPOCHS);
    }
  }
  return 'new';
}

describe('SIGKILL while writing --save, --events and a checkpoint', () => {
  it(`leaves every target old or new and complete after ${KILLS} kills; the next run removes the temporary files`, async () => {
    const root = tempDir();
    const seedDir = join(root, 'old');
    mkdirSync(seedDir);
    // the old files: a complete run with another seed
    const first = await runCli(args(1), seedDir);
    expect(first.code).toBe(0);
    const old = Object.fromEntries(TARGETS.map((t) => [t, readFileSync(join(seedDir, t), 'utf8')])) as Record<
      Target,
      string
    >;
    // how long a run spends writing here, LANES at once as below (only to spread the kills over it; nothing is
    // asserted about time)
    const timings = Array.from({ length: LANES }, (_, i) => join(root, `timing-${i}`));
    for (const dir of timings) mkdirSync(dir);
    // the median, not the slowest (a cold first run can take twice as long): most kills land before the exit
    const measured = (await Promise.all(timings.map(writingTime))).sort((a, b) => a - b);
    const duration = measured[Math.floor(measured.length / 2)]!;

    const random = prng(17);
    const delays = Array.from({ length: KILLS }, () => random() * duration * 0.9);
    const counts = {
      kills: 0,
      exitedFirst: 0,
      landedInWrite: 0,
      tempsLeft: { 'm.json': 0, 'e.jsonl': 0, 'c.json': 0 } as Record<Target, number>,
      old: { 'm.json': 0, 'e.jsonl': 0, 'c.json': 0 } as Record<Target, number>,
      new: { 'm.json': 0, 'e.jsonl': 0, 'c.json': 0 } as Record<Target, number>,
    };
    const lanes = Array.from({ length: LANES }, (_, lane) => {
      const dir = join(root, `lane-${lane}`);
      mkdirSync(dir);
      return dir;
    });
    await Promise.all(
      lanes.map(async (dir, lane) => {
        for (let i = lane; i < KILLS; i += LANES) {
          for (const t of TARGETS) copyFileSync(join(seedDir, t), join(dir, t)); // the old files again
          const { pid, killed } = await runAndKill(dir, delays[i]!);
          if (killed) counts.kills++;
          else counts.exitedFirst++;
          const temps = readdirSync(dir).filter((f) => f.includes(`.${pid}-`) && f.endsWith('.tmp'));
          if (temps.length > 0) counts.landedInWrite++;
          for (const t of TARGETS) {
            if (temps.some((f) => f.startsWith(`.${t}.`))) counts.tempsLeft[t]++;
            counts[classify(dir, t, old[t])][t]++;
          }
        }
      }),
    );
    // the next complete run in each folder removes every temporary file the kills left
    for (const dir of lanes) {
      expect((await runCli(args(2), dir)).code).toBe(0);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const t of TARGETS) expect(classify(dir, t, old[t])).toBe('new');
    }
    console.log(`crash-safety: ${JSON.stringify(counts)}`);
    expect(counts.kills + counts.exitedFirst).toBe(KILLS);
    // enough kills land for the test to mean something (how many depends on the machine's load, not on deltaflow)
    expect(counts.kills).toBeGreaterThan(KILLS / 4);
    expect(counts.landedInWrite).toBeGreaterThan(0);
  }, 900_000);
});
