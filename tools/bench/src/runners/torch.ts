import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Workload } from '../workloads.js';
import type { RunPlan, RunResult, Runner } from './runner.js';

/** The Python the PyTorch column runs on: Debian's python3-torch lives in /usr/bin/python3's dist-packages. */
export const TORCH_PYTHON = process.env['DELTAFLOW_BENCH_PYTHON'] ?? '/usr/bin/python3';

/** tools/bench/python/torch_runner.py, the same relative path from src/runners and dist/runners. */
const SCRIPT = fileURLToPath(new URL('../../python/torch_runner.py', import.meta.url));

/**
 * Debian's OpenBLAS (libopenblas0-pthread), which python3-torch recommends: when installed, the PyTorch column
 * loads it through LD_LIBRARY_PATH, whatever the system's libblas.so.3 alternative is (the reference BLAS, ten
 * times slower, when python3-torch was installed without recommends). DELTAFLOW_BENCH_BLAS_DIR overrides it.
 */
export function blasDir(): string | null {
  const asked = process.env['DELTAFLOW_BENCH_BLAS_DIR'];
  if (asked !== undefined) return asked || null;
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  const dir = `/usr/lib/${arch}-linux-gnu/openblas-pthread`;
  return existsSync(join(dir, 'libblas.so.3')) ? dir : null;
}

/**
 * The environment of a Python process running torch on `threads` threads (and the OpenBLAS if present). Torch's
 * OpenMP threads sleep when idle (`OMP_WAIT_POLICY=PASSIVE`): spinning, they took the second core from OpenBLAS's
 * own threads, and 2 threads trained W3 at half the speed of 1 (40 against 72 GFLOP/s; passive: 113).
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const dir = blasDir();
  const path = process.env['LD_LIBRARY_PATH'];
  return {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OMP_WAIT_POLICY: 'PASSIVE',
    OPENBLAS_NUM_THREADS: String(threads),
    ...(dir ? { LD_LIBRARY_PATH: path ? `${dir}:${path}` : dir } : {}),
  };
}

/** Prints torch's version and the BLAS library it loaded (after one product), tab-separated. */
const PROBE = [
  'import torch',
  'torch.ones(64, 64) @ torch.ones(64, 64)',
  "libs = [l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() or 'mkl' in l.lower()]",
  "print(torch.__version__ + '\t' + (libs[0] if libs else 'unknown BLAS'))",
].join('\n');

/**
 * The torch version `python` imports and the BLAS it runs on, or why it cannot (the column's note when PyTorch
 * is missing).
 */
export function probeTorch(python = TORCH_PYTHON): { version: string; blas: string } | { reason: string } {
  if (!existsSync(python)) return { reason: `${python} not found (install Debian's python3-torch)` };
  const probe = spawnSync(python, ['-c', PROBE], {
    encoding: 'utf8',
    timeout: 120_000,
    env: torchEnv(1),
  });
  if (probe.status !== 0) {
    const last = (probe.stderr || String(probe.error ?? '')).trim().split('\n').pop() ?? '';
    return {
      reason: `${python} cannot import torch (${last || `exit ${probe.status}`}; apt-get install python3-torch)`,
    };
  }
  const [version = '?', blas = 'unknown BLAS'] = probe.stdout.trim().split('\t');
  return { version, blas };
}

type Reply =
  | { type: 'ready'; version: string; threads: number }
  | { type: 'run'; result: RunResult }
  | { type: 'error'; message: string }
  | { type: 'unavailable'; reason: string };

/**
 * PyTorch (Debian's python3-torch, CPU) as the native reference: one persistent Python process per thread count,
 * `torch.set_num_threads(threads)`, the workload written the usual PyTorch way (nn.Sequential of nn.Linear and
 * activations, torch.optim.SGD, a fresh random order every epoch). The Python process times its own training loop
 * (wall and process CPU time), so the pipe and the process start are not counted. W2 and W3 only (W1's 2-4-1
 * network measures framework overhead, where PyTorch's per-op dispatch is not a reference anyone uses).
 */
export class TorchRunner implements Runner {
  /**
   * Calibrated like tfjs (about 1.5 s of work a run, its rate does not depend on the amount): on a busy machine
   * PyTorch's OpenMP threads spin and its 2-thread runs can be 20 times slower than its 1-thread runs.
   */
  readonly fast = false;
  readonly name: string;
  private child: ChildProcessWithoutNullStreams | null = null;
  private replies: ((reply: Reply) => void)[] = [];
  private ready: Promise<Reply> | null = null;
  private dir: string | null = null;
  private readonly files = new Map<ArrayBufferLike, string>();

  constructor(
    private readonly threads: number,
    private readonly version: string,
    private readonly blas: string,
  ) {
    this.name = `pytorch-${threads}t`;
  }

  readonly workloads = ['W2', 'W3'] as const;

  notes(w: Workload): string | null {
    return w.id === 'W1'
      ? null
      : `${this.name}: PyTorch ${this.version} (${TORCH_PYTHON}) on ${this.blas}${/openblas|mkl|blis/i.test(this.blas) ? '' : ' (the reference BLAS, not a native reference: apt-get install libopenblas0-pthread)'}, torch.set_num_threads(${this.threads}), nn.Linear + torch.optim.SGD; timed inside Python.`;
  }

  private start(): Promise<Reply> {
    if (this.ready) return this.ready;
    const child = spawn(TORCH_PYTHON, [SCRIPT, String(this.threads)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: torchEnv(this.threads),
    });
    this.child = child;
    child.stderr.on('data', () => undefined);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const resolve = this.replies.shift();
      resolve?.(JSON.parse(line) as Reply);
    });
    child.on('exit', (code) => {
      for (const resolve of this.replies.splice(0))
        resolve({ type: 'error', message: `${TORCH_PYTHON} exited with ${code}` });
    });
    this.ready = new Promise((resolve) => this.replies.push(resolve));
    child.unref();
    return this.ready;
  }

  /** Writes an array once to a raw float32 file the Python side maps; returns its path. */
  private file(array: Float32Array): string {
    const key = array.buffer;
    let path = this.files.get(key);
    if (!path) {
      this.dir ??= mkdtempSync(join(tmpdir(), 'deltaflow-bench-torch-'));
      path = join(this.dir, `a${this.files.size}.f32`);
      // the whole underlying buffer: head() of a Data is a view on the same arrays
      writeFileSync(path, new Uint8Array(array.buffer, 0, array.buffer.byteLength));
      this.files.set(key, path);
    }
    return path;
  }

  /** Ends the Python process (it also ends by itself when the bench's pipe closes). */
  stop(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.child?.stdin.end();
    this.child = null;
    this.ready = null;
  }

  async run(plan: RunPlan): Promise<RunResult> {
    const ready = await this.start();
    if (ready.type !== 'ready') throw new Error(ready.type === 'unavailable' ? ready.reason : String(ready));
    const d = plan.data;
    const w = plan.workload;
    const totalRows = d.inputs.buffer.byteLength / 4 / d.features;
    const request = {
      workload: {
        id: w.id,
        sizes: w.sizes,
        hidden: w.hidden,
        output: w.output,
        loss: w.loss,
        lr: w.lr,
        batchSize: w.batchSize,
      },
      weights: plan.weights.weights.map((a) => this.file(a)),
      biases: plan.weights.biases.map((a) => this.file(a)),
      inputs: this.file(d.inputs),
      targets: this.file(d.targets),
      totalRows,
      rows: d.rows,
      epochs: plan.epochs,
      ...(plan.test
        ? {
            testInputs: this.file(plan.test.inputs),
            testTargets: this.file(plan.test.targets),
            testRows: plan.test.rows,
          }
        : {}),
    };
    const reply = await new Promise<Reply>((resolve) => {
      this.replies.push(resolve);
      this.child!.stdin.write(`${JSON.stringify(request)}\n`);
    });
    // Python keeps every array it has read (by path and shape, which stay the same for a workload): the files
    // are no longer needed, and /tmp is not left with tens of megabytes per run.
    for (const path of this.files.values()) rmSync(path, { force: true });
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    if (reply.type !== 'run') throw new Error(`${this.name}: ${JSON.stringify(reply)}`);
    return reply.result;
  }
}
