/**
 * `@deltaflow/interop`: models that leave deltaflow. Export to ONNX, PyTorch and standalone JavaScript, and
 * import from ONNX and safetensors.
 *
 * @packageDocumentation
 */
export { EXPORT_FORMATS } from './formats.js';
export type { ExportFormat } from './formats.js';
