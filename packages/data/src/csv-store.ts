// Growing storage for parsed CSV rows: rows of a few fixed-width parts (features, targets, labels) in blocks
// whose size grows geometrically (from 64 rows up to about a mebibyte), joined into exact typed arrays at the
// end. Sized by the rows actually read, never by a guess from the input's length; the table is copied once, at
// the end, block by block. Internal: not exported from the package.
import { allocate } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';

/** The largest block of a row store, in bytes over all its parts (a block holds at least one row). */
const MAX_BLOCK_BYTES = 1 << 20;
/** Rows of the first block. */
const FIRST_BLOCK_ROWS = 64;

/** An array a store can hold. */
export type Block = TypedArray | Int32Array;

/** One part of a row: `width` numbers of one type. */
export interface RowPart {
  dtype: DType | 'int32';
  width: number;
}

/**
 * Receives each full block of a store that streams its rows out (see {@link RowStore}'s `sink`): the blocks and
 * how many rows they hold. The blocks are refilled afterwards: copy what you keep before returning.
 */
export type RowSink = (blocks: readonly Block[], rows: number) => void;

/** Rows of fixed-width parts, appended block by block. */
export class RowStore {
  /** The blocks being filled, one per part; row `r`'s numbers start at `r * width` in each. */
  blocks: Block[];
  /** Rows the current blocks hold. */
  capacity: number;
  /** Rows kept in full blocks before the current ones. */
  rowsBefore = 0;
  private readonly full: Block[][] = [];
  private readonly maxRows: number;

  /**
   * @param parts - the parts of a row
   * @param sink - streams the rows out instead of keeping them: each full block goes to `sink` and is refilled
   *   (blocks of the largest size from the start), so memory stays at one block
   */
  constructor(
    readonly parts: readonly RowPart[],
    private readonly sink?: RowSink,
  ) {
    const rowBytes = parts.reduce((sum, p) => sum + p.width * (p.dtype === 'float64' ? 8 : 4), 0);
    this.maxRows = Math.max(1, Math.floor(MAX_BLOCK_BYTES / Math.max(1, rowBytes)));
    this.capacity = sink ? this.maxRows : Math.min(FIRST_BLOCK_ROWS, this.maxRows);
    this.blocks = this.make(this.capacity);
  }

  /** Keeps the current blocks (full) and starts the next ones, twice as large up to the largest size. */
  next(): void {
    if (this.sink) {
      this.sink(this.blocks, this.capacity);
      this.rowsBefore += this.capacity;
      return;
    }
    this.full.push(this.blocks);
    this.rowsBefore += this.capacity;
    this.capacity = Math.min(this.capacity * 2, this.maxRows);
    this.blocks = this.make(this.capacity);
  }

  /**
   * Moves the rows stored so far (the full blocks and the current ones' first `rows`) into new blocks of
   * `capacity` rows, an estimate of the whole input's rows: when the estimate holds, the rows are never copied
   * again, and the peak is about the parsed data. Returns the rows the current blocks now hold.
   */
  reserve(rows: number, capacity: number): number {
    const total = this.rowsBefore + rows;
    if (this.sink) return rows;
    if (capacity <= Math.max(this.capacity, total)) return rows;
    const blocks = this.make(capacity);
    const at = blocks.map(() => 0);
    for (const full of [...this.full, this.blocks]) {
      full.forEach((block, j) => {
        const width = this.parts[j]!.width;
        const length = full === this.blocks ? rows * width : block.length;
        blocks[j]!.set(block.subarray(0, length), at[j]);
        at[j]! += length;
      });
    }
    this.full.length = 0;
    this.rowsBefore = 0;
    this.blocks = blocks;
    this.capacity = capacity;
    return total;
  }

  /**
   * One array per part holding every row: the full blocks, then the first `rows` rows of the current ones. Each
   * block is let go once copied. Rows that all fit the first block, filling at least 4/5 of it, are not copied:
   * the result is a view of the block (a reserved block whose estimate came close).
   */
  join(rows: number): Block[] {
    if (this.full.length === 0 && rows === this.capacity) return this.blocks;
    if (this.full.length === 0 && rows > FIRST_BLOCK_ROWS && rows >= this.capacity * 0.8) {
      return this.blocks.map((block, j) => block.subarray(0, rows * this.parts[j]!.width));
    }
    const out = this.make(this.rowsBefore + rows);
    const at = out.map(() => 0);
    for (let k = 0; k < this.full.length; k++) {
      this.full[k]!.forEach((block, j) => {
        out[j]!.set(block, at[j]!);
        at[j]! += block.length;
      });
      this.full[k] = []; // let the blocks go
    }
    this.blocks.forEach((block, j) => out[j]!.set(block.subarray(0, rows * this.parts[j]!.width), at[j]!));
    this.full.length = 0;
    this.blocks = out;
    return out;
  }

  /** A streaming store: hands the rows of the current blocks (`rows` of them) to the sink, at the end. */
  flush(rows: number): void {
    if (rows > 0) this.sink!(this.blocks, rows);
    this.rowsBefore += rows;
  }

  private make(rows: number): Block[] {
    return this.parts.map(({ dtype, width }) =>
      dtype === 'int32' ? new Int32Array(rows * width) : allocate(dtype, rows * width),
    );
  }
}
