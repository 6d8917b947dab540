/**
 * `@deltaflow/interop`: models that leave deltaflow. Export to ONNX, PyTorch and standalone JavaScript, and
 * import from ONNX and safetensors.
 *
 * @packageDocumentation
 */
export { EXPORT_FORMATS } from './formats.js';
export type { ExportFormat } from './formats.js';
export { decodeSafetensors, encodeSafetensors } from './torch/safetensors.js';
export type { SafetensorsFile, SafetensorsTensor } from './torch/safetensors.js';
export { toTorch } from './torch/to-torch.js';
export type { TorchExport } from './torch/to-torch.js';
export { fromSafetensors } from './torch/from-safetensors.js';
export type { ActivationChoice, SafetensorsImportOptions } from './torch/from-safetensors.js';
export { toStandaloneModule } from './standalone/to-standalone.js';
export type { StandaloneModule, StandaloneOptions } from './standalone/to-standalone.js';
export { toOnnx } from './onnx/export.js';
export type { ToOnnxOptions } from './onnx/export.js';
export { fromOnnx } from './onnx/import.js';
