// The CSV tokenizer behind parseCsv: walks the text once with charCodeAt, finds cell boundaries (RFC 4180 quotes
// included) and parses plain decimal cells straight into numbers, without slicing strings or using regexes.
// Internal: not exported from the package.

const QUOTE = 34;
const NEWLINE = 10;
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

  constructor(
    readonly text: string,
    readonly delimiter: number,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // byte order mark
  }

  /** Skips blank (empty or whitespace-only) lines; false at the end of the text. */
  nextRecord(): boolean {
    const text = this.text;
    const length = text.length;
    let p = this.pos;
    while (p < length) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13) {
        p++;
      } else if (c === NEWLINE) {
        p++;
        this.pos = p;
        this.line++;
      } else {
        return true;
      }
    }
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
      for (;;) {
        if (i >= length) throw new CsvSyntaxError(this.cellLine, 'a quoted cell is never closed');
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) !== QUOTE) break;
          this.escaped = true;
          i += 2;
        } else {
          if (c === NEWLINE) this.line++;
          i++;
        }
      }
      this.start = p + 1;
      this.end = i;
      p = i + 1;
      while (p < length && (isBlank(text.charCodeAt(p)) || text.charCodeAt(p) === 13)) p++;
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
      if (c === delimiter || c === NEWLINE) break;
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
    while (c === 32 || c === 9 || c === 13) c = ++p < length ? text.charCodeAt(p) : -1;
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

  /** Moves past the delimiter or newline at `p`; false (cursor unmoved) if something else is there. */
  private finishCell(p: number): boolean {
    if (p >= this.text.length) {
      this.pos = this.text.length;
      this.rowEnd = true;
      return true;
    }
    const c = this.text.charCodeAt(p);
    if (c === this.delimiter) {
      this.pos = p + 1;
      this.rowEnd = false;
      return true;
    }
    if (c === NEWLINE) {
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
