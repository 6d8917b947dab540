// The rule and parameter types are the core's: a plugin writes an OptimizerRule against @deltaflow/core alone,
// and layers expose Parameters without depending on this package. They are re-exported here for callers of
// @deltaflow/optimizers.
export type { OptimizerOptions, OptimizerRule, Parameter, ParameterState } from '@deltaflow/core';
