import type { DashboardStore } from '../store.js';
import type { Rgb } from './colors.js';

/** The scale's ends: white for none of a true class's samples, the playground's blue for all of them. */
const NONE: Rgb = [255, 255, 255];
const ALL: Rgb = [8, 119, 189];

/** The relative luminance of an sRGB colour (WCAG 2). */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * The WCAG contrast ratio of two colours, 1 to 21.
 *
 * @example
 * ```ts
 * contrastRatio([0, 0, 0], [255, 255, 255]); // → 21
 * ```
 * @category Views
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colours of a confusion-matrix cell holding `fraction` of its true class's samples: a background from
 * white (0) to blue (1), and black or white text, whichever contrasts more (always at least 4.5 : 1).
 *
 * @example
 * ```ts
 * cellColors(1); // → { background: 'rgb(8, 119, 189)', text: '#fff', rgb: [8, 119, 189] }
 * ```
 * @category Views
 */
export function cellColors(fraction: number): { background: string; text: string; rgb: Rgb } {
  const t = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const rgb: Rgb = [0, 1, 2].map((i) => Math.round(NONE[i]! + (ALL[i]! - NONE[i]!) * t)) as unknown as Rgb;
  const white = contrastRatio(rgb, [255, 255, 255]) > contrastRatio(rgb, [0, 0, 0]);
  return { background: `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`, text: white ? '#fff' : '#000', rgb };
}

/**
 * The class names of a confusion matrix of `n` classes: the run's names (the start event's `classNames`) when
 * there are as many, else "class 0", "class 1", ...
 *
 * @example
 * ```ts
 * classLabels(2, undefined); // → ['class 0', 'class 1']
 * ```
 * @category Views
 */
export function classLabels(n: number, names: readonly string[] | undefined): string[] {
  return Array.from({ length: n }, (_, i) => (names?.length === n ? names[i]! : `class ${i}`));
}

/** One matrix as a table: a caption, class names on both axes, and a coloured cell with the count. */
class MatrixTable {
  readonly table = document.createElement('table');
  private readonly caption = document.createElement('caption');
  private cells: HTMLTableCellElement[][] = [];
  private labels: string[] = [];

  constructor(readonly part: 'train' | 'test') {
    this.table.className = 'confusion-table';
    this.table.dataset.part = part;
    this.table.append(this.caption);
  }

  /** Shows `matrix` with `labels`, rebuilding the rows only when the classes changed. */
  show(matrix: number[][], labels: string[], epoch: number, what: string): void {
    if (labels.join('\n') !== this.labels.join('\n')) this.build(labels);
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    const caption = `${what}, epoch ${epoch}: ${total} samples; rows are the true classes, columns the predicted ones`;
    if (this.caption.textContent !== caption) this.caption.textContent = caption;
    this.table.dataset.samples = String(total);
    for (let i = 0; i < labels.length; i++) {
      const row = matrix[i] ?? [];
      const support = row.reduce((a, b) => a + b, 0);
      for (let j = 0; j < labels.length; j++) {
        const cell = this.cells[i]![j]!;
        const count = row[j] ?? 0;
        const key = `${count}/${support}`;
        if (cell.dataset.key === key) continue;
        cell.dataset.key = key;
        cell.textContent = String(count);
        const colors = cellColors(support > 0 ? count / support : 0);
        cell.style.background = colors.background;
        cell.style.color = colors.text;
        const percent = support > 0 ? ` (${Math.round((100 * count) / support)}%)` : '';
        cell.title = `${count} of ${support} ${labels[i]} predicted as ${labels[j]}${percent}`;
      }
    }
  }

  private build(labels: string[]): void {
    this.labels = labels;
    const head = document.createElement('thead');
    const top = head.insertRow();
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.textContent = 'true \\ predicted';
    corner.className = 'corner';
    top.append(corner);
    for (const label of labels) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      top.append(th);
    }
    const body = document.createElement('tbody');
    this.cells = labels.map((label) => {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      tr.append(th);
      return labels.map(() => {
        const td = tr.insertCell();
        td.textContent = '';
        return td;
      });
    });
    this.table.replaceChildren(this.caption, head, body);
  }
}

/**
 * The confusion-matrix panel of a classification run: the newest epoch's training matrix and, with a validation
 * (test) split, its test matrix, each a table with the class names on both axes, the counts in the cells and a
 * colour from white to blue by the fraction of the true class's samples (rows). A regression run says it has
 * none; a classification run whose events carry no matrix (a CLI run without `--metrics confusion` and without
 * `--dashboard`, a recording) says so.
 * @category Views
 */
export class ConfusionView {
  private readonly train = new MatrixTable('train');
  private readonly test = new MatrixTable('test');
  private version = -1;
  private runVersion = -1;
  /** Whether an epoch had come at the last render (the note changes with the first one). */
  private trained = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly note: HTMLElement,
  ) {
    container.append(this.train.table, this.test.table);
    this.train.table.hidden = true;
    this.test.table.hidden = true;
  }

  render(store: DashboardStore): void {
    const trained = store.epoch > 0;
    if (
      store.confusionVersion === this.version &&
      store.runVersion === this.runVersion &&
      trained === this.trained
    )
      return;
    this.version = store.confusionVersion;
    this.runVersion = store.runVersion;
    this.trained = trained;
    const start = store.start;
    const confusion = store.confusion;
    let note = '';
    if (!start) note = 'No run yet.';
    else if (start.config.task === 'regression') note = 'Regression: no confusion matrix.';
    else if (!confusion)
      note =
        store.epoch > 0
          ? "This run's epoch events carry no confusion matrix (deltaflow train --metrics confusion adds it)."
          : 'The confusion matrix shows after the first epoch.';
    if (this.note.textContent !== note) this.note.textContent = note;
    this.note.hidden = note === '';
    this.container.hidden = confusion === null;
    if (!confusion) return;
    const labels = classLabels(confusion.train.length, start?.config.classNames);
    this.train.show(confusion.train, labels, confusion.epoch, 'Training');
    this.train.table.hidden = false;
    this.test.table.hidden = confusion.test === null;
    if (confusion.test) this.test.show(confusion.test, labels, confusion.epoch, 'Test');
  }
}
