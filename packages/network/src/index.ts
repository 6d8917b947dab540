/**
 * Dense layers and Sequential multilayer perceptrons: forward, backward by the delta rule of the lecture notes (`docs/guides/the-math.md`),
 * a finite-difference gradient check, and the model file.
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
export { Dense } from './dense.js';
export type { DenseOptions } from './dense.js';
export { ForwardPass, LayerPass } from './forward-pass.js';
export type { PassShape } from './forward-pass.js';
export { Sequential, mlp } from './sequential.js';
export type { LayerSpec, MlpSpec, ModelSummary } from './sequential.js';
export { denseLayers, modelFromJSON, modelToJSON, parseModel } from './model-json.js';
export type { DenseLayerJSON, DropoutLayerJSON, LayerJSON, ModelJSON } from './model-json.js';
export { pluginSources } from './plugin-meta.js';
export type { PluginSources } from './plugin-meta.js';
export { activationSweep } from './activation-sweep.js';
export type { ActivationSweepOptions, ActivationSweepResult } from './activation-sweep.js';
export { gradientCheck } from './gradient-check.js';
export type { GradientCheckOptions, GradientCheckResult, LayerGradientCheck } from './gradient-check.js';
export { trainStep } from './train-step.js';
export { FusedSmallNetwork } from './fused/small-network.js';
export { TinySgdNetwork } from './fused/tiny-wasm.js';
export { RESIDENT_MIN_PRODUCT, WasmResidentPlan } from './fused/wasm-plan.js';
export type { ResidentBatchSource } from './fused/wasm-plan.js';
export { Penalty } from './penalty.js';
export type { PenaltyOptions } from './penalty.js';
export { definePlugin, installPlugin } from './plugin.js';
export type { InstallPluginOptions, Plugin } from './plugin.js';
