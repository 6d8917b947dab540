/**
 * An example deltaflow plugin, built as a third party would build one: three elementwise activations, mish,
 * softsign and hard-sigmoid, each given as two scalar functions f(x) and f'(x).
 *
 * @packageDocumentation
 */
import { activationsPlugin } from './plugin.js';

export { activationsPlugin };
export { mish } from './mish.js';
export { softsign } from './softsign.js';
export { hardSigmoid } from './hard-sigmoid.js';

export default activationsPlugin;
