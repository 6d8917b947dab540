"""Writes the ONNX fixtures of packages/interop's import tests with torch.onnx.export, and what torch predicts.

Run from this directory with Debian's python3-torch (1.13) and python3-onnx:
    /usr/bin/python3 make_fixtures.py && npx prettier --write expected.json
It writes mlp-float32.onnx, mlp-float64.onnx, mlp-gelu.onnx and expected.json (inputs and torch's outputs).
"""
import json

import torch
from torch import nn

torch.manual_seed(16)


def export(model: nn.Module, inputs: torch.Tensor, path: str) -> list:
    model.eval()
    torch.onnx.export(
        model,
        inputs,
        path,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        opset_version=17,
    )
    with torch.no_grad():
        return model(inputs).tolist()


# float32: Flatten, then Linear layers (Gemm with transB = 1) with ReLU, Tanh, LeakyReLU and a softmax output
f32 = nn.Sequential(
    nn.Flatten(),
    nn.Linear(4, 8),
    nn.ReLU(),
    nn.Linear(8, 6),
    nn.Tanh(),
    nn.Linear(6, 5),
    nn.LeakyReLU(0.2),
    nn.Linear(5, 3),
    nn.Softmax(dim=-1),
)
x32 = torch.randn(7, 4)
y32 = export(f32, x32, "mlp-float32.onnx")

# float64: Sigmoid, ELU and SiLU (exported as Mul(x, Sigmoid(x))) hidden layers, a linear output
f64 = nn.Sequential(
    nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 4), nn.ELU(0.5), nn.Linear(4, 4), nn.SiLU(), nn.Linear(4, 2)
).double()
x64 = torch.randn(6, 3, dtype=torch.float64)
y64 = export(f64, x64, "mlp-float64.onnx")

# GELU, exact (Div, Erf, Add, Mul, Mul) and tanh (a dozen nodes): activations written as several nodes
gelu = nn.Sequential(nn.Linear(3, 6), nn.GELU(), nn.Linear(6, 5), nn.GELU(approximate="tanh"), nn.Linear(5, 2))
xg = torch.randn(9, 3) * 2
yg = export(gelu, xg, "mlp-gelu.onnx")

with open("expected.json", "w") as f:
    json.dump(
        {
            "torch": torch.__version__,
            "float32": {"inputs": x32.tolist(), "outputs": y32},
            "float64": {"inputs": x64.tolist(), "outputs": y64},
            "gelu": {"inputs": xg.tolist(), "outputs": yg},
        },
        f,
        indent=1,
    )
    f.write("\n")
