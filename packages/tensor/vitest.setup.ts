// Chooses the backend every test of a package runs on, from DELTAFLOW_BACKEND: 'js' (the TypeScript kernels),
// 'wasm' (WebAssembly SIMD, one thread; fails if the runtime lacks it), 'wasm2' (the same with a helper thread for
// large products), or unset (what deltaflow picks by itself). Listed in the setupFiles of the packages whose
// suites are run on every backend (tensor, network, trainer).
import { getBackend, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';

const wanted = process.env['DELTAFLOW_BACKEND'];
if (wanted === 'js') {
  setBackend(jsBackend);
} else if (wanted === 'wasm' || wanted === 'wasm2') {
  const wasm = loadWasmBackend({ threads: wanted === 'wasm' ? 1 : 2 });
  if (!wasm) {
    throw new Error(`DELTAFLOW_BACKEND=${wanted}, but this runtime cannot run the WebAssembly SIMD kernels.`);
  }
  setBackend(wasm);
} else if (wanted) {
  throw new Error(`DELTAFLOW_BACKEND must be 'js', 'wasm' or 'wasm2', not '${wanted}'.`);
}
if (process.env['DELTAFLOW_BACKEND_LOG']) console.log(`deltaflow backend: ${getBackend().name}`);
