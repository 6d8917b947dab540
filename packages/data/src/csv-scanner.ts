// The CSV tokenizer behind parseCsv and the streamed readers: walks a window of text once with charCodeAt, finds
// cell boundaries (RFC 4180 quotes included) and parses plain decimal cells straight into numbers, without slicing
// strings or using regexes. The window may end before the input does (`final` false): whatever would read past
// its end throws MORE, and the reader retries the record once more text has arrived. Line ends are `\n`, `\r\n`
// or a lone `\r` (old Mac files). Internal: not exported from the package.

const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles: 10^0 .. 10^22

/** Why a cell could not be read; the parser turns it into a message with the file, line and column. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * Thrown (always this one object, so throwing costs nothing) when a read reaches the end of a window that is not
 * the end of the input: the record must be read again with more text.
 */
export const MORE: { readonly more: true } = Object.freeze({ more: true });

/** A cursor over CSV text. After each read, `start`/`end`/`cellLine` describe the cell just read. */
export class CsvScanner {
  /** Where the next cell starts. */
  pos = 0;
  /** 1-based line number of `pos`. */
  line = 1;
  /** Bounds of the last cell's content (inside the quotes for a quoted cell). */
  start = 0;
  end = 0;
  /** Line on which the last cell started. */
  cellLine = 1;
  /** Whether the last cell was quoted, and whether it held doubled quotes. */
  quoted = false;
  escaped = false;
  /** Whether the last cell ended its record (a newline or the end of the text followed it). */
  rowEnd = false;

  /**
   * @param text - the window of text
   * @param delimiter - the cell separator's char code
   * @param final - whether the window ends where the input ends
   */
  constructor(
    public text: string,
    readonly delimiter: number,
    public final = true,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // byte order mark
  }

  /** Continues in a new window: `text` follows the old window's text from `pos` on (which it must start with). */
  rebase(text: string, final: boolean): void {
    this.text = text;
    this.final = final;
    this.pos = 0;
  }

  /** Skips blank (empty or whitespace-only) lines; false at the end of the text. */
  nextRecord(): boolean {
    const text = this.text;
    const length = text.length;
    let p = this.pos;
    while (p < length) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9) {
        p++;
      } else if (c === NEWLINE || c === CR) {
        if (c === CR) {
          if (p + 1 >= length && !this.final) throw MORE;
          if (text.charCodeAt(p + 1) === NEWLINE) p++;
        }
        p++;
        this.pos = p;
        this.line++;
      } else {
        return true;
      }
    }
    if (!this.final) throw MORE;
    this.pos = length;
    return false;
  }

  /** The last cell's content as a string, trimmed, with doubled quotes undone. */
  content(): string {
    const raw = this.text.slice(this.start, this.end);
    return (this.escaped ? raw.replaceAll('""', '"') : raw).trim();
  }

  /** Reads any cell, quoted or not. */
  readCell(): void {
    const text = this.text;
    const length = text.length;
    let p = this.pos;
    this.cellLine = this.line;
    this.escaped = false;
    while (p < length && isBlank(text.charCodeAt(p))) p++;
    if (p < length && text.charCodeAt(p) === QUOTE) {
      this.quoted = true;
      let i = p + 1;
      let line = this.line;
      for (;;) {
        if (i >= length) {
          if (!this.final) throw MORE;
          throw new CsvSyntaxError(this.cellLine, 'a quoted cell is never closed');
        }
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (i + 1 >= length && !this.final) throw MORE;
          if (text.charCodeAt(i + 1) !== QUOTE) break;
          this.escaped = true;
          i += 2;
        } else {
          if (c === NEWLINE) line++;
          else if (c === CR) {
            if (i + 1 >= length && !this.final) throw MORE;
            if (text.charCodeAt(i + 1) !== NEWLINE) line++;
          }
          i++;
        }
      }
      this.line = line;
      this.start = p + 1;
      this.end = i;
      p = i + 1;
      while (p < length && isBlank(text.charCodeAt(p))) p++;
      if (!this.finishCell(p)) {
        throw new CsvSyntaxError(this.line, 'there is text after the closing quote of a quoted cell');
      }
      return;
    }
    this.quoted = false;
    this.start = this.pos;
    const delimiter = this.delimiter;
    while (p < length) {
      const c = text.charCodeAt(p);
      if (c === delimiter || c === NEWLINE || c === CR) break;
      p++;
    }
    this.end = p;
    this.finishCell(p);
  }

  /**
   * Reads a cell that should hold a plain decimal number (`-1`, `2.5`, `.5`, `1e-3`, spaces around allowed),
   * parsing it as it goes. Returns NaN, with the cursor unmoved, when the cell is anything else (quoted, empty,
   * text, NaN, Infinity), so the caller can fall back to {@link readCell} and explain. Numbers with at most 15
   * significant digits and a power of ten within 1e+-22 are computed exactly (one correctly rounded operation,
   * Clinger's fast path); longer ones go through `Number()`, so every result equals `Number(cell)`.
   */
  readNumber(): number {
    const text = this.text;
    const length = text.length;
    let p = this.pos;
    let c = p < length ? text.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < length ? text.charCodeAt(p) : -1;
    const numberStart = p;
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      c = ++p < length ? text.charCodeAt(p) : -1;
    }
    let mantissa = 0;
    let significant = 0;
    let exponent = 0;
    let digits = false;
    let exact = true;
    while (c >= 48 && c <= 57) {
      digits = true;
      if (significant < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) significant++;
      } else {
        exact = false;
      }
      c = ++p < length ? text.charCodeAt(p) : -1;
    }
    if (c === 46) {
      c = ++p < length ? text.charCodeAt(p) : -1;
      while (c >= 48 && c <= 57) {
        digits = true;
        if (significant < 15) {
          mantissa = mantissa * 10 + (c - 48);
          if (mantissa !== 0) significant++;
          exponent--;
        } else {
          exact = false;
        }
        c = ++p < length ? text.charCodeAt(p) : -1;
      }
    }
    if (!digits) return NaN;
    if (c === 101 || c === 69) {
      c = ++p < length ? text.charCodeAt(p) : -1;
      let negativeExponent = false;
      if (c === 45 || c === 43) {
        negativeExponent = c === 45;
        c = ++p < length ? text.charCodeAt(p) : -1;
      }
      let e = 0;
      let exponentDigits = 0;
      while (c >= 48 && c <= 57) {
        if (e < 1e6) e = e * 10 + (c - 48);
        exponentDigits++;
        c = ++p < length ? text.charCodeAt(p) : -1;
      }
      if (exponentDigits === 0) return NaN;
      exponent += negativeExponent ? -e : e;
    }
    const numberEnd = p;
    while (c === 32 || c === 9) c = ++p < length ? text.charCodeAt(p) : -1;
    const line = this.line;
    if (!this.finishCell(p)) return NaN;
    this.cellLine = line;
    this.start = numberStart;
    this.end = numberEnd;
    this.quoted = false;
    this.escaped = false;
    if (exact && exponent >= -22 && exponent <= 22) {
      const value = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
      return negative ? -value : value;
    }
    if (exact && mantissa === 0) return negative ? -0 : 0;
    return Number(text.slice(numberStart, numberEnd));
  }

  /**
   * Moves past the delimiter or line end at `p`; false (cursor unmoved) if something else is there. Throws MORE
   * when `p` is the end of a window that is not the end of the input (the cell may go on, or a `\r` may be
   * followed by `\n`).
   */
  private finishCell(p: number): boolean {
    const text = this.text;
    if (p >= text.length) {
      if (!this.final) throw MORE;
      this.pos = text.length;
      this.rowEnd = true;
      return true;
    }
    const c = text.charCodeAt(p);
    if (c === this.delimiter) {
      this.pos = p + 1;
      this.rowEnd = false;
      return true;
    }
    if (c === NEWLINE || c === CR) {
      if (c === CR) {
        if (p + 1 >= text.length && !this.final) throw MORE;
        if (text.charCodeAt(p + 1) === NEWLINE) p++;
      }
      this.pos = p + 1;
      this.line++;
      this.rowEnd = true;
      return true;
    }
    return false;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses a whole string as a plain decimal number with the same rules as {@link CsvScanner.readNumber}, or NaN.
 */
export function parseDecimal(text: string, delimiter: number): number {
  const scanner = new CsvScanner(text, delimiter);
  const value = scanner.readNumber();
  return scanner.rowEnd && scanner.pos === text.length ? value : NaN;
}
