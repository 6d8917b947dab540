/**
 * The formats a deltaflow model can be exported to: `onnx` (one .onnx file for ONNX Runtime), `torch`
 * (`model.safetensors` plus a `model.py` that rebuilds the nn.Sequential) and `js` (one dependency-free ES module).
 *
 * @example
 * ```ts
 * import { EXPORT_FORMATS } from '@deltaflow/interop';
 * EXPORT_FORMATS.includes('onnx'); // → true
 * ```
 * @category Formats
 */
export const EXPORT_FORMATS = ['onnx', 'torch', 'js'] as const;

/**
 * One of {@link EXPORT_FORMATS}.
 *
 * @example
 * ```ts
 * import type { ExportFormat } from '@deltaflow/interop';
 * const format: ExportFormat = 'onnx';
 * ```
 * @category Formats
 */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
