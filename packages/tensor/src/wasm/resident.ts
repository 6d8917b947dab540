import { helperIndex } from './helper-functions.js';
import type { KernelExports, WasmMemory } from './wasm-module.js';

const PAGE = 65536;
const align16 = (x: number): number => (x + 15) & ~15;

/**
 * Products of at least this many multiply-adds (about a million) are split between the two threads of the resident
 * plan: with the helper spinning between calls a hand-over costs a few microseconds, and a product of a million
 * multiply-adds takes about 100 (W2's two large products, 3.2 million each, are split; its output layer's are not).
 *
 * @example
 * ```ts
 * const split = 32 * 784 * 128 >= RESIDENT_SPLIT_GEMM; // W2's forward product of its hidden layer: true
 * ```
 * @category Backend
 */
export const RESIDENT_SPLIT_GEMM = 1 << 20;
/** Elementwise kernels and updates on at least this many values are split in halves between the two threads. */
const SPLIT_VALUES = 1 << 16;
/**
 * The sigmoid and tanh of at least this many values are split in halves (e^x costs about 7 ns a value: W2's hidden
 * layer, 32 x 128 sigmoids, takes 25 microseconds on one thread, and a hand-over a few; their derivatives cost a
 * tenth of that and keep SPLIT_VALUES).
 */
const SPLIT_EXP = 1 << 12;

/**
 * Calls of fewer multiply-adds (or values) than this are "small": after the helper thread fell behind on them
 * (another process had its core), the next {@link SOLO_CALLS} small calls run on one thread, where halves would wait
 * on the helper or share a core with it. Larger products are split whatever happened (a late helper's half is taken
 * back by the caller).
 */
const SMALL_SPLIT = 1 << 24;
/**
 * Small calls run on one thread after the helper fell behind on a window of them (W2: about 85 batches), then it is
 * tried again; each time it falls behind again on the first window, twice as many, up to {@link MAX_SOLO_CALLS}: on a machine whose
 * other core stays busy a try costs a wait on the descheduled helper (up to a time slice of the scheduler), which
 * then comes every 30 seconds of W2's batches instead of every 30 milliseconds.
 */
const SOLO_CALLS = 256;
/**
 * Split small calls judged together: the helper has fallen behind when over this many its halves held the caller up
 * by more than {@link LATE_SHARE} of the caller's own halves. One call is no guide: a wake-up of the helper's core
 * (about 100 microseconds in a virtual machine) can hold up a single half of W2's (90 microseconds) while the
 * split calls around it run 1.5 times as fast as one thread.
 */
const JUDGED_CALLS = 16;
/** The share of the caller's own time it may wait on the helper over {@link JUDGED_CALLS} (0.75: 1.14 times as fast). */
const LATE_SHARE = 0.75;
/** The longest run of small calls on one thread (W2: about 1,400 batches, half a second). */
const MAX_SOLO_CALLS = 4096;
/** The runtime's clock (milliseconds), in browsers and Node alike. */
const clock = (globalThis as unknown as { performance: { now(): number } }).performance;

const GEMM = helperIndex('gemm');
const GEMM_PART = helperIndex('gemmPart');
const SGD = helperIndex('sgdStep');
const PARAMETER_SUMS = helperIndex('epochParameterSums');
const PARAMETER_SUMS_TWO = helperIndex('epochParameterSumsTwo');

/**
 * A product is cut into about one piece per this many multiply-adds, at least 2 and at most {@link MAX_PARTS}: more
 * pieces let the faster thread do more of them and hold the caller up by one piece at most when the helper is late.
 */
const PART_GEMM = 1 << 22;
/**
 * The most pieces of a product: 2. Every piece packs the whole of the operand that is not cut (W3's O_in, 128 x 1024),
 * so on one thread 4 pieces cost 1-4 % more than the whole product and 8 pieces 1.5-12 % more (the fused update's,
 * whose depth is only the batch of 128); on a quiet machine W3's halves end within a few percent of each other, and
 * steps of 4 pieces ran 5-10 % slower than steps of halves (`tools/bench/src/threads-profile.ts`). More pieces pay
 * only when the threads' speeds differ widely (another process on a core).
 */
const MAX_PARTS = 2;

/**
 * The kernels with the pieces of a product: the kernels' gemmPart (which KernelExports does not list), gemm's
 * arguments followed by the number of pieces and the piece's index.
 */
type PartKernels = KernelExports & {
  gemmPart(...args: [...Parameters<KernelExports['gemm']>, parts: number, part: number]): void;
};

/**
 * Codes of the transfer functions of {@link ResidentMemory.activationForward} and
 * {@link ResidentMemory.activationBackward}.
 *
 * @example
 * ```ts
 * const resident = loadWasmBackend({ threads: 1 })?.resident; // undefined without WebAssembly SIMD
 * if (resident) {
 *   const base = resident.claim({ evict: () => undefined }, 32);
 *   resident.f32().set([-1, 2], base >> 2);
 *   resident.activationForward(ResidentActivation.relu, base, base + 16, 2); // O = 0 and 2 at base + 16
 * }
 * ```
 * @category Backend
 */
export const ResidentActivation = Object.freeze({ sigmoid: 0, tanh: 1, relu: 2, linear: 3 });

/**
 * Whoever holds the resident region of a {@link ResidentMemory}: told to {@link ResidentOwner.evict} (write its
 * state back to the JavaScript arrays) when another owner claims the region.
 *
 * @example
 * ```ts
 * const owner: ResidentOwner = { evict: () => console.log('the state goes back to the tensors') };
 * loadWasmBackend({ threads: 1 })?.resident?.claim(owner, 1024); // owner's until another owner claims it
 * ```
 * @category Backend
 */
export interface ResidentOwner {
  /** Brings the owner's JavaScript state up to date from the region; the region is someone else's after. */
  evict(): void;
}

/**
 * The helper thread as the resident memory uses it (the 2-thread backend's, over the same shared memory): it runs
 * the kernel export of index `fn` (see the helper's function list) on the arguments, while the caller runs its own
 * part, then {@link ResidentHelper.finish} waits for it (or takes the call back when the helper has not started it).
 *
 * @example
 * ```ts
 * // not-runnable: the helper thread of the 2-thread backend
 * declare const helper: ResidentHelper;
 * declare const kernels: KernelExports;
 * const [xAt, outAt, n, half] = [1024, 9216, 2048, 1024];
 * helper.call(4, xAt + 4 * half, outAt + 4 * half, n - half); // reluForward, the second half
 * kernels.reluForward(xAt, outAt, half); // the first half, meanwhile
 * helper.finish(kernels, 64); // or runs the second half here too, when the helper has not taken it yet
 * ```
 * @category Backend
 */
export interface ResidentHelper {
  /** Whether the helper has started (until then every call runs on one thread). */
  readonly ready: boolean;
  /** Wakes the helper when it sleeps (calls will come soon); nothing is run. */
  wake(): void;
  /** Hands the helper a kernel call and returns at once. */
  call(fn: number, ...args: number[]): void;
  /**
   * Hands the helper a call in `parts` pieces (the kernel with the 15 arguments, then a piece's index) and returns
   * at once; the caller takes pieces with {@link ResidentHelper.nextPart} too. Optional: a helper without it gets
   * halves.
   */
  callParts?(fn: number, parts: number, args: ArrayLike<number>): void;
  /** The next piece of the call of {@link ResidentHelper.callParts} for the caller to run (done from `parts` on). */
  nextPart?(): number;
  /**
   * Waits until the last call is done; given the caller's kernels and gemm work space, runs the call itself when the
   * helper has not taken it yet (so a descheduled helper never holds the caller up). Returns whether the helper
   * kept up (took the call and answered without the caller sleeping).
   */
  finish(kernels?: KernelExports, work?: number): boolean;
}

/**
 * The place in a backend's memory where staging starts (the backend's kernel memory, moved past the region).
 *
 * @example
 * ```ts
 * let stagingStart = 0;
 * const staging: StagingArea = { moveStaging: (address) => void (stagingStart = address) };
 * staging.moveStaging(4096);
 * stagingStart; // → 4096
 * ```
 * @category Backend
 */
export interface StagingArea {
  /** Staging (the copies of a general product) starts at `address` or later from now on. */
  moveStaging(address: number): void;
}

/**
 * A region of a WebAssembly backend's linear memory that one training plan keeps from batch to batch (weights,
 * gradients, activations: see `WasmResidentPlan` of `@deltaflow/network`), with the kernels that run on
 * addresses in it and, on the 2-thread backend, the helper thread that takes half of each large call.
 *
 * The region starts after the gemm work spaces; the backend's staging of general products (validation, inference)
 * is moved past it, so both share the memory without overlap. A grow of the memory replaces its buffer: use
 * {@link ResidentMemory.f32} for a view of the moment, never a view kept from before a kernel or backend call.
 *
 * @example
 * ```ts
 * const resident = loadWasmBackend({ threads: 1 })?.resident; // undefined without WebAssembly SIMD
 * if (resident) {
 *   const base = resident.claim({ evict: () => undefined }, 4096); // 4 KiB, until another owner claims it
 *   resident.f32().set(new Float32Array([0.5, -0.5]), base >> 2);
 * }
 * ```
 * @category Backend
 */
export class ResidentMemory {
  /** The first byte of the region. */
  readonly base: number;
  private bytes = 0;
  private owner: ResidentOwner | null = null;
  private view: Float32Array;

  /**
   * @param kernels - the instance's exports (addresses are byte offsets into `memory`)
   * @param memory - the instance's memory
   * @param start - the first free byte after the gemm work spaces
   * @param staging - the backend's staging, moved past the region when it grows
   * @param helper - the helper thread of the 2-thread backend, or null
   * @param work - the gemm work space of this thread and, with a helper, of the helper
   */
  constructor(
    readonly kernels: KernelExports,
    private readonly memory: WasmMemory,
    start: number,
    private readonly staging: StagingArea,
    private readonly helper: ResidentHelper | null,
    private readonly work: number,
    private readonly helperWork: number,
  ) {
    this.base = align16(start);
    this.view = new Float32Array(memory.buffer);
  }

  /**
   * Whether small calls (W2's) run on one thread for a while after the helper thread fell behind on one (default
   * true): on a machine whose other core is busy, halves of a small call wait on the helper or share a core with it
   * and run slower than one thread. False splits every call above the thresholds (the tests' choice).
   */
  adaptive = true;
  /** Small calls still to run on one thread. */
  private solo = 0;
  /** The arguments of a product in pieces (written per call, never allocated). */
  private readonly partArgs = new Float64Array(15);

  /**
   * Wakes the helper thread, when there is one, ahead of the calls of a batch (they find it awake instead of
   * waiting for it to wake up); not while small calls run on one thread.
   */
  wake(): void {
    if (this.solo === 0) this.helper?.wake();
  }

  /** Whether a call of `size` multiply-adds or values is split, given that it is above its threshold. */
  private splits(size: number): boolean {
    if (size >= SMALL_SPLIT || !this.adaptive) return true;
    if (this.solo > 0) {
      // the spell's last call: the helper, asleep through the spell, wakes while it runs, so that the next call's
      // half does not wait for a wake-up (which would count as falling behind and start a spell twice as long)
      if (--this.solo === 0) this.helper?.wake();
      return false;
    }
    this.started = clock.now();
    return true;
  }
  /** When the caller started its half of the current small call (milliseconds). */
  private started = 0;

  /**
   * Waits for the helper's half, and judges the helper on every {@link JUDGED_CALLS} small calls: it fell behind
   * when the caller waited on it more than {@link LATE_SHARE} of the time of its own halves (a call the caller ran
   * back or slept on counts as a wait as long as its own half: one thread's time); then the next small calls run on
   * one thread.
   */
  private join(helper: ResidentHelper, size: number): void {
    if (size >= SMALL_SPLIT || !this.adaptive) {
      helper.finish(this.kernels, this.work);
      return;
    }
    const mine = clock.now();
    const prompt = helper.finish(this.kernels, this.work);
    const own = mine - this.started;
    const wait = clock.now() - mine;
    this.ownTime += own;
    this.waitTime += prompt ? wait : Math.max(wait, own);
    if (++this.judged < JUDGED_CALLS) return;
    if (this.waitTime > LATE_SHARE * this.ownTime) {
      this.solo = this.soloCalls;
      this.soloCalls = Math.min(2 * this.soloCalls, MAX_SOLO_CALLS);
    } else this.soloCalls = SOLO_CALLS;
    this.judged = 0;
    this.ownTime = 0;
    this.waitTime = 0;
  }
  /** Split small calls since the last judgement, the caller's own time in them and its wait on the helper (ms). */
  private judged = 0;
  private ownTime = 0;
  private waitTime = 0;
  /** Small calls to run on one thread the next time the helper falls behind (doubles while it keeps falling behind). */
  private soloCalls = SOLO_CALLS;

  /** Threads that share the work now: 2 when the helper thread runs, else 1. */
  get threads(): number {
    return this.helper !== null && this.helper.ready ? 2 : 1;
  }

  /**
   * Gives the region (at least `bytes` bytes, from {@link ResidentMemory.base}) to `owner`: a previous other owner
   * is evicted first. Grows the memory when needed (a RangeError when it cannot). Returns the base address.
   */
  claim(owner: ResidentOwner, bytes: number): number {
    const previous = this.owner;
    if (previous !== null && previous !== owner) {
      previous.evict(); // while it still owns the region: it writes its state back
      this.owner = null;
    }
    const end = align16(this.base + bytes);
    if (end > this.base + this.bytes) {
      const memory = this.memory;
      if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
      this.bytes = end - this.base;
      this.staging.moveStaging(end);
    }
    this.owner = owner;
    return this.base;
  }

  /** Whether `owner` holds the region now. */
  owns(owner: ResidentOwner): boolean {
    return this.owner === owner;
  }

  /** Lets the region go (without an eviction), when `owner` holds it. */
  release(owner: ResidentOwner): void {
    if (this.owner === owner) this.owner = null;
  }

  /** A float32 view of the whole memory as it is now (index = byte address / 4). */
  f32(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.view.buffer !== buffer) this.view = new Float32Array(buffer);
    return this.view;
  }

  /**
   * C <- alpha op(A) op(B) + beta C on addresses (as the kernels' gemm, whole row-major matrices); from
   * `RESIDENT_SPLIT_GEMM` multiply-adds on, split between the two threads. From 16 million on, cut into pieces
   * (`MAX_PARTS`, 2: halves) that both threads take in turn from a shared counter, so a piece the helper has not
   * taken when the caller is done with its own is the caller's; smaller products (and a helper without pieces) in
   * fixed halves, the caller waiting for the helper's. By columns of op(B) and C when A is not stored transposed and
   * C has at least 32 columns (each piece packs only its columns of B), else by rows of op(A) and C. Either way
   * every element of C gets the operations of the 1-thread product, in the same order: the same bits.
   */
  gemm(
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
  ): void {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const helper = this.helper;
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    const size = m * n * k;
    const split = helper !== null && size >= RESIDENT_SPLIT_GEMM && helper.ready && this.splits(size);
    // pieces for large products only: a small one's half (W2's: about 90 microseconds) is often done before a helper
    // that was asleep wakes up, and the caller would then take the helper's piece too (the whole product on one
    // thread, the helper woken for nothing); fixed halves wait for the helper instead, which is faster there
    // (threads-profile, W2: 0.36 ms a step in halves, 0.49 in pieces, 0.44 on one thread)
    if (split && helper.callParts !== undefined && size >= SMALL_SPLIT && (n >= 32 || m >= 8)) {
      // pieces the two threads take in turn: at least 32 columns (16 after rounding to the 8-column tile) or 8 rows;
      // by columns when A is not stored transposed (each piece packs its columns of B, the larger operand of a
      // forward product and of dE/dO = delta W^T), else by rows (dE/dW = O_in^T delta: each piece packs its rows of
      // O_in^T; cut by columns, each would pack all of them, which made W2's steps 10 % slower)
      const byColumns = !transA && n >= 32;
      const most = byColumns ? n >> 5 : m >> 3;
      const parts = Math.max(2, Math.min(MAX_PARTS, Math.floor(size / PART_GEMM), most));
      const signed = byColumns ? parts : -parts;
      const args = this.partArgs;
      args[0] = ta;
      args[1] = tb;
      args[2] = m;
      args[3] = n;
      args[4] = k;
      args[5] = alpha;
      args[6] = a;
      args[7] = b;
      args[8] = beta;
      args[9] = c;
      args[10] = this.helperWork;
      args[11] = lda;
      args[12] = ldb;
      args[13] = n;
      args[14] = signed;
      helper.callParts(GEMM_PART, parts, args);
      const kernels = this.kernels as PartKernels;
      const work = this.work;
      for (let i = helper.nextPart!(); i < parts; i = helper.nextPart!())
        kernels.gemmPart(ta, tb, m, n, k, alpha, a, b, beta, c, work, lda, ldb, n, signed, i);
      this.join(helper, size);
    } else if (split && !transA && n >= 32) {
      // a multiple of the 8-column register tile, and both halves at least 16 wide (never the narrow path)
      const n0 = (n >> 1) & ~7;
      // the helper's columns of op(B) start n0 rows into B when it is stored transposed, else n0 floats in
      const bRight = b + 4 * (transB ? n0 * k : n0);
      helper.call(
        GEMM,
        ta,
        tb,
        m,
        n - n0,
        k,
        alpha,
        a,
        bRight,
        beta,
        c + 4 * n0,
        this.helperWork,
        lda,
        ldb,
        n,
      );
      this.kernels.gemm(ta, tb, m, n0, k, alpha, a, b, beta, c, this.work, lda, ldb, n);
      this.join(helper, size);
    } else if (split && m >= 8) {
      const m0 = ((m >> 1) + 3) & ~3; // about half, a multiple of the 4-row register tile
      const aLower = a + 4 * (transA ? m0 : m0 * lda);
      helper.call(
        GEMM,
        ta,
        tb,
        m - m0,
        n,
        k,
        alpha,
        aLower,
        b,
        beta,
        c + 4 * m0 * n,
        this.helperWork,
        lda,
        ldb,
        n,
      );
      this.kernels.gemm(ta, tb, m0, n, k, alpha, a, b, beta, c, this.work, lda, ldb, n);
      this.join(helper, size);
    } else {
      this.kernels.gemm(ta, tb, m, n, k, alpha, a, b, beta, c, this.work, lda, ldb, n);
    }
  }

  /**
   * The epoch statistics' sums of two parameters (the kernels' epochParameterSums: sum v^2, sum (v - s)^2, sum s^2
   * and sum g^2 of `n` float32 values at `v`, `s`, `g`, four float64 at `out`, and the same of the second at `v2`,
   * `s2`, `g2`, `n2`, `out2`): on two threads the larger runs here and the other on the helper thread at the same
   * time (two layers' W, a million values each in W3, which one thread sums in about a millisecond each). Each sum
   * is still one thread's, in index order: the same bits as one thread.
   */
  epochParameterSumsPair(
    v: number,
    s: number,
    g: number,
    n: number,
    out: number,
    v2: number,
    s2: number,
    g2: number,
    n2: number,
    out2: number,
  ): void {
    const helper = this.helper;
    const kernels = this.kernels;
    if (helper !== null && Math.min(n, n2) >= SPLIT_VALUES && helper.ready && this.splits(n + n2)) {
      if (n >= n2) {
        helper.call(PARAMETER_SUMS, v2, s2, g2, n2, out2);
        kernels.epochParameterSums(v, s, g, n, out);
      } else {
        helper.call(PARAMETER_SUMS, v, s, g, n, out);
        kernels.epochParameterSums(v2, s2, g2, n2, out2);
      }
      this.join(helper, n + n2);
    } else {
      kernels.epochParameterSums(v, s, g, n, out);
      kernels.epochParameterSums(v2, s2, g2, n2, out2);
    }
  }

  /**
   * Hands the helper thread the epoch statistics' sums of two parameters (the kernels' `epochParameterSums` of v, s,
   * g of `n` values into `out`, then of v2, s2, g2 of `n2` into `out2`) and returns at once, so that the caller
   * can do something else meanwhile (copy the weights out of memory); {@link ResidentMemory.joinBehind} waits for
   * them (or sums them itself, when the helper has not started). Returns false, and sums nothing, when there is no
   * helper to take them (the 1-thread backend, a helper not started, small calls on one thread for a while): the
   * caller then sums them itself. Each sum is one thread's in index order: the same bits.
   *
   * @example
   * ```ts
   * // not-runnable: addresses of two layers' W, their start copies and gradients in the region
   * declare const memory: ResidentMemory;
   * declare const w1: number, s1: number, g1: number, n1: number, sums1: number;
   * declare const w2: number, s2: number, g2: number, n2: number, sums2: number;
   * if (memory.parameterSumsBehind(w1, s1, g1, n1, sums1, w2, s2, g2, n2, sums2)) {
   *   // copy the weights out of memory here
   *   memory.joinBehind(n1 + n2);
   * } else memory.kernels.epochParameterSumsTwo(w1, s1, g1, n1, sums1, w2, s2, g2, n2, sums2);
   * ```
   */
  parameterSumsBehind(
    v: number,
    s: number,
    g: number,
    n: number,
    out: number,
    v2: number,
    s2: number,
    g2: number,
    n2: number,
    out2: number,
  ): boolean {
    const helper = this.helper;
    // handed over even while small calls run on one thread (the caller has its own work meanwhile, and a call the
    // helper has not started when the caller joins it is the caller's): not counted as a small call
    if (helper === null || n + n2 < SPLIT_VALUES || !helper.ready) return false;
    helper.call(PARAMETER_SUMS_TWO, v, s, g, n, out, v2, s2, g2, n2, out2);
    return true;
  }

  /**
   * Waits for the call of {@link ResidentMemory.parameterSumsBehind} (or runs it here, when the helper has not
   * started it).
   *
   * @param size - its `n + n2` (kept for the callers; the wait does not judge the helper by it)
   */
  joinBehind(size: number): void {
    void size;
    this.helper!.finish(this.kernels, this.work);
  }

  /** W <- W - lr g on `n` float32 values at addresses (the kernels' sgdStep), in halves on two threads. */
  sgdStep(param: number, grad: number, n: number, lr: number): void {
    const helper = this.helper;
    if (helper !== null && n >= SPLIT_VALUES && helper.ready && this.splits(n)) {
      const half = (n >> 1) & ~3;
      helper.call(SGD, param + 4 * half, grad + 4 * half, n - half, lr);
      this.kernels.sgdStep(param, grad, half, lr);
      this.join(helper, n);
    } else {
      this.kernels.sgdStep(param, grad, n, lr);
    }
  }

  /** O = f(x) on `n` float32 values at addresses, for a {@link ResidentActivation} code, in halves on two threads. */
  activationForward(code: number, x: number, out: number, n: number): void {
    const name =
      code === 0 ? 'sigmoidForward' : code === 1 ? 'tanhForward' : code === 2 ? 'reluForward' : 'copyFloats';
    const helper = this.helper;
    const first = code === 3 ? out : x;
    const second = code === 3 ? x : out;
    if (helper !== null && n >= (code <= 1 ? SPLIT_EXP : SPLIT_VALUES) && helper.ready && this.splits(n)) {
      const half = (n >> 1) & ~3;
      helper.call(helperIndex(name), first + 4 * half, second + 4 * half, n - half);
      this.kernels[name](first, second, half);
      this.join(helper, n);
    } else {
      this.kernels[name](first, second, n);
    }
  }

  /**
   * delta = f'(x) dE/dO on `n` float32 values at addresses (`x` the net inputs, `y` the outputs, `dx` may be
   * `dy`), for a {@link ResidentActivation} code, in halves on two threads.
   */
  activationBackward(code: number, x: number, y: number, dy: number, dx: number, n: number): void {
    if (code === 3) {
      if (dx !== dy) this.kernels.copyFloats(dx, dy, n);
      return;
    }
    const name = code === 0 ? 'sigmoidBackward' : code === 1 ? 'tanhBackward' : 'reluBackward';
    const input = code === 2 ? x : y;
    const helper = this.helper;
    if (helper !== null && n >= SPLIT_VALUES && helper.ready && this.splits(n)) {
      const half = (n >> 1) & ~3;
      const at = 4 * half;
      helper.call(helperIndex(name), input + at, dy + at, dx + at, n - half);
      this.kernels[name](input, dy, dx, half);
      this.join(helper, n);
    } else {
      this.kernels[name](input, dy, dx, n);
    }
  }
}
