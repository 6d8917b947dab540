"""Prints the torch.optim trajectories embedded in src/torch-reference.test.ts.

Run: /usr/bin/python3 packages/optimizers/scripts/torch-reference.py
Each case: a float64 parameter p0 = [1.0, -0.5, 0.3], gradient of E = sum_i a_i/2 (p_i - c_i)^2 with
a = [1.0, 2.0, 0.5], c = [0.2, -1.0, 2.0] (so g = a * (p - c), recomputed from p before every step), 3 steps.
"""
import json

import torch

P0 = [1.0, -0.5, 0.3]
A = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
C = torch.tensor([0.2, -1.0, 2.0], dtype=torch.float64)

CASES = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.3)),
    ("sgd", "SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)),
    ("sgd", "SGD", dict(lr=0.1, weight_decay=0.1)),
    ("adam", "Adam", dict(lr=0.1)),
    ("adam", "Adam", dict(lr=0.7, betas=(0.9, 0.9), amsgrad=True)),
    ("adam", "Adam", dict(lr=0.1, weight_decay=0.1)),
    ("adamw", "AdamW", dict(lr=0.1)),
    ("adamw", "AdamW", dict(lr=0.7, betas=(0.9, 0.9), weight_decay=0.5, amsgrad=True)),
    ("rmsprop", "RMSprop", dict(lr=0.01)),
    ("rmsprop", "RMSprop", dict(lr=0.01, momentum=0.9)),
    ("rmsprop", "RMSprop", dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
    ("adagrad", "Adagrad", dict(lr=0.1)),
    ("adagrad", "Adagrad", dict(lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2)),
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
for name, cls, kwargs in CASES:
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([p], **kwargs)
    steps = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = (A / 2 * (p - C) ** 2).sum()
        loss.backward()
        optimizer.step()
        steps.append([float(x) for x in p.detach()])
    call = f"torch.optim.{cls}([p], {', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    results.append(dict(name=name, options=deltaflow_options(kwargs), call=call, steps=steps))

print(json.dumps(dict(torch=torch.__version__, cases=results), indent=1))
