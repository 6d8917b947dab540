import type { Sequential } from '@deltaflow/network';
import type { ModelParts } from '../model-parts.js';
import { modelParts } from '../model-parts.js';
import { encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import { pyFloat, pyString, torchActivation } from './torch-modules.js';

/**
 * A model exported for PyTorch: the weights as a safetensors file and the Python module that rebuilds the network.
 *
 * @example
 * ```ts
 * const { safetensors, python }: TorchExport = toTorch(mlp({ inputs: 2, layers: [{ units: 1 }] }));
 * ```
 * @category PyTorch
 */
export interface TorchExport {
  /** `model.safetensors`: `N.weight` `[out, in]` and `N.bias` of each nn.Linear at index N of the nn.Sequential. */
  safetensors: Uint8Array;
  /** `model.py`: needs torch alone; `load()` returns the nn.Sequential in eval mode with the model's dtype. */
  python: string;
}

/** The metadata key that holds the deltaflow model (without its weights) as JSON. */
export const DELTAFLOW_METADATA_KEY = 'deltaflow';

/** What one module of the nn.Sequential is, as the metadata lists them. */
type ModuleKind = 'scaler' | 'linear' | 'activation' | 'dropout';

interface Layout {
  /** Python expressions of the modules, in order. */
  modules: string[];
  kinds: ModuleKind[];
  tensors: Map<string, SafetensorsTensor>;
}

/** The nn.Sequential of a model: [Standardize], then per layer Linear, activation, [Dropout]. */
function layout(parts: ModelParts): Layout {
  const F = parts.dtype === 'float64' ? 'F64' : 'F32';
  const modules: string[] = [];
  const kinds: ModuleKind[] = [];
  const tensors = new Map<string, SafetensorsTensor>();
  if (parts.scaler) {
    tensors.set(`${modules.length}.offset`, {
      dtype: 'F64',
      shape: [parts.inputs],
      data: Float64Array.from(parts.scaler.offset),
    });
    tensors.set(`${modules.length}.scale`, {
      dtype: 'F64',
      shape: [parts.inputs],
      data: Float64Array.from(parts.scaler.scale),
    });
    modules.push(`Standardize(${parts.inputs})`);
    kinds.push('scaler');
  }
  parts.layers.forEach((layer, l) => {
    const { inputs: n, units: m, weights: w } = layer;
    // nn.Linear computes x A^T + b with A [out, in]: A[j][i] = W_ij.
    const a = F === 'F64' ? new Float64Array(m * n) : new Float32Array(m * n);
    for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) a[j * n + i] = w[i * m + j]!;
    const b = F === 'F64' ? Float64Array.from(layer.bias) : Float32Array.from(layer.bias);
    tensors.set(`${modules.length}.weight`, { dtype: F, shape: [m, n], data: a });
    tensors.set(`${modules.length}.bias`, { dtype: F, shape: [m], data: b });
    modules.push(`nn.Linear(${n}, ${m}, dtype=DTYPE)`);
    kinds.push('linear');
    modules.push(torchActivation(layer.activation, layer.config, l));
    kinds.push('activation');
    if (layer.dropout > 0) {
      modules.push(`nn.Dropout(p=${pyFloat(layer.dropout)})`);
      kinds.push('dropout');
    }
  });
  return { modules, kinds, tensors };
}

function pythonSource(parts: ModelParts, modules: readonly string[]): string {
  const dtype = parts.dtype === 'float64' ? 'torch.float64' : 'torch.float32';
  const classes = parts.classNames ? `[${parts.classNames.map(pyString).join(', ')}]` : 'None';
  const sizes = [parts.inputs, ...parts.layers.map((l) => l.units)].join('-');
  const scalerNote = parts.scaler
    ? `The first module, Standardize, applies the stored input scaler (x - offset) / scale, so the model takes raw
inputs, as deltaflow's predict does.`
    : 'The model has no stored input scaler: it takes the inputs as it was trained on them.';
  return `"""A deltaflow model (${sizes}, ${parts.dtype}) for PyTorch, written by \`deltaflow export --format torch\`.

It needs torch alone: \`load()\` reads model.safetensors (beside this file) and returns the nn.Sequential in
eval mode, with the model's dtype. ${scalerNote}

    import torch, model
    net = model.load()
    with torch.no_grad():
        outputs = net(torch.tensor([[${Array.from({ length: parts.inputs }, () => '0.0').join(', ')}]], dtype=model.DTYPE))
"""
import json
import os
import sys

import torch
from torch import nn

#: The dtype of every weight, bias and output.
DTYPE = ${dtype}
#: The number of input features and of outputs.
INPUTS = ${parts.inputs}
OUTPUTS = ${parts.outputs}
#: The class names, one per output (or 0/1 for a single output), or None for a model without them.
CLASS_NAMES = ${classes}


class Standardize(nn.Module):
    """The stored input scaler: (x - offset) / scale per feature, computed in float64 as deltaflow does, then
    rounded to DTYPE."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("offset", torch.zeros(features, dtype=torch.float64))
        self.register_buffer("scale", torch.ones(features, dtype=torch.float64))

    def forward(self, x):
        return ((x.to(DTYPE).to(torch.float64) - self.offset) / self.scale).to(DTYPE)


def build():
    """The network with zero weights: what load() fills from model.safetensors."""
    return nn.Sequential(
${modules.map((m) => `        ${m},`).join('\n')}
    )


_DTYPES = {"F32": torch.float32, "F64": torch.float64}


def read_safetensors(path):
    """Reads a safetensors file of F32/F64 tensors into a dict of tensors (the format needs no other library)."""
    if sys.byteorder != "little":
        raise RuntimeError("read_safetensors reads little-endian data on little-endian machines only")
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    header.pop("__metadata__", None)
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        buffer = bytearray(data[start + begin : start + end])
        tensors[name] = torch.frombuffer(buffer, dtype=_DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return tensors


def load(path=None):
    """Returns the model as an nn.Sequential in eval mode (dropout off), its weights read from \`path\`
    (default: model.safetensors beside this file)."""
    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.safetensors")
    net = build()
    net.load_state_dict(read_safetensors(path))
    return net.eval()


def classify(outputs):
    """The class of each row of outputs: the largest output's index (a single output: 1 from 0.5 up), as its
    name when CLASS_NAMES is set."""
    if outputs.shape[-1] == 1:
        index = (outputs[..., 0] >= 0.5).long()
    else:
        index = outputs.argmax(dim=-1)
    if CLASS_NAMES is None:
        return index.tolist()
    return [CLASS_NAMES[i] for i in index.tolist()]
`;
}

/**
 * Exports a model for PyTorch: `model.safetensors` holds each layer's weights and bias as nn.Linear keeps them
 * (`N.weight` `[out, in]`, the transpose of deltaflow's W `[in, out]`, and `N.bias`, where N is the module's index
 * in the nn.Sequential, so activations and dropout take indices too), and `model.py` rebuilds that nn.Sequential
 * with torch alone. A stored input scaler becomes the first module (`Standardize`, its `offset` and `scale` as
 * float64 buffers), so the PyTorch model takes raw inputs; class names are `CLASS_NAMES` in `model.py`. Dropout
 * becomes `nn.Dropout(p)` (the identity in eval mode). The safetensors `__metadata__` keeps the deltaflow model
 * without its weights under `deltaflow`, so {@link fromSafetensors} rebuilds it exactly.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 1 });
 * const { safetensors, python } = toTorch(model);
 * python.includes('def load('); // → true
 * [...decodeSafetensors(safetensors).tensors.keys()]; // → ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 * @param model - the model; its `meta` gives the scaler and the class names
 * @returns the two files' contents
 * @throws DeltaflowError `E_DEFINITION` naming a plugin activation, which has no PyTorch module
 * @category PyTorch
 */
export function toTorch(model: Sequential): TorchExport {
  const parts = modelParts(model);
  const { modules, kinds, tensors } = layout(parts);
  const described = {
    format: 'deltaflow-model',
    version: parts.layers.some((l) => l.dropout > 0) ? 2 : 1,
    dtype: parts.dtype,
    layers: parts.layers.map((l) => ({
      inputs: l.inputs,
      units: l.units,
      activation: Object.keys(l.config).length > 0 ? { name: l.activation, config: l.config } : l.activation,
      ...(l.dropout > 0 ? { dropout: l.dropout } : {}),
    })),
    modules: kinds,
    ...(model.meta ? { meta: model.meta } : {}),
  };
  const safetensors = encodeSafetensors(tensors, {
    format: 'pt',
    [DELTAFLOW_METADATA_KEY]: JSON.stringify(described),
  });
  return { safetensors, python: pythonSource(parts, modules) };
}
