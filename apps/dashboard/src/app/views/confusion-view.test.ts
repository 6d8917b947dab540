import { describe, expect, it } from 'vitest';
import { cellColors, classLabels, contrastRatio } from './confusion-view.js';

describe('the confusion matrix cells', () => {
  it('go from white to blue with the fraction, their text always readable (contrast at least 4.5)', () => {
    expect(cellColors(0).background).toBe('rgb(255, 255, 255)');
    expect(cellColors(1).background).toBe('rgb(8, 119, 189)');
    for (let i = 0; i <= 100; i++) {
      const { rgb, text } = cellColors(i / 100);
      const ink = text === '#fff' ? ([255, 255, 255] as const) : ([0, 0, 0] as const);
      expect(contrastRatio(rgb, ink)).toBeGreaterThanOrEqual(4.5);
    }
    expect(cellColors(Number.NaN).background).toBe('rgb(255, 255, 255)');
  });

  it("are labelled with the run's class names, or numbered when there are none", () => {
    expect(classLabels(3, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(classLabels(2, undefined)).toEqual(['class 0', 'class 1']);
    expect(classLabels(2, ['only one'])).toEqual(['class 0', 'class 1']);
  });
});
