import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DeltaflowError } from './errors.js';

/**
 * Options of {@link writeFileAtomic} and {@link openFileAtomic}.
 *
 * @example
 * ```ts
 * writeFileAtomic('secret.json', text, { mode: 0o600 });
 * ```
 * @category Files
 */
export interface AtomicWriteOptions {
  /** Permissions of a new file (before the umask); default `0o666`. An existing file keeps its own. */
  mode?: number;
}

/** What a failed system call means, in words, for the common cases. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than the file system or a file size limit (ulimit -f) allows',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOTEMPTY: 'it is a folder',
  EEXIST: 'it exists and cannot be replaced',
};

/**
 * The `E_WRITE` error for a failed write of `path`: one sentence naming the path and the reason, with the system
 * error as its `cause` (stack and all).
 */
function writeError(path: string, error: unknown): DeltaflowError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = code ? `${REASONS[code] ?? 'the system refused'} (${code})` : String(error);
  const failure = new DeltaflowError('E_WRITE', `Cannot write ${path}: ${reason}.`);
  failure.cause = error;
  return failure;
}

/**
 * The file a write of `path` must replace: `path` itself, or, when it is a symbolic link (even a dangling one),
 * the file the link points to, so that the link stays a link.
 */
function resolveTarget(path: string): string {
  let target = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(target).isSymbolicLink();
    } catch {
      return target; // nothing there yet
    }
    if (!isLink) return target;
    target = resolve(dirname(target), readlinkSync(target));
  }
  throw Object.assign(new Error(`too many symbolic links at ${path}`), { code: 'ELOOP' });
}

/** Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened (Windows). */
function fsyncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Targets whose stale temporary files this process has already looked for (once per target is enough). */
const swept = new Set<string>();

/** Whether process `pid` runs (on this machine); a process of another user counts as running. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a writer of `target` left when it was killed (SIGKILL, a power cut) before it
 * could commit or abort: `.<name>.<pid>-<hex>.tmp` beside the target, whose process no longer runs. A writer
 * still running (this process, or another one writing the same file now) keeps its own. Never throws.
 */
function sweepStaleTemporaries(target: string): void {
  if (swept.has(target)) return;
  swept.add(target);
  const name = basename(target);
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const match = /^(\d+)-[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || running(pid)) continue;
    try {
      rmSync(join(dirname(target), entry), { force: true });
    } catch {
      // another process removed it, or the folder is read-only: harmless either way
    }
  }
}

/**
 * A file being written atomically: written to a temporary file beside its target, then moved into place whole
 * by {@link AtomicFile.commit}, or removed by {@link AtomicFile.abort}. Made by {@link openFileAtomic}.
 *
 * @example
 * ```ts
 * const file = openFileAtomic('run.jsonl');
 * try {
 *   for (const line of ['{"type":"start"}', '{"type":"end"}']) file.write(`${line}\n`);
 *   file.commit();
 * } finally {
 *   file.abort(); // removes the temporary file unless committed
 * }
 * ```
 * @category Files
 */
export class AtomicFile {
  /** The file that {@link AtomicFile.commit} replaces (a symbolic link's target, not the link). */
  readonly target: string;
  /** The temporary file, in the target's folder (so the rename never crosses file systems). */
  readonly temporary: string;
  private fd: number | null;
  private done = false;

  /**
   * @param path - the file to write, as the user named it (used in error messages)
   * @param options - the mode of a new file
   * @throws DeltaflowError `E_WRITE` when the temporary file cannot be created
   */
  constructor(
    readonly path: string,
    options: AtomicWriteOptions = {},
  ) {
    let target: string;
    try {
      target = resolveTarget(path);
    } catch (error) {
      throw writeError(path, error);
    }
    this.target = target;
    sweepStaleTemporaries(target);
    this.temporary = join(
      dirname(target),
      `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
    );
    let keepMode: number | null = null;
    try {
      keepMode = statSync(target).mode & 0o7777;
    } catch {
      // a new file: options.mode under the umask
    }
    let fd: number | null = null;
    try {
      fd = openSync(this.temporary, 'wx', options.mode ?? 0o666);
      if (keepMode !== null) fchmodSync(fd, keepMode);
    } catch (error) {
      if (fd !== null) {
        closeSync(fd);
        rmSync(this.temporary, { force: true });
      }
      throw writeError(path, error);
    }
    this.fd = fd;
  }

  /**
   * Appends `data` to the temporary file.
   *
   * @throws DeltaflowError `E_WRITE` (the disk is full, a size limit, ...): the file stays uncommitted
   */
  write(data: string | Uint8Array): void {
    const fd = this.fd;
    if (fd === null || this.done) {
      throw new DeltaflowError('E_STATE', `${this.path} was already committed or aborted; open it again.`);
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      throw writeError(this.path, error);
    }
  }

  /**
   * Flushes the temporary file to disk, renames it over the target and flushes the folder; on failure removes
   * the temporary file and leaves the target as it was.
   *
   * @throws DeltaflowError `E_WRITE` naming the path and the reason
   */
  commit(): void {
    const fd = this.fd;
    if (fd === null || this.done) {
      throw new DeltaflowError('E_STATE', `${this.path} was already committed or aborted; open it again.`);
    }
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      renameSync(this.temporary, this.target);
      this.done = true;
      fsyncFolder(dirname(this.target));
    } catch (error) {
      if (!this.done) this.abort();
      throw writeError(this.path, error);
    }
  }

  /** Gives up: closes and removes the temporary file; the target stays as it was. Never throws; idempotent. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    if (!this.done) rmSync(this.temporary, { force: true });
    this.done = true;
  }
}

/**
 * Opens `path` for an atomic write in pieces (see {@link AtomicFile}): nothing appears at `path` until
 * {@link AtomicFile.commit}, and then the whole file at once.
 *
 * @example
 * ```ts
 * const file = openFileAtomic('events.jsonl');
 * file.write('{"type":"start"}\n');
 * file.commit();
 * ```
 * @throws DeltaflowError `E_WRITE` when the temporary file cannot be created
 * @category Files
 */
export function openFileAtomic(path: string, options: AtomicWriteOptions = {}): AtomicFile {
  return new AtomicFile(path, options);
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder, flushed to disk (fsync), then
 * renamed into place and the folder flushed, so a crash or a full disk never leaves a half-written file and an
 * existing file is only ever replaced by a complete one. An existing file keeps its permissions (a 0600 file
 * stays 0600); a symbolic link stays a link and the file it points to is replaced. On failure the temporary file
 * is removed. Node only (`@deltaflow/core/node`).
 *
 * @example
 * ```ts
 * writeFileAtomic('model.json', JSON.stringify(json));
 * ```
 * @throws DeltaflowError `E_WRITE` naming the path and the reason (the system error is its `cause`)
 * @category Files
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const file = new AtomicFile(path, options);
  try {
    file.write(data);
    file.commit();
  } finally {
    file.abort();
  }
}
