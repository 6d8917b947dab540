import { HELPER_FUNCTIONS } from './helper-functions.js';
import type { KernelExports, WasmMemory } from './wasm-module.js';

/** Slots of the control block shared with the helper. */
const REQUEST = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
/**
 * The call on offer: its sequence number until a thread takes it (compare-and-exchange to 0), so that whichever
 * thread is free first runs it: the helper, or the caller in {@link GemmThread.finish} when the helper has not
 * taken it by then (descheduled on a busy machine: the caller then runs both halves instead of waiting).
 */
const CLAIM = 4;
/**
 * The next piece of a call cut into pieces ({@link GemmThread.callParts}): both threads take pieces by adding 1 here
 * (Atomics.add) until none is left, so the faster thread does more of them and a late helper holds the caller up
 * by one piece at most.
 */
const NEXT = 5;
/** How long the caller waits for the helper's half before giving up (it never takes this long). */
const TIMEOUT_MS = 60_000;
/**
 * Loads of the control block the helper spins through after a call before it sleeps (Atomics.wait): about 150
 * microseconds once compiled (7 ns a load), longer than the gaps between the calls of a training step and between
 * W2's batches (60-80 microseconds of JavaScript), so they find the helper awake (a wake from Atomics.wait costs
 * 10-70 microseconds), and short enough not to hold a core for long once calls stop. {@link GemmThread.wake}
 * starts it spinning ahead of a batch.
 */
const HELPER_SPINS = 20_000;
/**
 * Loads the caller spins through in {@link GemmThread.finish} before it sleeps on the helper's answer: about 200
 * microseconds, what two halves of W3's products (4 ms each) differ by, so the caller seldom pays a wake-up.
 */
const CALLER_SPINS = 30_000;
/** Argument slots of one call: the function's index, up to 15 arguments, then the number of pieces (0: one call). */
const SLOTS = 20;
/** The slot of the number of pieces of a call ({@link GemmThread.callParts}); 0 for a call in one piece. */
const PARTS = 16;

/**
 * The helper's program, run with `eval` in a Node worker thread: it instantiates the shared-memory kernels on
 * the caller's memory, then sleeps on the control block (Atomics.wait) until asked for a product.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, args } = workerData;
const ctrl = new Int32Array(control);
const f = new Float64Array(args);
const abort = () => { throw new Error('deltaflow wasm kernels: abort'); };
const ex = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
const fns = ${JSON.stringify(HELPER_FUNCTIONS)}.map((name) => ex[name]);
Atomics.store(ctrl, ${READY}, 1);
let seq = 0;
for (;;) {
  // spin a while before sleeping: the next call of a training step comes within microseconds, and a wake from
  // Atomics.wait costs tens of them
  for (let spin = 0; spin < ${HELPER_SPINS} && Atomics.load(ctrl, ${REQUEST}) === seq; spin++);
  Atomics.wait(ctrl, ${REQUEST}, seq);
  seq = Atomics.load(ctrl, ${REQUEST});
  if (seq < 0) break;
  if (Atomics.compareExchange(ctrl, ${CLAIM}, seq, 0) === seq) {
    try {
      const fn = fns[f[0]];
      const parts = f[${PARTS}];
      if (parts > 0) {
        // a call in pieces: take the next piece until none is left (the caller takes them too)
        for (let i = Atomics.add(ctrl, ${NEXT}, 1); i < parts; i = Atomics.add(ctrl, ${NEXT}, 1))
          fn(f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15], i);
      } else fn(f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]);
    } catch (error) {
      Atomics.store(ctrl, ${FAILED}, 1);
    }
  }
  Atomics.store(ctrl, ${DONE}, seq);
  Atomics.notify(ctrl, ${DONE});
}
`;

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** Node's Worker class, without importing node: modules (this package also runs in browsers). */
function nodeWorker(): WorkerConstructor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as
    { Worker?: WorkerConstructor } | undefined;
  return threads?.Worker ?? null;
}

/**
 * A second thread on the same shared WebAssembly memory, asleep on a shared control block (Atomics.wait) until it
 * is handed a kernel call: for a large product the caller gives it a block of rows (or of columns) of C, computes
 * the rest itself, and waits for the helper's part; {@link GemmThread.call} hands it any kernel of
 * {@link HELPER_FUNCTIONS} the same way (no message is posted per call). After a call both sides spin a moment on
 * the control block before they sleep, so the calls of a training step, microseconds apart, cost no wake-up. Node only (a worker thread, unref'd so
 * it never keeps a process alive); in browsers `create` returns null.
 */
export class GemmThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(32));
  private readonly args = new Float64Array(new SharedArrayBuffer(8 * SLOTS));
  private seq = 0;
  private readonly worker: NodeWorker;

  private constructor(Worker: WorkerConstructor, module: object, memory: WasmMemory) {
    this.worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { module, memory, control: this.control.buffer, args: this.args.buffer },
    });
    this.worker.unref();
  }

  /** Whether a helper thread can run here: Node's worker threads, SharedArrayBuffer and Atomics. */
  static available(): boolean {
    return nodeWorker() !== null && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
  }

  /** A helper thread, or null where threads are not available (browsers, no SharedArrayBuffer). */
  static create(module: object, memory: WasmMemory): GemmThread | null {
    const Worker = nodeWorker();
    if (!Worker || !GemmThread.available()) return null;
    try {
      return new GemmThread(Worker, module, memory);
    } catch {
      return null;
    }
  }

  /** Whether the helper has started (until then, products run on one thread). */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === 1 && Atomics.load(this.control, FAILED) === 0;
  }

  /** Hands the helper a gemm (the kernels' arguments, addresses into the shared memory) and returns at once. */
  start(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    work: number,
    lda: number,
    ldb: number,
    ldc: number,
  ): void {
    this.call(0, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, b, beta, c, work, lda, ldb, ldc);
  }

  /**
   * Hands the helper the kernel export `HELPER_FUNCTIONS[fn]` with up to 14 numeric arguments (addresses into the
   * shared memory; unused ones are ignored) and returns at once; {@link GemmThread.finish} waits for it.
   */
  call(
    fn: number,
    a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    a8 = 0,
    a9 = 0,
    a10 = 0,
    a11 = 0,
    a12 = 0,
    a13 = 0,
  ): void {
    const f = this.args;
    f[0] = fn;
    f[1] = a0;
    f[2] = a1;
    f[3] = a2;
    f[4] = a3;
    f[5] = a4;
    f[6] = a5;
    f[7] = a6;
    f[8] = a7;
    f[9] = a8;
    f[10] = a9;
    f[11] = a10;
    f[12] = a11;
    f[13] = a12;
    f[14] = a13;
    f[PARTS] = 0;
    this.parted = false;
    this.post();
  }

  /**
   * Hands the helper a call in `parts` pieces: the kernel export `HELPER_FUNCTIONS[fn]` called with the 15 arguments
   * and then a piece's index, for every index below `parts`, each by whichever thread takes it first
   * ({@link GemmThread.nextPart}); returns at once. The caller takes pieces with {@link GemmThread.nextPart} until
   * it gets `parts` or more, then {@link GemmThread.finish} waits for the helper's last piece.
   */
  callParts(fn: number, parts: number, args: ArrayLike<number>): void {
    const f = this.args;
    f[0] = fn;
    for (let i = 0; i < 15; i++) f[i + 1] = args[i] ?? 0;
    f[PARTS] = parts;
    this.parted = true;
    Atomics.store(this.control, NEXT, 0);
    this.post();
  }

  /** The index of the next piece of the call of {@link GemmThread.callParts} for this thread to run. */
  nextPart(): number {
    return Atomics.add(this.control, NEXT, 1);
  }

  /** Whether the call on offer is in pieces (nothing is run back by finish: the caller took its pieces). */
  private parted = false;

  /** Offers the call written in the arguments under a new sequence number and wakes the helper. */
  private post(): void {
    this.seq = (this.seq + 1) & 0x3fffffff || 1;
    Atomics.store(this.control, CLAIM, this.seq);
    Atomics.store(this.control, REQUEST, this.seq);
    Atomics.notify(this.control, REQUEST);
  }

  /**
   * Waits until the call given to {@link GemmThread.call} (or {@link GemmThread.start}) is done. With the caller's
   * `kernels` and gemm `work` space, a call the helper has not taken yet is taken back and run here, at once (the
   * helper thread is descheduled: waiting for it would cost a time slice of the system's scheduler). Returns
   * whether the helper kept up: it took the call and answered while the caller spun (false when the caller ran the
   * call itself or had to sleep on the answer).
   */
  finish(kernels?: KernelExports, work = 0): boolean {
    const control = this.control;
    const seq = this.seq;
    if (this.parted) {
      // every piece is taken: when the helper never took the call, it is done
      if (Atomics.compareExchange(control, CLAIM, seq, 0) === seq) return false;
    } else if (kernels !== undefined && Atomics.compareExchange(control, CLAIM, seq, 0) === seq) {
      this.runHere(kernels, work);
      return false;
    }
    for (let spin = 0; spin < CALLER_SPINS && Atomics.load(control, DONE) !== seq; spin++);
    const prompt = Atomics.load(control, DONE) === seq;
    const deadline = Date.now() + TIMEOUT_MS;
    while (Atomics.load(control, DONE) !== this.seq) {
      Atomics.wait(control, DONE, Atomics.load(control, DONE), 100);
      if (Date.now() > deadline)
        throw new Error('deltaflow wasm kernels: the gemm helper thread did not answer.');
    }
    if (Atomics.load(control, FAILED) !== 0)
      throw new Error('deltaflow wasm kernels: the gemm helper thread failed.');
    return prompt;
  }

  /** Runs the call on offer on this thread (its gemm in this thread's `work` space). */
  private runHere(kernels: KernelExports, work: number): void {
    let fns = this.fns;
    if (fns === null || this.fnsOf !== kernels) {
      const table = kernels as unknown as Record<string, (...args: number[]) => void>;
      fns = HELPER_FUNCTIONS.map((name) => table[name]!);
      this.fns = fns;
      this.fnsOf = kernels;
    }
    const f = this.args;
    const fn = f[0]!;
    // gemm's 11th argument is its work space: the helper's in the arguments, this thread's here
    fns[fn]!(
      f[1]!,
      f[2]!,
      f[3]!,
      f[4]!,
      f[5]!,
      f[6]!,
      f[7]!,
      f[8]!,
      f[9]!,
      f[10]!,
      fn === 0 ? work : f[11]!,
      f[12]!,
      f[13]!,
      f[14]!,
      f[15]!,
    );
  }
  private fns: ((...args: number[]) => void)[] | null = null;
  private fnsOf: KernelExports | null = null;

  /**
   * Wakes the helper when it sleeps, without a call: it spins again for a while, ready for calls that come soon
   * (the next batch's products, after its inputs are copied in).
   */
  wake(): void {
    Atomics.notify(this.control, REQUEST);
  }

  /** Stops the helper thread. */
  async stop(): Promise<void> {
    Atomics.store(this.control, REQUEST, -1);
    Atomics.notify(this.control, REQUEST);
    await this.worker.terminate();
  }
}
