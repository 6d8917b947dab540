/**
 * `@deltaflow/interop`: models that leave deltaflow. Export to ONNX, PyTorch and standalone JavaScript, and
 * import from ONNX and safetensors.
 *
 * @packageDocumentation
 */
export { EXPORT_FORMATS } from './formats.js';
export type { ExportFormat } from './formats.js';
export { toOnnx } from './onnx/export.js';
export type { ToOnnxOptions } from './onnx/export.js';
export { fromOnnx } from './onnx/import.js';
