// The kernel exports a helper thread can run, by index: shared by the helper (gemm-thread.ts, Node only) and the
// resident memory (resident.ts, every runtime), so that browser bundles need not carry the helper to name them.

/**
 * The kernel exports the helper can run, by index (the first argument of the helper's `call`): gemm first (what
 * its `start` posts), then the kernels of the resident training plan.
 */
export const HELPER_FUNCTIONS = [
  'gemm',
  'sgdStep',
  'sigmoidForward',
  'tanhForward',
  'reluForward',
  'sigmoidBackward',
  'tanhBackward',
  'reluBackward',
  'copyFloats',
  'broadcastRows',
  'gemmPart',
  'epochParameterSums',
  'epochParameterSumsTwo',
] as const;

/** The index of a kernel export in {@link HELPER_FUNCTIONS}. */
export type HelperFunction = (typeof HELPER_FUNCTIONS)[number];
/** {@link HELPER_FUNCTIONS}' index of `name`. */
export function helperIndex(name: HelperFunction): number {
  return HELPER_FUNCTIONS.indexOf(name);
}
