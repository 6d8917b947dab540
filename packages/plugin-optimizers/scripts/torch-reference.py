"""Prints the torch.optim trajectories embedded in src/torch-reference.test.ts (Adamax and RAdam; torch 1.13 has
no Lion, whose test works the paper's formula out by hand instead).

Run: /usr/bin/python3 packages/plugin-optimizers/scripts/torch-reference.py
Each case: a float64 parameter p0 = [1.0, -0.5, 0.3], gradient of E = sum_i a_i/2 (p_i - c_i)^2 with
a = [1.0, 2.0, 0.5], c = [0.2, -1.0, 2.0] (so g = a * (p - c), recomputed from p before every step). `steps`
holds p after each step: 3 steps, or 8 for the RAdam cases that reach its rectified branch (rho_t > 5 from t = 6).
"""
import json

import torch

P0 = [1.0, -0.5, 0.3]
A = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
C = torch.tensor([0.2, -1.0, 2.0], dtype=torch.float64)

CASES = [
    ("adamax", "Adamax", dict(), 3),
    ("adamax", "Adamax", dict(lr=0.1), 3),
    ("adamax", "Adamax", dict(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1), 3),
    ("radam", "RAdam", dict(), 3),
    ("radam", "RAdam", dict(lr=0.1), 8),
    ("radam", "RAdam", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.1), 8),
]


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(word.capitalize() for word in rest)


def deltaflow_options(kwargs):
    out = {}
    for key, value in kwargs.items():
        if key == "betas":
            out["beta1"], out["beta2"] = value
        else:
            out[camel(key)] = value
    return out


results = []
for name, cls, kwargs, n in CASES:
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([p], **kwargs)
    steps = []
    for _ in range(n):
        optimizer.zero_grad()
        loss = (A / 2 * (p - C) ** 2).sum()
        loss.backward()
        optimizer.step()
        steps.append([float(x) for x in p.detach()])
    call = f"torch.optim.{cls}([p]{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
    results.append(dict(rule=name, call=call, options=deltaflow_options(kwargs), steps=steps))

print(json.dumps(dict(torch=torch.__version__, cases=results), indent=1))
