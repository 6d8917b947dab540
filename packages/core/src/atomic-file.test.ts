import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Every fs call the helper makes that matters for durability, in order. */
const calls: string[] = [];
const fdNames = new Map<number, string>();
let failWriteWith: string | null = null;

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    openSync: (path: string, flags: string, mode?: number) => {
      const fd = real.openSync(path, flags, mode);
      fdNames.set(fd, path.endsWith('.tmp') ? 'temp' : 'folder');
      return fd;
    },
    writeSync: (...args: Parameters<typeof real.writeSync>) => {
      if (failWriteWith)
        throw Object.assign(new Error(`${failWriteWith}: simulated`), { code: failWriteWith });
      return (real.writeSync as (...a: unknown[]) => number)(...args);
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${fdNames.get(fd)}`);
      real.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      calls.push(dirname(from) === dirname(to) ? 'rename' : 'rename across folders');
      real.renameSync(from, to);
    },
  };
});

const { openFileAtomic, writeFileAtomic } = await import('./atomic-file.js');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'deltaflow-atomic-'));
  calls.length = 0;
  failWriteWith = null;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const entries = (): string[] => fs.readdirSync(dir).sort();
const modeOf = (path: string): number => fs.statSync(path).mode & 0o777;

describe('temporary files left by a killed writer', () => {
  it('are removed by the next write of the same target when their process is gone; live and foreign ones stay', async () => {
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid runs nothing now
    const path = join(dir, 'model.json');
    const stale = `.model.json.${dead}-0123456789ab.tmp`;
    const live = `.model.json.${process.ppid}-0123456789ab.tmp`; // the parent process runs
    const other = `.other.json.${dead}-0123456789ab.tmp`; // another target's
    const foreign = '.model.json.notours.tmp';
    for (const name of [stale, live, other, foreign]) fs.writeFileSync(join(dir, name), 'partial');
    writeFileAtomic(path, 'new');
    expect(entries()).toEqual([live, foreign, other, 'model.json'].sort());
  });
});

describe('writeFileAtomic', () => {
  it('writes a temporary file in the same folder, fsyncs it, renames it into place, then fsyncs the folder', () => {
    const path = join(dir, 'model.json');
    writeFileAtomic(path, '{"a":1}\n');
    expect(fs.readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(calls).toEqual(['fsync temp', 'rename', 'fsync folder']);
    expect(entries()).toEqual(['model.json']); // no temporary file left
  });

  it('replaces an existing file and keeps its mode (0600 stays 0600)', () => {
    const path = join(dir, 'secret.json');
    fs.writeFileSync(path, 'old');
    fs.chmodSync(path, 0o600);
    writeFileAtomic(path, 'new');
    expect(fs.readFileSync(path, 'utf8')).toBe('new');
    expect(modeOf(path)).toBe(0o600);
    fs.chmodSync(path, 0o640);
    writeFileAtomic(path, 'newer');
    expect(modeOf(path)).toBe(0o640);
  });

  it('gives a new file the requested mode', () => {
    const path = join(dir, 'new.json');
    writeFileAtomic(path, 'x', { mode: 0o600 });
    expect(modeOf(path)).toBe(0o600);
  });

  it('writes through a symbolic link: the link stays, the file it points to is replaced', () => {
    fs.mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'model.json');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o600);
    const link = join(dir, 'link.json');
    fs.symlinkSync('real/model.json', link);
    writeFileAtomic(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('real/model.json');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(modeOf(target)).toBe(0o600);
    expect(fs.readdirSync(join(dir, 'real'))).toEqual(['model.json']);
  });

  it('follows a dangling link to create the file it names', () => {
    const link = join(dir, 'link.json');
    fs.symlinkSync('created.json', link);
    writeFileAtomic(link, 'x');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(join(dir, 'created.json'), 'utf8')).toBe('x');
  });

  it('on a failed write removes the temporary file, keeps the old file, and says why in one sentence', () => {
    const path = join(dir, 'model.json');
    fs.writeFileSync(path, 'old');
    failWriteWith = 'ENOSPC';
    let error: unknown;
    try {
      writeFileAtomic(path, 'new');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      name: 'DeltaflowError',
      code: 'E_WRITE',
      message: `Cannot write ${path}: the disk is full (ENOSPC).`,
    });
    expect((error as Error).cause).toMatchObject({ code: 'ENOSPC' }); // the system error, stack and all
    expect(entries()).toEqual(['model.json']);
    expect(fs.readFileSync(path, 'utf8')).toBe('old');
    expect(calls).not.toContain('rename');
  });

  it('on a failed rename (the target is a folder) removes the temporary file', () => {
    const path = join(dir, 'taken');
    fs.mkdirSync(path);
    fs.writeFileSync(join(path, 'inside'), 'x');
    expect(() => writeFileAtomic(path, 'new')).toThrow(/Cannot write .*taken: it is a folder/);
    expect(entries()).toEqual(['taken']);
  });

  it('refuses a folder that does not exist, naming it', () => {
    expect(() => writeFileAtomic(join(dir, 'no', 'model.json'), 'x')).toThrow(
      /Cannot write .*model.json: the folder does not exist \(ENOENT\)\./,
    );
  });
});

describe('openFileAtomic', () => {
  it('shows nothing at the path until commit, then the whole file', () => {
    const path = join(dir, 'run.jsonl');
    fs.writeFileSync(path, 'previous run\n');
    const file = openFileAtomic(path);
    file.write('line 1\n');
    file.write(new TextEncoder().encode('line 2\n'));
    expect(fs.readFileSync(path, 'utf8')).toBe('previous run\n');
    file.commit();
    expect(fs.readFileSync(path, 'utf8')).toBe('line 1\nline 2\n');
    expect(entries()).toEqual(['run.jsonl']);
    expect(() => file.write('late')).toThrow(/already committed/);
    file.abort(); // harmless after commit
    expect(entries()).toEqual(['run.jsonl']);
  });

  it('abort removes the temporary file and leaves the target as it was', () => {
    const path = join(dir, 'run.jsonl');
    const file = openFileAtomic(path);
    file.write('partial');
    expect(entries()).toHaveLength(1);
    file.abort();
    file.abort();
    expect(entries()).toEqual([]);
  });
});
