// Helpers of the ONNX tests: running an exported model in ONNX Runtime (onnxruntime-node, CPU) and finding
// Debian's python3 with the onnx (and torch) modules for the independent checks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FloatType } from '@deltaflow/core';
import * as ort from 'onnxruntime-node';

/** Runs the ONNX model `bytes` on `rows` (each a raw input row) and returns the output rows. */
export async function runOnnx(
  bytes: Uint8Array,
  dtype: FloatType,
  rows: readonly (readonly number[])[],
): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const width = rows[0]!.length;
  const data = dtype === 'float64' ? Float64Array.from(rows.flat()) : Float32Array.from(rows.flat());
  const result = await session.run({
    [session.inputNames[0]!]: new ort.Tensor(dtype, data, [rows.length, width]),
  });
  const output = result[session.outputNames[0]!]!;
  const cols = output.dims[1]!;
  const values = Array.from(output.data as Float32Array | Float64Array);
  await session.release();
  return rows.map((_, r) => values.slice(r * cols, r * cols + cols));
}

/** The largest |a - b| / max(1, |b|) over two tables of numbers of one shape. */
export function maxError(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let worst = 0;
  a.forEach((row, r) =>
    row.forEach((v, j) => {
      const w = b[r]![j]!;
      const e = Number.isNaN(v) && Number.isNaN(w) ? 0 : Math.abs(v - w) / Math.max(1, Math.abs(w));
      worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    }),
  );
  return worst;
}

/** Debian's interpreter, which has python3-onnx and python3-torch (the `python3` on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

/** Whether {@link PYTHON} imports every module of `modules`, and if not, why. */
export function pythonWith(modules: readonly string[]): { ok: true } | { ok: false; why: string } {
  if (!existsSync(PYTHON))
    return { ok: false, why: `${PYTHON} does not exist (apt-get install python3-onnx python3-torch)` };
  const run = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (run.status === 0) return { ok: true };
  const missing = /No module named '([^']+)'/.exec(run.stderr)?.[1];
  return {
    ok: false,
    why: missing
      ? `${PYTHON} has no module '${missing}' (apt-get install python3-${missing})`
      : `${PYTHON} -c 'import ${modules.join(', ')}' failed: ${run.stderr.trim().split('\n').at(-1) ?? run.status}`,
  };
}

/** A title that says plainly when the checks are skipped, and why; also printed, so a log shows it. */
export function checkTitle(title: string, found: { ok: true } | { ok: false; why: string }): string {
  if (found.ok) return title;
  const text = `${title}: SKIPPED because ${found.why}`;
  console.warn(text);
  return text;
}
