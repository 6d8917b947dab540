"""Prints the PyTorch values embedded in src/torch-reference.test.ts.

Run: /usr/bin/python3 packages/plugin-activations/scripts/torch-reference.py
For each function, y = f(x) and dy/dx = x.grad after y.sum().backward(), in float64.
"""
import json

import torch
import torch.nn.functional as F

X = [-4.0, -3.0, -1.5, -0.5, 0.0, 0.7, 2.5, 3.0, 25.0]
CASES = [("mish", F.mish), ("softsign", F.softsign), ("hard-sigmoid", F.hardsigmoid)]

out = []
for name, f in CASES:
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    y = f(x)
    y.sum().backward()
    out.append(dict(name=name, y=[float(v) for v in y.detach()], dy=[float(v) for v in x.grad]))

print(json.dumps(dict(torch=torch.__version__, x=X, cases=out), indent=1))
