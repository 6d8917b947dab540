import type { Clock } from './measure.js';

const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'MET' : 'NOT MET');

/**
 * A goal's verdict by wall time and by CPU time, as ` -> wall MET, cpu NOT MET` (empty when neither clock can
 * judge): a loaded machine inflates wall time, not CPU time, so a wall-only verdict can mislead.
 *
 * @param ok - whether the goal is met when judged by `clock` (undefined: cannot be judged, e.g. a library missing)
 */
export function verdicts(ok: (clock: Clock) => boolean | undefined): string {
  const wall = ok('wall');
  const cpu = ok('cpu');
  return wall === undefined && cpu === undefined ? '' : ` -> wall ${verdict(wall)}, cpu ${verdict(cpu)}`;
}

/** Whether a / b reaches `goal` (undefined when either is missing). */
export function atLeast(a: number | undefined, b: number | undefined, goal: number): boolean | undefined {
  return a !== undefined && b !== undefined ? a / b >= goal : undefined;
}
